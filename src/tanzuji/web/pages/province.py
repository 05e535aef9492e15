"""The regulator's pages — the province overview with verifier assignment, the audit log,
factor set versions with the impact report and publishing — and the footprints shared with a
data partner, with a CSV export."""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleFileError,
)
from tanzuji.rules import find_rule
from tanzuji.services.accounts import AccountService
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.oversight import OversightService
from tanzuji.services.products import ProductService
from tanzuji.services.sharing import SharedFootprint, SharingService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Organization
from tanzuji.web.csv_export import csv_response, text_cell
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import N_, page, render, status_label
from tanzuji.web.work import Work
from tanzuji.workflow import Status

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

GROUPINGS = {
    "rule": N_("Product category"),
    "industry": N_("Industry"),
    "county": N_("County"),
}
AUDIT_PAGE = 50
_CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _name(organization: Organization, locale: Locale) -> str:
    if locale.language == "zh":
        return organization.name_zh
    return organization.name_en or organization.name_zh


# the province overview and assignment ----------------------------------------------------------


def _overview(
    request: Request,
    work: Work,
    by: str,
    locale: Locale,
    *,
    errors: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    oversight = OversightService(work.session, work.context)
    counts = oversight.status_counts()
    grouping = by if by in GROUPINGS else "rule"
    figures = []
    for group in oversight.footprints_by(grouping):
        label = group.group
        if grouping == "rule":
            try:
                rule = find_rule(group.group)
                label = rule.name_zh if locale.language == "zh" else rule.name_en
            except RuleFileError:  # a rule no longer bundled keeps its id as label
                label = group.group
        elif group.group == "(unknown)":
            label = locale.gettext("(not given)")
        comparable = group.median is not None
        unit = group.unit if comparable else locale.gettext("different declared units")
        figures.append(
            {
                "group": label,
                "products": group.products,
                "footprints": group.footprints,
                "minimum": f"{locale.number(group.minimum)} {unit}" if comparable else "—",
                "median": f"{locale.number(group.median)} {unit}" if comparable else "—",
                "maximum": f"{locale.number(group.maximum)} {unit}" if comparable else "—",
            }
        )
    accounts = AccountService(work.session, work.context)
    verifiers = [
        {"id": str(v.id), "name": _name(v, locale)}
        for v in accounts.organizations(OrganizationKind.VERIFIER)
    ]
    products = ProductService(work.session, work.context)
    waiting = []
    found = SubmissionService(work.session, work.context).submissions(
        status=Status.SUBMITTED, limit=200
    )
    for submission in found.items:
        product = products.get(submission.product_id)
        waiting.append(
            {
                "id": str(submission.id),
                "version": submission.version,
                "product": product.name_zh
                if locale.language == "zh"
                else (product.name_en or product.name_zh),
                "enterprise": _name(accounts.organization(submission.organization_id), locale),
                "period": f"{submission.period_start.isoformat()} – "
                f"{submission.period_end.isoformat()}",
                "submitted": locale.datetime(submission.updated_at),
            }
        )
    return render(
        request,
        work,
        "province_overview.html",
        N_("Province overview"),
        status_code,
        counts=[
            {"status": status_label(status, locale), "count": count}
            for status, count in counts.items()
        ],
        groupings=[
            {"key": key, "label": locale.gettext(label), "current": key == grouping}
            for key, label in GROUPINGS.items()
        ],
        grouping_label=locale.gettext(GROUPINGS[grouping]),
        figures=figures,
        chart={
            "labels": [row["group"] for row in figures],
            "counts": [row["footprints"] for row in figures],
            "name": locale.gettext("Footprints"),
        },
        verifiers=verifiers,
        waiting=waiting,
        waiting_total=found.total,
        errors=errors or {},
        chosen=chosen or {},
        by=grouping,
    )


@router.get("/overview")
def overview_page(request: Request, by: str = "rule") -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _overview(request, work, by, locale))


@router.post("/overview/assign/{submission_id}")
def assign(
    request: Request,
    submission_id: uuid.UUID,
    verifier_id: str = Form(""),
    version: str = Form(""),
    by: str = Form("rule"),
    csrf_token: str = Form(""),
) -> Response:
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        key = str(submission_id)
        try:
            verifier = uuid.UUID(verifier_id)
        except ValueError:
            return _overview(
                request, work, by, locale,
                errors={key: locale.gettext("Choose a verifier.")}, status_code=422,
            )  # fmt: skip
        expected = int(version) if version.isdigit() else None
        try:
            with work.session.begin_nested():
                VerificationService(work.session, work.context).assign(
                    submission_id, verifier, expected
                )
        except (Conflict, InvalidInput, NotFound) as exc:
            if isinstance(exc, NotFound) and exc.field != "verifier_id":
                raise
            status = 409 if isinstance(exc, Conflict) else 422
            return _overview(
                request, work, by, locale,
                errors={key: exc.message}, chosen={key: verifier_id}, status_code=status,
            )  # fmt: skip
        return RedirectResponse(f"/overview?by={by if by in GROUPINGS else 'rule'}", 303)

    return page(request, act, form_csrf=csrf_token)


# the audit log -------------------------------------------------------------------------------


def _day(text: str, field: str, locale: Locale, errors: dict[str, str]) -> datetime.datetime | None:
    """The start of a day in China Standard Time, from ``YYYY-MM-DD`` (an error if not)."""
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        errors[field] = locale.gettext("Give a date as YYYY-MM-DD.")
        return None
    return datetime.datetime.combine(day, datetime.time(), _CHINA)


@router.get("/audit")
def audit_page(
    request: Request,
    action: str = "",
    subject: str = "",
    since: str = "",
    until: str = "",
    offset: int = 0,
) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        errors: dict[str, str] = {}
        start = _day(since, "since", locale, errors)
        end = _day(until, "until", locale, errors)
        if end is not None:
            end += datetime.timedelta(days=1)  # until a day includes that day
        found = OversightService(work.session, work.context).audit_log(
            action=action.strip() or None,
            subject_id=subject.strip() or None,
            since=start,
            until=end,
            limit=AUDIT_PAGE,
            offset=max(offset, 0),
        )
        filters = {"action": action, "subject": subject, "since": since, "until": until}
        query = urlencode({k: v for k, v in filters.items() if v})
        events = [
            {
                "at": locale.datetime(event.at),
                "action": event.action,
                "subject": f"{event.subject_type} {event.subject_id}",
                "actor": str(event.actor_id) if event.actor_id else "—",
                "detail": ", ".join(f"{k}: {v}" for k, v in sorted(event.detail.items())),
            }
            for event in found.items
        ]
        previous = found.offset - AUDIT_PAGE if found.offset > 0 else None
        following = found.offset + AUDIT_PAGE if found.offset + AUDIT_PAGE < found.total else None
        return render(
            request,
            work,
            "province_audit.html",
            N_("Audit log"),
            422 if errors else 200,
            events=events,
            filters=filters,
            errors=errors,
            total=found.total,
            first=found.offset + 1 if events else 0,
            last=found.offset + len(events),
            previous=None if previous is None else f"/audit?{query}&offset={max(previous, 0)}",
            following=None if following is None else f"/audit?{query}&offset={following}",
        )

    return page(request, show)


# factor sets -----------------------------------------------------------------------------------


def _factor_sets(
    request: Request,
    work: Work,
    locale: Locale,
    *,
    impact: dict[str, Any] | None = None,
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    service = FactorSetService(work.session, work.context)
    work.context.require(Permission.FACTOR_PUBLISH)
    versions = [
        {
            "version": v.version,
            "title": v.title,
            "based_on": v.based_on or "—",
            "factors": v.factor_count,
            "published": locale.datetime(v.published_at),
            "sha256": v.sha256[:12],
        }
        for v in service.versions()
    ]
    proposals = [
        {
            "id": str(p.id),
            "change": p.change,
            "factor_id": p.factor_id,
            "reason": p.reason,
            "proposed": locale.datetime(p.proposed_at),
        }
        for p in service.proposals("open", limit=200).items
    ]
    return render(
        request,
        work,
        "province_factor_sets.html",
        N_("Factor sets"),
        status_code,
        versions=versions,
        proposals=proposals,
        impact=impact,
        chosen=set(chosen or []),
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/factor-sets")
def factor_sets_page(request: Request) -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _factor_sets(request, work, locale))


def _proposal_ids(values: list[str]) -> list[uuid.UUID]:
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
        except ValueError as exc:
            raise InvalidInput(f"no factor proposal {value}", field="proposal_ids") from exc
    return ids


@router.post("/factor-sets/impact")
async def impact(request: Request) -> Response:
    form = await request.form()
    chosen = [v for v in form.getlist("proposal_ids") if isinstance(v, str)]
    token = form.get("csrf_token")
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        work.context.require(Permission.FACTOR_PUBLISH)
        try:
            report = FactorSetService(work.session, work.context).impact(_proposal_ids(chosen))
        except (InvalidInput, Conflict, NotFound) as exc:
            return _factor_sets(
                request, work, locale, chosen=chosen,
                errors={"proposal_ids": exc.message}, status_code=422,
            )  # fmt: skip
        summary = report.summary()
        rows = []
        for row in report.changed:
            sign = "+" if row.change > 0 else ""
            relative = row.relative_change
            rows.append(
                {
                    "product": row.product_code,
                    "enterprise": row.enterprise,
                    "used": row.factor_set_version,
                    "old": f"{locale.number(row.old_total)} {row.unit}",
                    "new": f"{locale.number(row.new_total)} {row.unit}",
                    "change": f"{sign}{locale.number(row.change)} {row.unit}",
                    "relative": (
                        f"{sign}{locale.number(relative * 100, 3)} %"
                        if relative is not None
                        else "—"
                    ),
                }
            )
        failed = [
            {"product": f.product_code, "enterprise": f.enterprise, "reason": f.reason}
            for f in report.not_recomputable
        ]
        return _factor_sets(
            request, work, locale,
            impact={"base": report.base_version, "summary": summary, "rows": rows,
                    "failed": failed},
            chosen=chosen,
        )  # fmt: skip

    return page(request, act, form_csrf=token if isinstance(token, str) else "")


@router.post("/factor-sets/publish")
async def publish(request: Request) -> Response:
    form = await request.form()
    chosen = [v for v in form.getlist("proposal_ids") if isinstance(v, str)]
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        typed = {"version": fields.get("version", ""), "title": fields.get("title", "")}
        try:
            with work.session.begin_nested():
                FactorSetService(work.session, work.context).publish(
                    typed["version"].strip(), typed["title"], _proposal_ids(chosen)
                )
        except (InvalidInput, Conflict, NotFound) as exc:
            field = exc.field if exc.field in ("version", "title") else "proposal_ids"
            return _factor_sets(
                request, work, locale, chosen=chosen, errors={field: exc.message},
                typed=typed, status_code=409 if isinstance(exc, Conflict) else 422,
            )  # fmt: skip
        return RedirectResponse("/factor-sets", status_code=303)

    return page(request, act, form_csrf=fields.get("csrf_token", ""))


# footprints shared with a data partner --------------------------------------------------------

_CSV_COLUMNS = (
    N_("Product code"),
    N_("Product"),
    N_("Enterprise"),
    N_("Rule"),
    N_("Reference period"),
    N_("Footprint (kgCO2e per declared unit)"),
    N_("Declared unit"),
    N_("Factor set"),
    N_("Shared until"),
)


def _shared(
    work: Work, locale: Locale, name: str, rule: str
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The shared footprints matching the filters, and the rules to filter by. (A buyer reads
    public footprints only, in the public registry.)"""
    actor = work.context.actor
    if actor is None:
        raise NotAuthenticated("sign in")
    if Permission.SHARED_READ not in actor.permissions:
        raise PermissionDenied(
            f"a {actor.role.value} has no footprints shared with it: see the public registry"
        )
    service = SharingService(work.session, work.context)
    items: list[SharedFootprint] = []
    offset = 0
    while True:
        found = service.shared_footprints(limit=500, offset=offset)
        items += found.items
        offset += found.limit
        if offset >= found.total:
            break
    rows, rules = [], {}
    wanted = name.strip().casefold()
    for item in items:
        product_rule = find_rule(item.product.rule_id)
        rule_name = product_rule.name_zh if locale.language == "zh" else product_rule.name_en
        rules[item.product.rule_id] = rule_name
        product_name = (
            item.product.name_zh
            if locale.language == "zh"
            else (item.product.name_en or item.product.name_zh)
        )
        if rule and item.product.rule_id != rule:
            continue
        names = (item.product.code, item.product.name_zh, item.product.name_en)
        if wanted and not any(wanted in n.casefold() for n in names):
            continue
        footprint = item.footprint
        submission = item.submission
        rows.append(
            {
                "code": item.product.code,
                "name": product_name,
                "enterprise": _name(item.enterprise, locale),
                "rule": rule_name,
                "period": (
                    f"{submission.period_start.isoformat()} – {submission.period_end.isoformat()}"
                    if submission
                    else "—"
                ),
                "total": footprint.total_kgco2e if footprint else None,
                "footprint": (
                    f"{locale.number(footprint.total_kgco2e)} kgCO2e / {footprint.declared_unit}"
                    if footprint
                    else locale.gettext("No verified footprint yet")
                ),
                "declared_unit": footprint.declared_unit if footprint else "",
                "factor_set": footprint.factor_set_version if footprint else "—",
                "until": locale.datetime(item.grant.valid_until),
                "until_iso": item.grant.valid_until.isoformat(),
            }
        )
    choices = [{"key": k, "label": v} for k, v in sorted(rules.items(), key=lambda kv: kv[1])]
    return rows, choices


@router.get("/shared")
def shared_page(request: Request, name: str = "", rule: str = "") -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        rows, rules = _shared(work, locale, name, rule)
        return render(
            request,
            work,
            "province_shared.html",
            N_("Shared footprints"),
            rows=rows,
            rules=rules,
            filters={"name": name, "rule": rule},
        )

    return page(request, show)


@router.get("/shared.csv")
def shared_csv(request: Request, name: str = "", rule: str = "") -> Response:
    locale = Locale(language_of(request))

    def export(work: Work) -> Response:
        rows, _rules = _shared(work, locale, name, rule)
        cells = (
            [
                text_cell(row["code"]),
                text_cell(row["name"]),
                text_cell(row["enterprise"]),
                row["rule"],
                row["period"],
                "" if row["total"] is None else repr(row["total"]),
                row["declared_unit"],
                row["factor_set"],
                row["until_iso"],
            ]
            for row in rows
        )
        header = [locale.gettext(column) for column in _CSV_COLUMNS]
        return csv_response(header, cells, "shared-footprints.csv")

    return page(request, export)
