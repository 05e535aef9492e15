"""Evidence (证明材料): invoices, meter readings and the like, attached to the current revision
of a submission so that its verifier can check the data against them.

A file is accepted for what it *is*, not what it is called: its first bytes must show a PDF,
PNG, JPEG or Excel workbook, or it must be UTF-8 text (CSV or plain), and its name must end as
that kind of file does. An ``.exe`` renamed ``.pdf`` is refused, and so is a PNG called
``.pdf``. The bytes go to the :class:`~tanzuji.store.evidence.EvidenceStore` under their
SHA-256 (kept once however often uploaded); each upload adds one row naming the submission,
revision, input, file name and digest, and one audit event.

Who may see a submission (:meth:`SubmissionService.get`: its enterprise, its assigned
verifier, the regulator) may list and download its evidence; a download by anyone outside the
enterprise is written to the audit log.
"""

from __future__ import annotations

import builtins
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied, TooLarge
from tanzuji.rules import find_rule
from tanzuji.services.audit import record
from tanzuji.services.context import Context
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.evidence import EvidenceStore
from tanzuji.store.models import Evidence, Submission
from tanzuji.workflow import Status

__all__ = ["EDITABLE", "KINDS", "EvidenceService", "FileKind", "clean_filename", "identify"]

EDITABLE = frozenset({Status.DRAFT, Status.CALCULATED, Status.RETURNED})
"""The statuses in which evidence may be added (the enterprise still holds the submission)."""

MAX_FILENAME = 255


@dataclass(frozen=True)
class FileKind:
    """A kind of file accepted as evidence: its media type and the name endings it may have."""

    name: str
    media_type: str
    suffixes: tuple[str, ...]


PDF = FileKind("PDF document", "application/pdf", (".pdf",))
PNG = FileKind("PNG image", "image/png", (".png",))
JPEG = FileKind("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
XLSX = FileKind(
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
CSV = FileKind("CSV table", "text/csv; charset=utf-8", (".csv",))
TEXT = FileKind("text file", "text/plain; charset=utf-8", (".txt",))
KINDS = (PDF, PNG, JPEG, XLSX, CSV, TEXT)
"""Every kind of evidence file accepted."""

_ACCEPTED = "PDF, PNG, JPEG, Excel (.xlsx) or UTF-8 text (.csv, .txt)"
_TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}  # tab, line feed, form feed, return


def clean_filename(name: str) -> str:
    """The file name to keep: without folders, control or direction-changing characters, or
    leading dots, normalized (NFC) and at most 255 characters with its ending kept.

    >>> clean_filename("C:\\\\scans\\\\..\\\\电费发票\\u202egpj.exe")
    '电费发票gpj.exe'
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if len(base) > MAX_FILENAME:
        suffix = PurePosixPath(base).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        base = base[: MAX_FILENAME - len(suffix)] + suffix
    return base


def _zip_names(content: bytes) -> set[str] | None:
    """The member names of a ZIP archive (an .xlsx is one), or ``None`` if it is none."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _TEXT_CONTROLS or ch == "\x7f" for ch in text)


def identify(content: bytes, filename: str) -> FileKind:
    """The kind of evidence file ``content`` is, judged by its bytes; its name must end as
    that kind's does. :class:`InvalidInput` on field ``file`` otherwise."""
    kind: FileKind | None
    if not content:
        raise InvalidInput("the file is empty", field="file")
    if content.startswith(b"%PDF-"):
        kind = PDF
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif content.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif content.startswith(b"PK\x03\x04"):
        names = _zip_names(content) or set()
        kind = None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            kind = XLSX
            if any(n.startswith("xl/vbaProject") for n in names):
                raise InvalidInput(
                    "the workbook holds macros: save it as a plain .xlsx without them",
                    field="file",
                )
    elif _is_text(content):
        kind = CSV if filename.lower().endswith(".csv") else TEXT
    else:
        kind = None
    if kind is None:
        raise InvalidInput(
            f"{filename or 'the file'} is not a file accepted as evidence: upload {_ACCEPTED} "
            "(judged by the content, not the name)",
            field="file",
        )
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in kind.suffixes:
        raise InvalidInput(
            f"{filename or 'the file'} holds a {kind.name}: name it with "
            f"{' or '.join(kind.suffixes)}",
            field="file",
        )
    return kind


class EvidenceService:
    """Evidence files of submissions, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context, store: EvidenceStore) -> None:
        self.session = session
        self.context = context
        self.store = store

    def upload(
        self,
        submission_id: uuid.UUID,
        filename: str,
        content: bytes,
        input_name: str | None = None,
    ) -> Evidence:
        """Attach a file to the current revision of one of the acting enterprise's submissions,
        optionally naming the rule input it backs; only while the enterprise holds the
        submission (draft, calculated or returned)."""
        actor = self.context.require(Permission.EVIDENCE_UPLOAD)
        if actor.organization_kind is not OrganizationKind.ENTERPRISE:
            raise PermissionDenied("only an enterprise uploads evidence")
        submission = SubmissionService(self.session, self.context).get(submission_id)
        if submission.organization_id != actor.organization_id:
            raise NotFound(f"no submission {submission_id}", field="submission_id")
        if submission.status not in EDITABLE:
            raise IllegalTransition(
                f"evidence is added while a submission is draft, calculated or returned; this "
                f"one is {submission.status.value}",
                field="status",
            )
        input_name = self._checked_input(submission, input_name)
        if len(content) > self.store.max_bytes:
            raise TooLarge(
                f"the file is {len(content):,} bytes; at most {self.store.max_bytes:,}",
                field="file",
            )
        name = clean_filename(filename)
        kind = identify(content, name)
        sha256 = self.store.put(content)
        evidence = Evidence(
            submission_id=submission.id,
            revision=submission.revision,
            input_name=input_name,
            filename=name,
            media_type=kind.media_type,
            size=len(content),
            sha256=sha256,
            uploaded_by=actor.user_id,
            uploaded_at=self.context.now(),
        )
        self.session.add(evidence)
        self.session.flush()
        record(
            self.session,
            self.context,
            "evidence.upload",
            "submission",
            submission.id,
            evidence=str(evidence.id),
            revision=submission.revision,
            input_name=input_name or "",
            filename=name,
            media_type=kind.media_type,
            size=len(content),
            sha256=sha256,
        )
        return evidence

    def list(self, submission_id: uuid.UUID) -> builtins.list[Evidence]:
        """Every file attached to a submission the acting user may read, across revisions,
        oldest first."""
        submission = SubmissionService(self.session, self.context).get(submission_id)
        query = select(Evidence).where(Evidence.submission_id == submission.id)
        return builtins.list(
            self.session.scalars(
                query.order_by(Evidence.revision, Evidence.uploaded_at, Evidence.filename)
            )
        )

    def download(self, evidence_id: uuid.UUID) -> tuple[Evidence, bytes]:
        """A file and its bytes, checked against its SHA-256, for whoever may read its
        submission; :class:`~tanzuji.store.evidence.EvidenceTampered` if the file on disk was
        altered."""
        evidence = self.session.get(Evidence, evidence_id)
        if evidence is None:
            raise NotFound(f"no evidence {evidence_id}", field="evidence_id")
        try:
            submission = SubmissionService(self.session, self.context).get(evidence.submission_id)
        except NotFound as exc:  # say nothing of the submission it belongs to
            raise NotFound(f"no evidence {evidence_id}", field="evidence_id") from exc
        content = self.store.read(evidence.sha256)
        actor = self.context.actor
        assert actor is not None  # SubmissionService.get admits nobody else
        if actor.organization_id != submission.organization_id:
            record(
                self.session,
                self.context,
                "evidence.read",
                "submission",
                submission.id,
                evidence=str(evidence.id),
                filename=evidence.filename,
            )
        return evidence, content

    def _checked_input(self, submission: Submission, input_name: str | None) -> str | None:
        name = (input_name or "").strip()
        if not name:
            return None
        rule = find_rule(submission.rule_key)
        names = [spec.name for spec in rule.inputs]
        if name not in names:
            raise InvalidInput(
                f"rule {rule.key} has no input {name!r}; its inputs are {', '.join(names)}",
                field="input_name",
            )
        return name
