"""Third-party verification: the regulator assigns a verifier, which accepts the submission or
returns it with comments, per input where it can; conflicts of interest are declared first."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tanzuji.ledger.events import EventKind
from tanzuji.services.audit import record
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_events import verification_decided
from tanzuji.services.rows import add_unique
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import Comment, Organization, Submission, VerificationCase
from tanzuji.store.models import Conflict as DeclaredConflict
from tanzuji.workflow import Action, next_status

__all__ = ["VerificationService"]


class VerificationService:
    """Verification cases and comments, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def declare_conflict(self, enterprise_id: uuid.UUID, reason: str) -> DeclaredConflict:
        """The acting verifier declares a conflict of interest with an enterprise."""
        actor = self.context.require(Permission.CONFLICT_DECLARE)
        enterprise = self.session.get(Organization, enterprise_id)
        if enterprise is None or enterprise.kind is not OrganizationKind.ENTERPRISE:
            raise NotFound(f"no enterprise {enterprise_id}", field="enterprise_id")
        if not reason.strip():
            raise InvalidInput("say what the conflict is", field="reason")
        declared = DeclaredConflict(
            verifier_id=actor.organization_id,
            enterprise_id=enterprise_id,
            reason=reason.strip(),
            declared_at=self.context.now(),
        )
        add_unique(self.session, declared, "enterprise_id", "this conflict is declared already")
        record(
            self.session,
            self.context,
            "conflict.declare",
            "organization",
            enterprise_id,
            verifier=str(actor.organization_id),
            reason=declared.reason,
        )
        return declared

    def assign(
        self, submission_id: uuid.UUID, verifier_id: uuid.UUID, expected_version: int | None = None
    ) -> VerificationCase:
        """The regulator assigns a verifier to a submitted submission (or reassigns one under
        verification); a verifier with a declared conflict is refused."""
        self.context.require(Permission.CASE_ASSIGN)
        submission = SubmissionService(self.session, self.context).get(submission_id)
        if expected_version is not None and submission.version != expected_version:
            raise Conflict("the submission changed meanwhile; reload it", field="version")
        verifier = self.session.get(Organization, verifier_id)
        if verifier is None or verifier.kind is not OrganizationKind.VERIFIER:
            raise NotFound(f"no verifier {verifier_id}", field="verifier_id")
        conflict = self.session.scalar(
            select(DeclaredConflict).where(
                DeclaredConflict.verifier_id == verifier_id,
                DeclaredConflict.enterprise_id == submission.organization_id,
            )
        )
        if conflict is not None:
            raise Conflict(
                f"{verifier.name_zh} declared a conflict with this enterprise: {conflict.reason}",
                field="verifier_id",
            )
        before = submission.status
        submission.status = next_status(submission.status, Action.ASSIGN)
        submission.verifier_id = verifier_id
        submission.updated_at = self.context.now()
        assert self.context.actor is not None
        case = VerificationCase(
            submission_id=submission.id,
            revision=submission.revision,
            verifier_id=verifier_id,
            assigned_by=self.context.actor.user_id,
            assigned_at=self.context.now(),
            decision=None,
            decided_by=None,
            decided_at=None,
        )
        self.session.add(case)
        self.session.flush()
        record(
            self.session,
            self.context,
            "submission.assign",
            "submission",
            submission.id,
            verifier=str(verifier_id),
            status_before=before.value,
            status_after=submission.status.value,
        )
        return case

    def cases(self, *, open_only: bool = False) -> list[VerificationCase]:
        """The cases assigned to the acting verifier, newest first."""
        actor = self.context.require(Permission.CASE_REVIEW)
        query = select(VerificationCase).where(
            VerificationCase.verifier_id == actor.organization_id
        )
        if open_only:
            query = query.where(VerificationCase.decision.is_(None))
        return list(self.session.scalars(query.order_by(VerificationCase.assigned_at.desc())))

    def decide(
        self,
        case_id: uuid.UUID,
        decision: Literal["accept", "return"],
        comments: Sequence[Mapping[str, str]] = (),
    ) -> VerificationCase:
        """The assigned verifier accepts the submission, or returns it with comments (at
        least one; each ``{"body": …, "input_name": …}``, the input optional)."""
        actor = self.context.require(Permission.CASE_REVIEW)
        case = self.session.get(VerificationCase, case_id)
        if case is None or case.verifier_id != actor.organization_id:
            raise NotFound(f"no case {case_id}", field="case_id")
        if case.decision is not None:
            raise Conflict(f"the case was decided already ({case.decision})", field="case_id")
        submission = self.session.get(Submission, case.submission_id)
        assert submission is not None
        if submission.verifier_id != actor.organization_id:
            raise PermissionDenied("the submission was reassigned to another verifier")
        if decision not in ("accept", "return"):
            raise InvalidInput("decide accept or return", field="decision")
        if decision == "return" and not comments:
            raise InvalidInput("say why the submission goes back: add a comment", field="comments")
        action = Action.ACCEPT if decision == "accept" else Action.RETURN
        before = submission.status
        submission.status = next_status(submission.status, action)
        submission.updated_at = self.context.now()
        case.decision, case.decided_by, case.decided_at = (
            decision,
            actor.user_id,
            self.context.now(),
        )
        for comment in comments:
            self._add_comment(submission, comment)
        self.session.flush()
        LedgerService(self.session, self.context).record(
            EventKind.VERIFICATION_DECIDED, verification_decided(self.session, case)
        )
        record(
            self.session,
            self.context,
            f"submission.{decision}",
            "submission",
            submission.id,
            case=str(case.id),
            revision=case.revision,
            status_before=before.value,
            status_after=submission.status.value,
            comments=len(comments),
        )
        return case

    def comment(
        self, submission_id: uuid.UUID, body: str, input_name: str | None = None
    ) -> Comment:
        """A remark on the current revision by its enterprise or its assigned verifier."""
        submission = SubmissionService(self.session, self.context).get(submission_id)
        actor = self.context.actor
        assert actor is not None
        if actor.organization_id not in (submission.organization_id, submission.verifier_id):
            raise PermissionDenied("only the enterprise and its verifier comment on a submission")
        comment = self._add_comment(submission, {"body": body, "input_name": input_name or ""})
        self.session.flush()
        record(
            self.session,
            self.context,
            "comment.add",
            "submission",
            submission.id,
            input_name=input_name or "",
        )
        return comment

    def comments(self, submission_id: uuid.UUID) -> list[Comment]:
        """Every comment on a submission, across its revisions, oldest first."""
        submission = SubmissionService(self.session, self.context).get(submission_id)
        query = select(Comment).where(Comment.submission_id == submission.id)
        return list(self.session.scalars(query.order_by(Comment.created_at)))

    def _add_comment(self, submission: Submission, comment: Mapping[str, str | None]) -> Comment:
        body = (comment.get("body") or "").strip()
        if not body:
            raise InvalidInput("a comment needs text", field="comments.body")
        if len(body) > 5000:
            raise InvalidInput("a comment holds at most 5,000 characters", field="comments.body")
        input_name = (comment.get("input_name") or "").strip() or None
        assert self.context.actor is not None
        made = Comment(
            submission_id=submission.id,
            revision=submission.revision,
            input_name=input_name,
            body=body,
            author_id=self.context.actor.user_id,
            created_at=self.context.now(),
        )
        self.session.add(made)
        return made
