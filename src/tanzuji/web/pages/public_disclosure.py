"""An enterprise's yearly disclosure report, ``/disclosure/{enterprise_id}/{year}`` as a page
and ``…/{year}.pdf`` printed from the same HTML. No sign-in."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tanzuji.errors import NotFound
from tanzuji.services.disclosure import DisclosureReport, DisclosureService
from tanzuji.services.documents_pdf import html_to_pdf
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.public import (
    boundary_label,
    period_text,
    quality_text,
    share_text,
    standing_label,
)
from tanzuji.web.pages.render import N_, page, render, templates
from tanzuji.web.work import Work

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

TITLE = N_("Product carbon footprint disclosure report")


def _enterprise_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no enterprise {text}", field="enterprise_id") from None


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise NotFound(f"no report for the year {text!r}", field="year")
    return int(text)


def _report(report: DisclosureReport, locale: Locale) -> dict[str, Any]:
    """What the report shows, formatted for the reader."""
    rows = []
    for item in report.footprints:
        rows.append(
            {
                "product": item.product_name(locale.language),
                "code": item.product_code,
                "value": locale.number(item.value_kgco2e),
                "declared_unit": item.declared_unit,
                "boundary": boundary_label(item.boundary, locale),
                "grade": item.grade,
                "benchmark": item.benchmark_version,
                "number": item.certificate_number,
                "standing": standing_label(item.standing, locale) if item.standing else None,
                "rule": item.rule_name(locale.language),
                "rule_key": item.rule_key,
                "standard": item.standard,
                "factor_set": item.factor_set_version,
                "gwp": item.gwp,
                "quality": quality_text(item.data_quality_rating, locale),
                "primary_share": share_text(item.primary_data_share, locale),
                "period": period_text(item.period_start, item.period_end),
            }
        )
    return {
        "enterprise": report.enterprise_name(locale.language),
        "enterprise_id": str(report.enterprise_id),
        "uscc": report.uscc or "—",
        "county": report.county or "—",
        "industry": report.industry or "—",
        "year": report.year,
        "generated_at": locale.datetime(report.generated_at),
        "rows": rows,
    }


def _build(request: Request, work: Work, enterprise_id: str, year: str) -> dict[str, Any]:
    locale = Locale(language_of(request))
    report = DisclosureService(work.session, work.context).report(
        _enterprise_id(enterprise_id), _year(year)
    )
    return _report(report, locale)


@router.get("/disclosure/{enterprise_id}/{year}.pdf")
def disclosure_pdf(enterprise_id: str, year: str, request: Request) -> Response:
    """The report as an A4 PDF, printed from the same HTML as the page."""
    language: Literal["zh", "en"] = "en" if language_of(request) == "en" else "zh"
    locale = Locale(language)

    def printed(work: Work) -> Response:
        report = _build(request, work, enterprise_id, year)
        html = templates.get_template("public_disclosure_print.html").render(
            _=locale.gettext, lang=language, title=locale.gettext(TITLE), report=report
        )
        return Response(
            html_to_pdf(html, language),
            media_type="application/pdf",
            headers={
                "Content-Disposition": (
                    f'inline; filename="disclosure-{report["enterprise_id"]}-{year}.pdf"'
                )
            },
        )

    return page(request, printed)


@router.get("/disclosure/{enterprise_id}/{year}")
def disclosure_page(enterprise_id: str, year: str, request: Request) -> Response:
    """The report as a page, with a link to its PDF."""

    def show(work: Work) -> Response:
        report = _build(request, work, enterprise_id, year)
        return render(request, work, "public_disclosure.html", TITLE, report=report)

    return page(request, show)
