"""Who may do what: organization kinds, roles, and permissions as data.

A permission is ``resource:action``. A role is a set of permissions; a user holds
a role in one organization (a membership), and every use case checks the
permission it needs in the services layer, so the API, the pages and the command
line cannot disagree. Anything not granted here is denied. What a permission
reaches is narrowed further by the services: an enterprise sees only its own
products, a verifier only the cases assigned to it, a data partner only what an
enterprise has shared with it (see ``docs/platform.md``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ORGANIZATION_ROLES", "PERMISSIONS", "OrganizationKind", "Permission", "Role"]


class OrganizationKind(StrEnum):
    """What an organization is to the system."""

    ENTERPRISE = "enterprise"
    VERIFIER = "verifier"
    CERTIFICATION_BODY = "certification_body"
    REGULATOR = "regulator"
    ASSOCIATION = "association"
    RESEARCH_INSTITUTE = "research_institute"
    CREDIT_AGENCY = "credit_agency"
    RATING_AGENCY = "rating_agency"
    BANK = "bank"
    BUYER = "buyer"

    @property
    def is_data_partner(self) -> bool:
        """Associations, research institutes, credit and rating agencies, banks."""
        return self in _PARTNERS


_PARTNERS = frozenset(
    {
        OrganizationKind.ASSOCIATION,
        OrganizationKind.RESEARCH_INSTITUTE,
        OrganizationKind.CREDIT_AGENCY,
        OrganizationKind.RATING_AGENCY,
        OrganizationKind.BANK,
    }
)


class Role(StrEnum):
    """A user's role in one organization."""

    ENTERPRISE_ADMIN = "enterprise_admin"
    ENTERPRISE_USER = "enterprise_user"
    VERIFIER = "verifier"
    CERTIFIER = "certifier"
    REGULATOR = "regulator"
    DATA_PARTNER = "data_partner"
    BUYER = "buyer"


class Permission(StrEnum):
    """One thing a role may do (``resource:action``)."""

    PRODUCT_MANAGE = "product:manage"
    SUBMISSION_READ = "submission:read"
    SUBMISSION_EDIT = "submission:edit"
    SUBMISSION_SUBMIT = "submission:submit"
    EVIDENCE_UPLOAD = "evidence:upload"
    FOOTPRINT_READ = "footprint:read"
    GRANT_MANAGE = "grant:manage"
    MEMBER_MANAGE = "member:manage"
    TOKEN_MANAGE = "token:manage"
    CASE_REVIEW = "case:review"
    CONFLICT_DECLARE = "conflict:declare"
    CERTIFICATE_APPLY = "certificate:apply"
    CERTIFICATE_DECIDE = "certificate:decide"
    CASE_ASSIGN = "case:assign"
    OVERSIGHT_READ = "oversight:read"
    AUDIT_READ = "audit:read"
    ORGANIZATION_MANAGE = "organization:manage"
    FACTOR_PROPOSE = "factor:propose"
    FACTOR_PUBLISH = "factor:publish"
    BENCHMARK_PUBLISH = "benchmark:publish"
    SHARED_READ = "shared:read"
    PUBLIC_READ = "public:read"


_ENTERPRISE_USER = frozenset(
    {
        Permission.SUBMISSION_READ,
        Permission.SUBMISSION_EDIT,
        Permission.SUBMISSION_SUBMIT,
        Permission.EVIDENCE_UPLOAD,
        Permission.FOOTPRINT_READ,
        Permission.TOKEN_MANAGE,
        Permission.PUBLIC_READ,
    }
)
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ENTERPRISE_USER: _ENTERPRISE_USER,
    Role.ENTERPRISE_ADMIN: _ENTERPRISE_USER
    | {
        Permission.PRODUCT_MANAGE,
        Permission.GRANT_MANAGE,
        Permission.MEMBER_MANAGE,
        Permission.CERTIFICATE_APPLY,
    },
    Role.VERIFIER: frozenset(
        {
            Permission.CASE_REVIEW,
            Permission.CONFLICT_DECLARE,
            Permission.TOKEN_MANAGE,
            Permission.PUBLIC_READ,
        }
    ),
    Role.CERTIFIER: frozenset(
        {Permission.CERTIFICATE_DECIDE, Permission.TOKEN_MANAGE, Permission.PUBLIC_READ}
    ),
    Role.REGULATOR: frozenset(
        {
            Permission.CASE_ASSIGN,
            Permission.OVERSIGHT_READ,
            Permission.AUDIT_READ,
            Permission.ORGANIZATION_MANAGE,
            Permission.FACTOR_PROPOSE,
            Permission.FACTOR_PUBLISH,
            Permission.BENCHMARK_PUBLISH,
            Permission.MEMBER_MANAGE,
            Permission.TOKEN_MANAGE,
            Permission.PUBLIC_READ,
        }
    ),
    Role.DATA_PARTNER: frozenset(
        {Permission.SHARED_READ, Permission.TOKEN_MANAGE, Permission.PUBLIC_READ}
    ),
    Role.BUYER: frozenset({Permission.TOKEN_MANAGE, Permission.PUBLIC_READ}),
}
"""The permissions of each role; the public (no account) has only ``public:read``."""

ORGANIZATION_ROLES: dict[OrganizationKind, frozenset[Role]] = {
    OrganizationKind.ENTERPRISE: frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER}),
    OrganizationKind.VERIFIER: frozenset({Role.VERIFIER}),
    OrganizationKind.CERTIFICATION_BODY: frozenset({Role.CERTIFIER}),
    OrganizationKind.REGULATOR: frozenset({Role.REGULATOR}),
    OrganizationKind.BUYER: frozenset({Role.BUYER}),
    **{kind: frozenset({Role.DATA_PARTNER}) for kind in _PARTNERS},
}
"""The roles a member of each kind of organization may hold."""
