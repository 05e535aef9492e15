"""The enterprise's pages: its submissions with their footprints, its products, data entry by
form per rule and by the rule's Excel template, and the data-sharing grants with their read log.

Every page calls services only; a refused entry or upload stores nothing (a savepoint rolled
back) and shows every problem next to its field, or by sheet, row and column.
"""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

import openpyxl
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from tanzuji.access import Permission
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated, PlatformError, TooLarge
from tanzuji.model.stages import Stage
from tanzuji.rules import Rule, find_rule
from tanzuji.rules.entry import INFO_ROWS
from tanzuji.rules.workbook import INFO, write_template
from tanzuji.services.accounts import AccountService
from tanzuji.services.evidence import EvidenceService
from tanzuji.services.products import ProductService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.evidence import EvidenceStore
from tanzuji.store.models import Footprint, Product, Submission
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.certification import certificate_block
from tanzuji.web.pages.grading import standing_view
from tanzuji.web.pages.public import QUALITY_LEVELS
from tanzuji.web.pages.render import N_, page, render, status_label
from tanzuji.web.work import Work, settings_of
from tanzuji.workflow import Status

router = APIRouter(include_in_schema=False)

EDITABLE = (Status.DRAFT, Status.CALCULATED, Status.RETURNED)
OTHER = "other"
_CELL = re.compile(r"^(?P<sheet>[^:]+): (?P<column>[A-Z]+)(?P<row>\d+)")


def uuid_of(text: str) -> uuid.UUID:
    """An id from a path; anything else is simply not found."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.UUID(int=0)


def signed_in(work: Work, permission: Permission) -> None:
    if work.context.actor is None:
        raise NotAuthenticated("sign in")
    work.context.require(permission)


def _may(work: Work, permission: Permission) -> bool:
    actor = work.context.actor
    return actor is not None and permission in actor.permissions


def name_of(product: Product, locale: Locale) -> str:
    return product.name_zh if locale.language == "zh" else (product.name_en or product.name_zh)


def stage_label(stage: str, locale: Locale) -> str:
    if stage == OTHER:
        return locale.gettext("Other inputs")
    known = Stage(stage)
    return known.label_zh if locale.language == "zh" else known.label_en


def problems_of(exc: PlatformError) -> list[dict[str, str]]:
    """Every problem of a refusal, or the refusal itself as the only one."""
    if isinstance(exc, InvalidInput) and exc.problems:
        return exc.problems
    return [{"field": exc.field or "", "message_zh": exc.message, "message_en": exc.message}]


def _period(submission: Submission) -> str:
    return f"{submission.period_start.isoformat()} – {submission.period_end.isoformat()}"


# submissions --------------------------------------------------------------------------------


@router.get("/submissions")
def submissions_page(request: Request) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_READ)
        products = {p.id: p for p in ProductService(work.session, work.context).products()}
        found = SubmissionService(work.session, work.context).submissions(limit=500).items
        rows = [
            {
                "id": s.id,
                "product": name_of(products[s.product_id], locale)
                if s.product_id in products
                else "—",
                "product_id": s.product_id,
                "period": _period(s),
                "status": status_label(s.status, locale),
                "revision": s.revision,
                "updated": locale.datetime(s.updated_at),
            }
            for s in found
        ]
        return render(request, work, "enterprise_submissions.html", N_("Submissions"), rows=rows)

    return page(request, show)


@router.get("/submissions/{submission_id}")
def submission_page(request: Request, submission_id: str) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_READ)
        return _submission(request, work, locale, uuid_of(submission_id))

    return page(request, show)


def _submission(request: Request, work: Work, locale: Locale, submission_id: uuid.UUID) -> Response:
    service = SubmissionService(work.session, work.context)
    submission = service.get(submission_id)
    product = ProductService(work.session, work.context).get(submission.product_id)
    rule = find_rule(submission.rule_key)
    revisions = service.revisions(submission.id)
    current = revisions[-1]
    inputs = []
    for name, value in current.data["inputs"].items():
        given = value if isinstance(value, dict) else {"amount": value}
        spec = next((s for s in rule.inputs if s.name == name), None)
        inputs.append(
            {
                "name": name,
                "label": (spec.label_zh if locale.language == "zh" else spec.label_en)
                if spec
                else name,
                "amount": locale.number(given.get("amount")),
                "unit": given.get("unit") or (spec.unit if spec else ""),
                "data_type": given.get("data_type", "primary"),
            }
        )
    comments = VerificationService(work.session, work.context).comments(submission.id)
    evidence = EvidenceService(
        work.session, work.context, EvidenceStore.from_settings(settings_of(request))
    ).list(submission.id)
    footprint = service.latest_footprint(submission)
    return render(
        request,
        work,
        "enterprise_submission.html",
        N_("Submission"),
        submission=submission,
        product_name=name_of(product, locale),
        period=_period(submission),
        status=status_label(submission.status, locale),
        inputs=inputs,
        warnings=current.warnings,
        justifications=current.data.get("justifications", {}),
        revisions=[
            {"number": r.number, "at": locale.datetime(r.created_at), "sha256": r.sha256[:12]}
            for r in revisions
        ],
        comments=[
            {
                "input": c.input_name or "",
                "revision": c.revision,
                "body": c.body,
                "at": locale.datetime(c.created_at),
            }
            for c in comments
        ],
        evidence=[
            {
                "id": e.id,
                "filename": e.filename,
                "input": e.input_name or "",
                "revision": e.revision,
                "size": locale.number(e.size, 6),
                "at": locale.datetime(e.uploaded_at),
            }
            for e in evidence
        ],
        figures=_figures(footprint, locale) if footprint else None,
        standing=standing_view(work, submission.id, locale) if footprint else None,
        certification=certificate_block(work, locale, submission),
        can_calculate=submission.status is Status.DRAFT and _may(work, Permission.SUBMISSION_EDIT),
        can_submit=submission.status is Status.CALCULATED
        and _may(work, Permission.SUBMISSION_SUBMIT),
    )


def _figures(footprint: Footprint, locale: Locale) -> dict[str, Any]:
    """What a footprint page shows: totals with units, stages, gases, hot spots, quality."""
    result = footprint.result
    unit = f"kgCO2e / {footprint.declared_unit}"
    stages = [
        {"label": stage_label(k, locale), "value": v, "text": locale.number(v)}
        for k, v in result.get("by_stage", {}).items()
    ]
    hotspots = [
        {
            "label": h["name"],
            "stage": stage_label(h["stage"], locale) if h.get("stage") else "—",
            "value": h["kgco2e"],
            "text": locale.number(h["kgco2e"]),
            "share": locale.number(100 * h["share"], 3),
        }
        for h in result.get("hotspots", [])[:8]
    ]
    uncertainty = result.get("uncertainty") or None
    quality = result.get("data_quality") or {}
    share = result.get("primary_data_share")
    return {
        "unit": unit,
        "declared_unit": footprint.declared_unit,
        "total": locale.number(footprint.total_kgco2e),
        "stages": stages,
        "gases": [
            {"gas": gas, "kg": locale.number(v["kg"]), "kgco2e": locale.number(v["kgco2e"])}
            for gas, v in result.get("by_gas", {}).items()
        ],
        "hotspots": hotspots,
        "uncertainty": {
            key: locale.number(value)
            for key, value in uncertainty.items()
            if isinstance(value, int | float)
        }
        if isinstance(uncertainty, dict)
        else None,
        "quality": locale.number(quality.get("rating"), 2),
        "quality_level": locale.gettext(QUALITY_LEVELS[quality.get("level", "n/a")]),
        "primary_share": locale.number(100 * share, 3) if share is not None else "—",
        "rule": footprint.rule_key,
        "factor_set": footprint.factor_set_version,
        "gwp": footprint.gwp,
        "computed": locale.datetime(footprint.computed_at),
        "chart": json.dumps(
            {
                "stages": [[s["label"], s["value"]] for s in stages],
                "hotspots": [[h["label"], h["value"]] for h in hotspots],
                "unit": unit,
            },
            ensure_ascii=False,
        ),
    }


@router.post("/submissions/{submission_id}/calculate")
def calculate(request: Request, submission_id: str, csrf_token: str = Form("")) -> Response:
    def act(work: Work) -> Response:
        SubmissionService(work.session, work.context).calculate(uuid_of(submission_id))
        return RedirectResponse(f"/submissions/{submission_id}", status_code=303)

    return page(request, act, form_csrf=csrf_token)


@router.post("/submissions/{submission_id}/submit")
def submit(request: Request, submission_id: str, csrf_token: str = Form("")) -> Response:
    def act(work: Work) -> Response:
        SubmissionService(work.session, work.context).submit(uuid_of(submission_id))
        return RedirectResponse(f"/submissions/{submission_id}", status_code=303)

    return page(request, act, form_csrf=csrf_token)


# products and the Excel template ------------------------------------------------------------


def product_submissions(work: Work, product: Product) -> list[Submission]:
    found = SubmissionService(work.session, work.context).submissions(
        product_id=product.id, limit=500
    )
    return list(found.items)


def editable_of(submissions: list[Submission]) -> Submission | None:
    return next((s for s in submissions if s.status in EDITABLE), None)


def _product_page(
    request: Request,
    work: Work,
    locale: Locale,
    product: Product,
    status_code: int = 200,
    problems: list[dict[str, str]] | None = None,
    message: str = "",
) -> Response:
    rule = find_rule(product.rule_id)
    submissions = product_submissions(work, product)
    return render(
        request,
        work,
        "enterprise_product.html",
        N_("Product"),
        status_code,
        product=product,
        product_name=name_of(product, locale),
        rule_name=rule.name_zh if locale.language == "zh" else rule.name_en,
        rule_key=rule.key,
        rows=[
            {
                "id": s.id,
                "period": _period(s),
                "status": status_label(s.status, locale),
                "revision": s.revision,
            }
            for s in submissions
        ],
        editable=editable_of(submissions),
        problems=problems or [],
        message=message,
    )


@router.get("/products/{product_id}")
def product_page(request: Request, product_id: str) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_READ)
        product = ProductService(work.session, work.context).get(uuid_of(product_id))
        return _product_page(request, work, locale, product)

    return page(request, show)


@router.get("/products/{product_id}/template.xlsx")
def template(request: Request, product_id: str) -> Response:
    def download(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_READ)
        product = ProductService(work.session, work.context).get(uuid_of(product_id))
        organization = AccountService(work.session, work.context).organization(
            product.organization_id
        )
        content = _template_for(find_rule(product.rule_id), product, organization.name_zh)
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"content-disposition": f'attachment; filename="{product.rule_id}.xlsx"'},
        )

    return page(request, download)


def _template_for(rule: Rule, product: Product, organization: str) -> bytes:
    """The rule's template with the product's own info filled in."""
    known = {
        "product": product.code,
        "name_zh": product.name_zh,
        "name_en": product.name_en or product.code,
        "organization": organization,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(rule, Path(folder) / "template.xlsx")
        book = openpyxl.load_workbook(path)
        sheet = book[INFO]
        for row, (key, _label) in enumerate(INFO_ROWS, start=2):
            if key in known:
                sheet.cell(row=row, column=2, value=known[key])
        book.save(path)
        return path.read_bytes()


def _upload_problems(exc: PlatformError, locale: Locale) -> list[dict[str, str]]:
    rows = []
    for problem in problems_of(exc):
        field = str(problem.get("field", ""))
        cell = _CELL.match(field)
        message = problem.get("message_zh" if locale.language == "zh" else "message_en", "")
        rows.append(
            {
                "sheet": cell["sheet"] if cell else "",
                "row": cell["row"] if cell else str(problem.get("row", "")),
                "column": cell["column"] if cell else "",
                "field": field,
                "message": str(message),
            }
        )
    return rows


@router.post("/products/{product_id}/upload")
async def upload(request: Request, product_id: str) -> Response:
    locale = Locale(language_of(request))
    async with request.form() as form:
        file = form.get("file")
        content = await file.read() if isinstance(file, UploadFile) else b""
        filename = (file.filename if isinstance(file, UploadFile) else None) or "upload.xlsx"
        csrf_token = str(form.get("csrf_token", ""))

    def store(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_EDIT)
        product = ProductService(work.session, work.context).get(uuid_of(product_id))
        target = editable_of(product_submissions(work, product))
        service = SubmissionService(work.session, work.context)
        try:
            with work.session.begin_nested():
                if target is None:
                    made = service.create_from_table(product.id, filename, content)
                else:
                    made = service.revise_from_table(target.id, target.version, filename, content)
        except (InvalidInput, Conflict, TooLarge) as exc:
            return _product_page(
                request, work, locale, product, 422, _upload_problems(exc, locale), exc.message
            )
        return RedirectResponse(f"/submissions/{made.id}", status_code=303)

    return page(request, store, form_csrf=csrf_token)
