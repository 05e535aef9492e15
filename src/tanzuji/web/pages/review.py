"""The verifier's pages: its cases, and the review of one submission — each activity input
beside its plausible range and the enterprise's previous period, the evidence, the footprint —
with the decision: accept, or return with comments, one per input where it can."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji import units
from tanzuji.errors import InvalidInput, NotFound, TanzujiError
from tanzuji.rules import find_rule
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.rule import Rule
from tanzuji.services.accounts import AccountService
from tanzuji.services.evidence import EvidenceService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.evidence import EvidenceStore
from tanzuji.store.models import Revision, Submission, VerificationCase
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import N_, page, render, status_label
from tanzuji.web.work import Work, settings_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MAX_COMMENT = 5000
"""The longest comment the verification service keeps."""
_GENERAL = "comment_general"
_PREFIX = "comment_"


@dataclass(frozen=True)
class InputRow:
    """One activity input of the submission under review, as the review table shows it."""

    name: str
    label: str
    value: str
    per_output: str
    plausible: str
    outside: bool
    previous: str
    comment_field: str


def _decision_label(decision: str | None, locale: Locale) -> str:
    if decision == "accept":
        return locale.gettext("Accepted")
    if decision == "return":
        return locale.gettext("Returned with comments")
    return locale.gettext("Open")


def _case(work: Work, case_id: uuid.UUID) -> VerificationCase:
    for case in VerificationService(work.session, work.context).cases():
        if case.id == case_id:
            return case
    raise NotFound(f"no case {case_id}", field="case_id")


def _revision(work: Work, submission: Submission, number: int) -> Revision:
    for revision in SubmissionService(work.session, work.context).revisions(submission.id):
        if revision.number == number:
            return revision
    raise NotFound(f"no revision {number} of submission {submission.id}", field="revision")


def _product_name(data: dict[str, Any], locale: Locale) -> str:
    name = str(data.get("name_zh") or data.get("product") or "")
    if locale.language == "en":
        name = str(data.get("name_en") or name)
    return name


@router.get("/cases")
def cases_page(request: Request) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        found = VerificationService(work.session, work.context).cases()
        found.sort(key=lambda case: case.decision is not None)  # open first, newest first
        submissions = SubmissionService(work.session, work.context)
        accounts = AccountService(work.session, work.context)
        rows = []
        for case in found:
            submission = submissions.get(case.submission_id)
            revision = _revision(work, submission, case.revision)
            enterprise = accounts.organization(submission.organization_id)
            rows.append(
                {
                    "id": case.id,
                    "product": _product_name(revision.data, locale),
                    "enterprise": enterprise.name_zh
                    if locale.language == "zh"
                    else (enterprise.name_en or enterprise.name_zh),
                    "period": f"{submission.period_start.isoformat()} – "
                    f"{submission.period_end.isoformat()}",
                    "revision": case.revision,
                    "assigned": locale.datetime(case.assigned_at),
                    "open": case.decision is None,
                    "decision": _decision_label(case.decision, locale),
                }
            )
        return render(request, work, "review_cases.html", N_("Verification cases"), rows=rows)

    return page(request, show)


def _range_text(rule: Rule, name: str, locale: Locale) -> str:
    spec = rule.input(name)
    if spec.low is None and spec.high is None:
        return "—"
    low = "…" if spec.low is None else locale.number(spec.low)
    high = "…" if spec.high is None else locale.number(spec.high)
    unit = spec.unit
    if spec.per_output:
        unit = f"{spec.unit} / {rule.input(rule.output).unit}"
    return f"{low} – {high} {unit}"


def _amounts(data: ActivityData, rule: Rule) -> dict[str, tuple[float, str, float | None]]:
    """Each given input's amount and unit as entered, and the amount in the rule's unit
    (``None`` where the units do not convert; the rule check refused such data already)."""
    amounts: dict[str, tuple[float, str, float | None]] = {}
    for spec in rule.inputs:
        value = data.value(spec.name)
        if value is None:
            continue
        unit = value.unit or spec.unit
        try:
            in_rule_unit: float | None = units.convert(float(value.amount), unit, spec.unit)
        except TanzujiError:
            in_rule_unit = None
        amounts[spec.name] = (float(value.amount), unit, in_rule_unit)
    return amounts


def _input_rows(
    rule: Rule,
    data: ActivityData,
    previous: ActivityData | None,
    locale: Locale,
) -> list[InputRow]:
    """The inputs of the rule in its order; the per-output value where the range is per
    unit of output, and whether the value lies outside the plausible range."""
    amounts = _amounts(data, rule)
    before = _amounts(previous, rule) if previous is not None else {}
    output = amounts.get(rule.output, (0.0, "", None))[2]
    output_unit = rule.input(rule.output).unit
    rows = []
    for spec in rule.inputs:
        given = amounts.get(spec.name)
        per_output, outside = "", False
        compared = given[2] if given else None
        if compared is not None and spec.per_output:
            compared = compared / output if output else None
            if compared is not None:
                per_output = f"{locale.number(compared)} {spec.unit} / {output_unit}"
        if compared is not None:
            outside = (spec.low is not None and compared < spec.low) or (
                spec.high is not None and compared > spec.high
            )
        earlier = before.get(spec.name)
        rows.append(
            InputRow(
                name=spec.name,
                label=spec.label_zh if locale.language == "zh" else spec.label_en,
                value=f"{locale.number(given[0])} {given[1]}" if given else "—",
                per_output=per_output,
                plausible=_range_text(rule, spec.name, locale),
                outside=outside,
                previous=f"{locale.number(earlier[0])} {earlier[1]}" if earlier else "—",
                comment_field=f"{_PREFIX}{spec.name}",
            )
        )
    return rows


def _previous(work: Work, submission: Submission) -> tuple[Submission | None, ActivityData | None]:
    """The same product's submission of the period before, beside this one."""
    found = SubmissionService(work.session, work.context).previous_period(submission.id)
    if found is None:
        return None, None
    before, revision = found
    return before, ActivityData.model_validate(revision.data)


def _review(
    request: Request,
    work: Work,
    case_id: uuid.UUID,
    locale: Locale,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    case = _case(work, case_id)
    submissions = SubmissionService(work.session, work.context)
    submission = submissions.get(case.submission_id)
    revision = _revision(work, submission, case.revision)
    data = ActivityData.model_validate(revision.data)
    rule = find_rule(submission.rule_key)
    before, previous = _previous(work, submission)
    rows = _input_rows(rule, data, previous, locale)
    footprints = [f for f in submissions.footprints(submission.id) if f.revision == case.revision]
    footprint = footprints[-1] if footprints else None
    store = EvidenceStore.from_settings(settings_of(request))
    evidence = [
        e
        for e in EvidenceService(work.session, work.context, store).list(submission.id)
        if e.revision <= case.revision
    ]
    labels = {row.name: row.label for row in rows}
    comments = [
        {
            "input": labels.get(c.input_name or "", c.input_name or ""),
            "revision": c.revision,
            "body": c.body,
            "at": locale.datetime(c.created_at),
        }
        for c in VerificationService(work.session, work.context).comments(submission.id)
    ]
    enterprise = AccountService(work.session, work.context).organization(submission.organization_id)
    return render(
        request,
        work,
        "review_case.html",
        N_("Review of a submission"),
        status_code,
        case=case,
        case_open=case.decision is None,
        decision=_decision_label(case.decision, locale),
        product=_product_name(revision.data, locale),
        enterprise=enterprise.name_zh
        if locale.language == "zh"
        else (enterprise.name_en or enterprise.name_zh),
        period=f"{submission.period_start.isoformat()} – {submission.period_end.isoformat()}",
        previous_period=(
            f"{before.period_start.isoformat()} – {before.period_end.isoformat()}" if before else ""
        ),
        rule_name=rule.name_zh if locale.language == "zh" else rule.name_en,
        rule_key=rule.key,
        status=status_label(submission.status, locale),
        rows=rows,
        footprint=(
            {
                "total": f"{locale.number(footprint.total_kgco2e)} kgCO2e / "
                f"{footprint.declared_unit}",
                "factor_set": footprint.factor_set_version,
                "gwp": footprint.gwp,
                "at": locale.datetime(footprint.computed_at),
            }
            if footprint
            else None
        ),
        evidence=[
            {
                "href": f"/api/v1/evidence/{e.id}",
                "filename": e.filename,
                "input": labels.get(e.input_name or "", e.input_name or ""),
                "size": f"{locale.number(e.size / 1024, 3)} KiB",
                "revision": e.revision,
            }
            for e in evidence
        ],
        comments=comments,
        errors=errors or {},
        typed=typed or {},
        general_field=_GENERAL,
        max_comment=MAX_COMMENT,
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: uuid.UUID) -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _review(request, work, case_id, locale))


@router.post("/cases/{case_id}")
async def decide(request: Request, case_id: uuid.UUID) -> Response:
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    locale = Locale(language_of(request))
    decision = fields.get("decision", "")

    def act(work: Work) -> Response:
        case = _case(work, case_id)
        submission = SubmissionService(work.session, work.context).get(case.submission_id)
        rule = find_rule(submission.rule_key)
        typed = {
            key: value
            for key, value in fields.items()
            if key == _GENERAL or (key.startswith(_PREFIX) and key != _GENERAL)
        }
        errors: dict[str, str] = {}
        comments: list[dict[str, str]] = []
        for spec in rule.inputs:
            body = typed.get(f"{_PREFIX}{spec.name}", "").strip()
            if body:
                comments.append({"body": body, "input_name": spec.name})
        general = typed.get(_GENERAL, "").strip()
        if general:
            comments.append({"body": general, "input_name": ""})
        for key, value in typed.items():
            if len(value.strip()) > MAX_COMMENT:
                errors[key] = locale.gettext(
                    "A comment holds at most {count} characters.", count=f"{MAX_COMMENT:,}"
                )
        if decision not in ("accept", "return"):
            errors[_GENERAL] = locale.gettext("Choose: accept or return.")
        elif decision == "return" and not comments:
            errors[_GENERAL] = locale.gettext(
                "Say why the submission goes back: add a comment on an input or a general one."
            )
        if not errors:
            try:
                with work.session.begin_nested():
                    VerificationService(work.session, work.context).decide(
                        case.id, "accept" if decision == "accept" else "return", comments
                    )
            except InvalidInput as exc:
                errors[_GENERAL] = exc.message
        if errors:
            return _review(
                request, work, case_id, locale, errors=errors, typed=typed, status_code=422
            )
        return RedirectResponse(f"/cases/{case_id}", status_code=303)

    return page(request, act, form_csrf=fields.get("csrf_token", ""))
