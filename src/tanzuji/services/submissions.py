"""Activity data submissions: entered whole (JSON), month by month, or as the rule's table;
checked by the rule; calculated; submitted for verification.

A submission is stored only when its data has no errors and every warning carries a written
justification; a refused upload changes nothing and lists every problem. Editing makes a new
revision; earlier revisions, their footprints and the comments on them stay.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import (
    ActivityDataError,
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleInputError,
    TanzujiError,
    TooLarge,
)
from tanzuji.ledger.events import EventKind
from tanzuji.rules import ActivityData, Problem, Rule, account, check, find_rule
from tanzuji.rules.entry_csv import read_entry_csv
from tanzuji.rules.monthly import add_up
from tanzuji.rules.workbook import read_workbook
from tanzuji.services.audit import record
from tanzuji.services.context import Actor, Context
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_events import footprint_computed, submission_received
from tanzuji.services.paging import Page, check_window
from tanzuji.services.rows import add_unique
from tanzuji.store.models import (
    Footprint,
    Product,
    Revision,
    RuleVersion,
    Submission,
    VerificationCase,
)
from tanzuji.workflow import Action, Status, next_status

__all__ = ["SubmissionService"]

MAX_TABLE_BYTES = 5 * 1024 * 1024
"""The largest Excel or CSV entry table accepted (a filled template is a few tens of kB)."""


def _problem_rows(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [
        {
            "severity": p.severity,
            "field": p.field,
            "message_zh": p.message_zh,
            "message_en": p.message_en,
            "justification": p.justification,
        }
        for p in problems
    ]


def _refuse(problems: Sequence[Problem], what: str) -> InvalidInput:
    return InvalidInput(
        f"{what}: {len(problems)} problem(s); nothing was stored",
        field=problems[0].field if problems else None,
        problems=_problem_rows(problems),
    )


def _digest(data: ActivityData) -> str:
    canonical = json.dumps(
        data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SubmissionService:
    """Submissions, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    # entering data ----------------------------------------------------------------------

    def create(
        self,
        product_id: uuid.UUID,
        data: Mapping[str, Any] | ActivityData,
        monthly: Sequence[Mapping[str, Any]] | None = None,
    ) -> Submission:
        """A new submission of ``data`` (the rule's inputs; ``monthly`` entries are added up
        into it) for one of the acting enterprise's products."""
        actor = self.context.require(Permission.SUBMISSION_EDIT)
        product = self._own_product(actor, product_id)
        activity, monthly_rows, warnings = self._checked(product, data, monthly)
        now = self.context.now()
        submission = Submission(
            product_id=product.id,
            organization_id=product.organization_id,
            rule_key=self._rule_version(activity).key,
            period_start=activity.reference_period.start,
            period_end=activity.reference_period.end,
            status=Status.DRAFT,
            revision=1,
            verifier_id=None,
            created_at=now,
            updated_at=now,
        )
        add_unique(
            self.session,
            submission,
            "reference_period",
            f"product {product.code} has a submission for {submission.period_start}…"
            f"{submission.period_end} already: revise it",
        )
        self._add_revision(submission, activity, monthly_rows, warnings)
        self._record_received(submission, "create")
        record(
            self.session,
            self.context,
            "submission.create",
            "submission",
            submission.id,
            product=product.code,
            rule=submission.rule_key,
            period=f"{submission.period_start}/{submission.period_end}",
        )
        return submission

    def create_from_table(self, product_id: uuid.UUID, filename: str, content: bytes) -> Submission:
        """A new submission from the rule's filled Excel (.xlsx) or CSV table."""
        return self.create(product_id, self._read_table(filename, content))

    def revise(
        self,
        submission_id: uuid.UUID,
        expected_version: int,
        data: Mapping[str, Any] | ActivityData,
        monthly: Sequence[Mapping[str, Any]] | None = None,
    ) -> Submission:
        """New data for a draft, calculated or returned submission: a new revision, back to
        draft. ``expected_version`` is the version the editor saw; if someone changed the
        submission since, :class:`Conflict` and nothing changes."""
        actor = self.context.require(Permission.SUBMISSION_EDIT)
        submission = self._own_submission(actor, submission_id)
        self._expect(submission, expected_version)
        new_status = next_status(submission.status, Action.EDIT)
        product = self.session.get(Product, submission.product_id)
        assert product is not None
        activity, monthly_rows, warnings = self._checked(product, data, monthly)
        period = (activity.reference_period.start, activity.reference_period.end)
        if period != (submission.period_start, submission.period_end):
            raise InvalidInput(
                "a revision keeps the submission's reference period; start a new submission "
                "for another period",
                field="reference_period",
            )
        before = submission.status
        submission.status = new_status
        submission.revision += 1
        submission.rule_key = self._rule_version(activity).key
        submission.updated_at = self.context.now()
        self._flush_guarded(submission)
        self._add_revision(submission, activity, monthly_rows, warnings)
        self._record_received(submission, "revise")
        record(
            self.session,
            self.context,
            "submission.revise",
            "submission",
            submission.id,
            revision=submission.revision,
            status_before=before.value,
            status_after=new_status.value,
        )
        return submission

    def revise_from_table(
        self, submission_id: uuid.UUID, expected_version: int, filename: str, content: bytes
    ) -> Submission:
        """New data for a submission from the rule's filled Excel or CSV table."""
        return self.revise(submission_id, expected_version, self._read_table(filename, content))

    # calculating and submitting -----------------------------------------------------------

    def calculate(self, submission_id: uuid.UUID, expected_version: int | None = None) -> Footprint:
        """Compute the footprint of the current revision with the latest published factor set."""
        actor = self.context.require(Permission.SUBMISSION_EDIT)
        submission = self._own_submission(actor, submission_id)
        if expected_version is not None:
            self._expect(submission, expected_version)
        new_status = next_status(submission.status, Action.CALCULATE)
        revision = self._revision(submission, submission.revision)
        rule = find_rule(submission.rule_key)
        data = ActivityData.model_validate(revision.data)
        factor_sets = FactorSetService(self.session, self.context)
        version = factor_sets.latest().version
        try:
            result = account(rule, data, factor_sets.factor_set(version))
        except RuleInputError as exc:  # the data was checked with an older factor set
            raise InvalidInput(str(exc), field="data") from exc
        except TanzujiError as exc:
            raise InvalidInput(f"the footprint cannot be computed: {exc}", field="data") from exc
        footprint = Footprint(
            submission_id=submission.id,
            revision=submission.revision,
            product_id=submission.product_id,
            rule_key=submission.rule_key,
            factor_set_version=version,
            gwp=result.provenance.gwp,
            declared_unit=result.declared_unit,
            total_kgco2e=result.total_kgco2e,
            result=json.loads(json.dumps(result.to_dict(), allow_nan=False, default=str)),
            computed_at=self.context.now(),
        )
        self.session.add(footprint)
        submission.status = new_status
        submission.updated_at = self.context.now()
        self._flush_guarded(submission)
        LedgerService(self.session, self.context).record(
            EventKind.FOOTPRINT_COMPUTED, footprint_computed(footprint, revision)
        )
        record(
            self.session,
            self.context,
            "footprint.compute",
            "submission",
            submission.id,
            revision=submission.revision,
            factor_set=version,
            total_kgco2e=result.total_kgco2e,
            declared_unit=result.declared_unit,
        )
        return footprint

    def submit(self, submission_id: uuid.UUID, expected_version: int | None = None) -> Submission:
        """Hand the calculated submission to the regulator for verification."""
        actor = self.context.require(Permission.SUBMISSION_SUBMIT)
        submission = self._own_submission(actor, submission_id)
        if expected_version is not None:
            self._expect(submission, expected_version)
        submission.status = next_status(submission.status, Action.SUBMIT)
        submission.updated_at = self.context.now()
        self._flush_guarded(submission)
        self._record_received(submission, "submit")
        record(
            self.session,
            self.context,
            "submission.submit",
            "submission",
            submission.id,
            revision=submission.revision,
        )
        return submission

    # reading ------------------------------------------------------------------------------

    def get(self, submission_id: uuid.UUID) -> Submission:
        """A submission the acting user may read (its enterprise, its assigned verifier, the
        regulator); anything else is :class:`NotFound`, so ids cannot be probed."""
        actor = self.context.actor
        if actor is None:
            self.context.require(Permission.SUBMISSION_READ)
        submission = self.session.get(Submission, submission_id)
        if submission is None or not self._may_read(actor, submission):
            raise NotFound(f"no submission {submission_id}", field="submission_id")
        return submission

    def submissions(
        self,
        *,
        status: Status | None = None,
        product_id: uuid.UUID | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """The submissions the acting user may read, newest first."""
        actor = self.context.actor
        if actor is None:
            raise NotAuthenticated("sign in to list submissions")
        check_window(limit, offset)
        query = select(Submission)
        if Permission.OVERSIGHT_READ in actor.permissions:
            pass
        elif Permission.CASE_REVIEW in actor.permissions:
            query = query.where(Submission.verifier_id == actor.organization_id)
        else:
            self.context.require(Permission.SUBMISSION_READ)
            query = query.where(Submission.organization_id == actor.organization_id)
        if status is not None:
            query = query.where(Submission.status == status)
        if product_id is not None:
            query = query.where(Submission.product_id == product_id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(Submission.updated_at.desc(), Submission.id).limit(limit).offset(offset)
        )
        return Page(list(rows), total, limit, offset)

    def revisions(self, submission_id: uuid.UUID) -> list[Revision]:
        """Every revision of a submission, oldest first."""
        submission = self.get(submission_id)
        query = select(Revision).where(Revision.submission_id == submission.id)
        return list(self.session.scalars(query.order_by(Revision.number)))

    def footprints(self, submission_id: uuid.UUID) -> list[Footprint]:
        """Every footprint computed for a submission, oldest first."""
        submission = self.get(submission_id)
        query = select(Footprint).where(Footprint.submission_id == submission.id)
        return list(self.session.scalars(query.order_by(Footprint.computed_at)))

    def previous_period(self, submission_id: uuid.UUID) -> tuple[Submission, Revision] | None:
        """The same product's submission of the latest earlier period and its current
        revision, for comparing year on year: whoever may read ``submission_id`` (its
        enterprise, its verifier, the regulator) may see it beside it."""
        submission = self.get(submission_id)
        before = self.session.scalars(
            select(Submission)
            .where(
                Submission.product_id == submission.product_id,
                Submission.period_end < submission.period_start,
            )
            .order_by(Submission.period_end.desc())
            .limit(1)
        ).first()
        if before is None:
            return None
        return before, self._revision(before, before.revision)

    def latest_footprint(self, submission: Submission) -> Footprint | None:
        """The newest footprint of the submission's current revision, if computed."""
        query = (
            select(Footprint)
            .where(
                Footprint.submission_id == submission.id,
                Footprint.revision == submission.revision,
            )
            .order_by(Footprint.computed_at.desc())
        )
        return self.session.scalars(query.limit(1)).first()

    # helpers ------------------------------------------------------------------------------

    def _checked(
        self,
        product: Product,
        data: Mapping[str, Any] | ActivityData,
        monthly: Sequence[Mapping[str, Any]] | None,
    ) -> tuple[ActivityData, list[dict[str, Any]] | None, list[Problem]]:
        """The data as the rule sees it, or :class:`InvalidInput` listing every problem."""
        raw = data.model_dump(mode="json") if isinstance(data, ActivityData) else dict(data)
        raw.setdefault("rule", product.rule_id)
        raw.setdefault("product", product.code)
        raw.setdefault("name_zh", product.name_zh)
        raw.setdefault("name_en", product.name_en or product.code)
        if raw["product"] != product.code:
            raise InvalidInput(
                f"the data is for product {raw['product']!r}, not {product.code!r}",
                field="product",
            )
        if str(raw["rule"]).partition("@")[0] != product.rule_id:
            raise InvalidInput(
                f"product {product.code} is accounted under rule {product.rule_id}, "
                f"not {raw['rule']}",
                field="rule",
            )
        try:
            rule = find_rule(str(raw["rule"]))
        except TanzujiError as exc:
            raise InvalidInput(str(exc), field="rule") from exc
        if monthly:
            raw = self._with_monthly(rule, raw, monthly)
        try:
            activity = ActivityData.model_validate(raw)
        except ValidationError as exc:
            problems = [
                Problem(
                    "error",
                    ".".join(str(p) for p in e["loc"]) or "(data)",
                    f"无效：{e['msg']}",
                    e["msg"],
                )
                for e in exc.errors()
            ]
            raise _refuse(problems, "the activity data is not valid") from exc
        factor_sets = FactorSetService(self.session, self.context)
        factor_set = factor_sets.factor_set(factor_sets.latest().version)
        problems = check(rule, activity, factor_set)
        unjustified = [
            Problem(
                "error",
                p.field,
                f"{p.message_zh}（须填写偏离说明）",
                f"{p.message_en} (a justification is needed)",
            )
            for p in problems
            if p.severity == "warning" and not p.justification and p.field in activity.inputs
        ]
        errors = [p for p in problems if p.severity == "error"] + unjustified
        if errors:
            raise _refuse(errors, f"the data does not meet rule {rule.key}")
        rows = [dict(entry) for entry in monthly] if monthly else None
        return activity, rows, [p for p in problems if p.severity == "warning"]

    @staticmethod
    def _with_monthly(
        rule: Rule, raw: dict[str, Any], monthly: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        try:
            period = ActivityData.model_validate({**raw, "inputs": {}}).reference_period
        except ValidationError as exc:
            raise InvalidInput(
                "give the reference period before monthly entries", field="reference_period"
            ) from exc
        summed, problems = add_up(rule, period.start, period.end, monthly)
        inputs = dict(raw.get("inputs") or {})
        for name in sorted(set(inputs) & set(summed)):
            problems.append(
                Problem(
                    "error",
                    f"inputs.{name}",
                    "该项已按月填报，不能再按核算期填报",
                    "given monthly and for the period: keep one",
                )
            )
        if problems:
            raise _refuse(problems, "the monthly entries do not add up")
        return {**raw, "inputs": {**inputs, **{k: v.model_dump() for k, v in summed.items()}}}

    def _read_table(self, filename: str, content: bytes) -> ActivityData:
        suffix = Path(filename).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise InvalidInput("upload the rule's entry table as .xlsx or .csv", field="file")
        if len(content) > MAX_TABLE_BYTES:
            raise TooLarge(
                f"the table is {len(content):,} bytes; at most {MAX_TABLE_BYTES:,}", field="file"
            )
        if suffix == ".xlsx" and not content.startswith(b"PK"):
            raise InvalidInput("the file is not an Excel workbook (.xlsx)", field="file")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(content)
            try:
                return read_workbook(path) if suffix == ".xlsx" else read_entry_csv(path)
            except ActivityDataError as exc:
                raise InvalidInput(
                    f"{filename}: {len(exc.problems)} problem(s); nothing was stored",
                    field="file",
                    problems=[
                        {
                            "severity": "error",
                            "field": field,
                            "row": "" if line is None else str(line),
                            "message_zh": message,
                            "message_en": message,
                            "justification": "",
                        }
                        for line, field, message in exc.problems
                    ],
                ) from exc

    def _rule_version(self, data: ActivityData) -> RuleVersion:
        rule = find_rule(data.rule)
        stored = self.session.get(RuleVersion, rule.key)
        if stored is None:
            digest = hashlib.sha256(rule.model_dump_json().encode("utf-8")).hexdigest()
            stored = RuleVersion(
                key=rule.key,
                rule_id=rule.id,
                version=rule.version,
                sha256=digest,
                registered_at=self.context.now(),
            )
            self.session.add(stored)
            self.session.flush()
        return stored

    def _add_revision(
        self,
        submission: Submission,
        data: ActivityData,
        monthly: list[dict[str, Any]] | None,
        warnings: list[Problem],
    ) -> None:
        assert self.context.actor is not None
        self.session.add(
            Revision(
                submission_id=submission.id,
                number=submission.revision,
                data=data.model_dump(mode="json"),
                monthly=json.loads(json.dumps(monthly, default=str)) if monthly else None,
                sha256=_digest(data),
                warnings=_problem_rows(warnings),
                created_by=self.context.actor.user_id,
                created_at=self.context.now(),
            )
        )
        self.session.flush()

    def _record_received(self, submission: Submission, action: str) -> None:
        """Append ``submission.received`` to the ledger (``create``, ``revise``, ``submit``)."""
        LedgerService(self.session, self.context).record(
            EventKind.SUBMISSION_RECEIVED, submission_received(self.session, submission, action)
        )

    def _revision(self, submission: Submission, number: int) -> Revision:
        found = self.session.scalar(
            select(Revision).where(
                Revision.submission_id == submission.id, Revision.number == number
            )
        )
        assert found is not None, "every submission has its current revision"
        return found

    def _own_product(self, actor: Actor, product_id: uuid.UUID) -> Product:
        if actor.organization_kind is not OrganizationKind.ENTERPRISE:
            raise PermissionDenied("only an enterprise submits activity data")
        product = self.session.get(Product, product_id)
        if product is None or product.organization_id != actor.organization_id:
            raise NotFound(f"no product {product_id}", field="product_id")
        return product

    def _own_submission(self, actor: Actor, submission_id: uuid.UUID) -> Submission:
        submission = self.session.get(Submission, submission_id)
        if submission is None or submission.organization_id != actor.organization_id:
            raise NotFound(f"no submission {submission_id}", field="submission_id")
        return submission

    def _may_read(self, actor: Actor | None, submission: Submission) -> bool:
        if actor is None:
            return False
        if Permission.OVERSIGHT_READ in actor.permissions:
            return True
        if Permission.SUBMISSION_READ in actor.permissions:
            return submission.organization_id == actor.organization_id
        if Permission.CASE_REVIEW in actor.permissions:
            assigned = select(VerificationCase.id).where(
                VerificationCase.submission_id == submission.id,
                VerificationCase.verifier_id == actor.organization_id,
            )
            return self.session.scalar(assigned.limit(1)) is not None
        return False

    @staticmethod
    def _expect(submission: Submission, expected_version: int) -> None:
        if submission.version != expected_version:
            raise Conflict(
                f"the submission changed meanwhile (version {submission.version}, you edited "
                f"version {expected_version}); reload it and apply your change again",
                field="version",
            )

    def _flush_guarded(self, submission: Submission) -> None:
        """Flush, turning a concurrent update of the same submission into :class:`Conflict`."""
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise Conflict(
                f"submission {submission.id} was changed by someone else meanwhile; reload it",
                field="version",
            ) from exc
