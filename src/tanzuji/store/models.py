"""Every table, imported in one place so that the metadata is complete."""

from tanzuji.store.accounts import ApiToken, Conflict, LoginSession, Membership, Organization, User
from tanzuji.store.base import Base
from tanzuji.store.catalog import FactorProposal, FactorSetVersion, Product, RuleVersion
from tanzuji.store.certification import Certificate, CertificateReview
from tanzuji.store.grading import BenchmarkVersion
from tanzuji.store.ledger import LedgerEntryRow, LedgerNode, LedgerState, LedgerTreeHead
from tanzuji.store.sharing import AuditEvent, Grant, GrantRead, grant_products
from tanzuji.store.submissions import (
    Comment,
    Evidence,
    Footprint,
    Revision,
    Submission,
    VerificationCase,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "BenchmarkVersion",
    "Certificate",
    "CertificateReview",
    "Comment",
    "Conflict",
    "Evidence",
    "FactorProposal",
    "FactorSetVersion",
    "Footprint",
    "Grant",
    "GrantRead",
    "LedgerEntryRow",
    "LedgerNode",
    "LedgerState",
    "LedgerTreeHead",
    "LoginSession",
    "Membership",
    "Organization",
    "Product",
    "Revision",
    "RuleVersion",
    "Submission",
    "User",
    "VerificationCase",
    "grant_products",
]
