"""What the public verification page ``/v/{number}`` proves about a certificate, and the
certificate's carbon label. No sign-in: everything here is public.

The page shows four checks, each recomputed on every request, never read from a flag:

1. **The ledger entry**: entry ``ledger_index`` is the ``certificate.issued`` event of this
   certificate number.
2. **The credential's digest**: the SHA-256 of the RFC 8785 canonical form of the stored
   credential equals the ``credential_sha256`` that entry recorded (so the credential served
   is the one issued).
3. **The inclusion proof**: the entry's leaf hash, with its RFC 9162 §2.1.3 audit path,
   leads to the root of the latest signed tree head, and that head's Ed25519 signature
   verifies with the deployment's log key.
4. **The credential's own proof**: :func:`tanzuji.credentials.verify_credential` with the
   deployment's issuer key and the current signed status lists (signature, issuer, validity
   period, revocation, suspension).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.certification import Standing
from tanzuji.credentials import CredentialReport, status_list_url, verify_credential
from tanzuji.credentials.status_list import STATUS_PURPOSES
from tanzuji.errors import Gone, LedgerInconsistent, NotFound, TanzujiError
from tanzuji.labels import LabelContent
from tanzuji.ledger import EventKind, SignedTreeHead, verify_inclusion, verify_tree_head
from tanzuji.model.stages import Boundary
from tanzuji.services.certificate_urls import verification_url
from tanzuji.services.certificate_view import CertificateView
from tanzuji.services.certification import CertificationService
from tanzuji.services.context import Context
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService

__all__ = [
    "LedgerCheck",
    "LedgerProblem",
    "LedgerProblemKind",
    "PublicCertificate",
    "PublicCertificateService",
]


class LedgerProblemKind(StrEnum):
    """What can fail in checks 1 to 3 of the module's list."""

    NO_ENTRY = "no_entry"
    """The ledger has no entry at the certificate's index."""
    NOT_THE_ISSUE = "not_the_issue"
    """The entry there is another event, or the issue of another certificate."""
    DIGEST_DIFFERS = "digest_differs"
    """The stored credential does not hash to the SHA-256 the entry recorded."""
    NO_TREE_HEAD = "no_tree_head"
    """No tree head is signed yet."""
    HEAD_NOT_SIGNED = "head_not_signed"
    """The latest tree head's signature does not verify with the log key."""
    NOT_COVERED = "not_covered"
    """The latest signed tree head is older than the entry."""
    NOT_INCLUDED = "not_included"
    """The inclusion proof does not lead from the entry to the signed root."""


@dataclass(frozen=True)
class LedgerProblem:
    """A failed ledger check: its kind, and what was found, in plain (English) words."""

    kind: LedgerProblemKind
    detail: str


@dataclass(frozen=True)
class LedgerCheck:
    """The certificate against the ledger (checks 1 to 3 of the module's list).

    ``entry_kind`` is the kind of event at ``entry_index`` (``None`` without an entry);
    ``tree_head`` is the latest signed tree head (``None`` while none is signed, or none yet
    covers the entry); ``proof_length`` the number of hashes in the audit path; ``problems``
    says what failed, empty when all passed."""

    entry_index: int
    entry_recorded_at: datetime.datetime | None
    entry_kind: EventKind | None
    entry_is_the_issue: bool
    recorded_sha256: str | None
    stored_sha256: str
    tree_head: SignedTreeHead | None
    tree_head_signed: bool
    proof_length: int | None
    included: bool
    problems: tuple[LedgerProblem, ...]

    @property
    def digest_matches(self) -> bool:
        """The stored credential hashes to what the ledger recorded."""
        return self.recorded_sha256 == self.stored_sha256

    @property
    def passed(self) -> bool:
        return (
            self.entry_is_the_issue
            and self.digest_matches
            and self.tree_head_signed
            and self.included
        )


@dataclass(frozen=True)
class PublicCertificate:
    """A certificate as the verification page shows it: the read model and every check."""

    view: CertificateView
    ledger: LedgerCheck
    credential: CredentialReport
    verification_url: str


class PublicCertificateService:
    """Public reads of one certificate: its checks and its label.

    ``keys`` are the deployment's keys: their public halves verify the tree heads and the
    credential, the issuer key signs the status lists the credential check reads."""

    def __init__(
        self, session: Session, context: Context, *, keys: DeploymentKeys, public_url: str
    ) -> None:
        self.session = session
        self.context = context
        self.keys = keys
        self.public_url = public_url
        self.certificates = CertificationService(
            session, context, issuer_key=keys.issuer, public_url=public_url
        )

    def verification(self, number: str) -> PublicCertificate:
        """The certificate ``number`` with its ledger and credential checks, now."""
        view = self.certificates.certificate(number)
        return PublicCertificate(
            view=view,
            ledger=self._ledger_check(view),
            credential=self._credential_check(view),
            verification_url=verification_url(self.public_url, view.number),
        )

    def label(self, number: str) -> LabelContent:
        """What the label of certificate ``number`` prints; :class:`Gone` unless the
        certificate is valid now (a suspended, withdrawn or expired certificate has no label
        to print)."""
        view = self.certificates.certificate(number)
        if view.standing is not Standing.VALID:
            raise Gone(
                f"certificate {number} is {view.standing.value}: its label may no longer be "
                "printed or shown",
                field="number",
            )
        return LabelContent(
            product_name_zh=view.product_name_zh,
            product_name_en=view.product_name_en,
            value=view.value_kgco2e,
            unit="kg CO2e",
            declared_unit=view.declared_unit,
            boundary=Boundary(view.boundary),
            grade=view.grade,
            certificate_number=view.number,
            valid_until=view.valid_until,
            verification_url=verification_url(self.public_url, view.number),
        )

    # the checks ---------------------------------------------------------------------------

    def _ledger_check(self, view: CertificateView) -> LedgerCheck:
        ledger = LedgerService(self.session, self.context)
        stored = sha256_hex(canonical_json(view.credential))
        problems: list[LedgerProblem] = []
        try:
            entry = ledger.entry(view.ledger_index)
        except NotFound:
            entry = None
            problems.append(
                LedgerProblem(
                    LedgerProblemKind.NO_ENTRY, f"the ledger has no entry {view.ledger_index}"
                )
            )
        is_issue = (
            entry is not None
            and entry.kind is EventKind.CERTIFICATE_ISSUED
            and entry.body.get("certificate") == view.number
        )
        if entry is not None and not is_issue:
            problems.append(
                LedgerProblem(
                    LedgerProblemKind.NOT_THE_ISSUE,
                    f"entry {view.ledger_index} is a {entry.kind.value} event, not the issue of "
                    f"{view.number}",
                )
            )
        recorded = entry.body.get("credential_sha256") if is_issue and entry else None
        if is_issue and recorded != stored:
            problems.append(
                LedgerProblem(
                    LedgerProblemKind.DIGEST_DIFFERS,
                    f"the stored credential hashes to {stored}, the ledger recorded {recorded}",
                )
            )
        head, signed, proof_length, included = self._inclusion(
            ledger, view.ledger_index, entry.leaf_hash() if entry else None, problems
        )
        return LedgerCheck(
            entry_index=view.ledger_index,
            entry_recorded_at=entry.recorded_at if entry else None,
            entry_kind=entry.kind if entry else None,
            entry_is_the_issue=is_issue,
            recorded_sha256=recorded if isinstance(recorded, str) else None,
            stored_sha256=stored,
            tree_head=head,
            tree_head_signed=signed,
            proof_length=proof_length,
            included=included,
            problems=tuple(problems),
        )

    def _inclusion(
        self,
        ledger: LedgerService,
        index: int,
        leaf: bytes | None,
        problems: list[LedgerProblem],
    ) -> tuple[SignedTreeHead | None, bool, int | None, bool]:
        """The latest signed head, whether its signature holds, the audit path's length and
        whether the entry's leaf is in that head's tree."""
        try:
            head = ledger.tree_head()
        except NotFound:
            problems.append(
                LedgerProblem(LedgerProblemKind.NO_TREE_HEAD, "no tree head is signed yet")
            )
            return None, False, None, False
        signed = self._head_signed(head, problems)
        if index >= head.tree_size:
            problems.append(
                LedgerProblem(
                    LedgerProblemKind.NOT_COVERED,
                    f"the latest signed tree head ({head.tree_size} entries) does not cover "
                    f"entry {index} yet",
                )
            )
            return head, signed, None, False
        if leaf is None:
            return head, signed, None, False
        try:
            proof = ledger.inclusion_proof(index, head.tree_size)
            verify_inclusion(index, head.tree_size, leaf, proof, head.root_hash)
        except TanzujiError as exc:  # LedgerInconsistent, or Tampered nodes
            problems.append(LedgerProblem(LedgerProblemKind.NOT_INCLUDED, str(exc)))
            return head, signed, None, False
        return head, signed, len(proof), True

    def _head_signed(self, head: SignedTreeHead, problems: list[LedgerProblem]) -> bool:
        public_key: Ed25519PublicKey = self.keys.log.public_key()
        try:
            verify_tree_head(public_key, head)
        except LedgerInconsistent as exc:
            problems.append(LedgerProblem(LedgerProblemKind.HEAD_NOT_SIGNED, str(exc)))
            return False
        return True

    def _credential_check(self, view: CertificateView) -> CredentialReport:
        status_lists = {
            status_list_url(self.public_url, purpose): self.certificates.status_list(purpose)
            for purpose in STATUS_PURPOSES
        }
        return verify_credential(
            view.credential,
            public_key=self.keys.issuer.public_key(),
            at=self.context.now(),
            status_lists=status_lists,
        )
