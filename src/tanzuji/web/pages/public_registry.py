"""The public registry of certified products, ``/registry`` (searchable, paged) and its
open-data export ``/registry.csv``. No sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tanzuji.bilingual import in_language
from tanzuji.errors import RuleFileError
from tanzuji.rules import find_rule
from tanzuji.services.certificate_urls import verification_url
from tanzuji.services.registry import STANDINGS, RegistryEntry, RegistryFilters, RegistryService
from tanzuji.web.api.registry import RegistryQuery
from tanzuji.web.csv_export import csv_response, text_cell
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.public import boundary_label, china_date, standing_label
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work, settings_of

__all__ = ["category_label", "router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
EXPORT_BATCH = 500
CSV_COLUMNS = (
    N_("Certificate number"),
    N_("Standing"),
    N_("Product"),
    N_("Product code"),
    N_("Product category"),
    N_("Product rule"),
    N_("Enterprise"),
    N_("County"),
    N_("Footprint (kg CO2e per declared unit)"),
    N_("Declared unit"),
    N_("System boundary"),
    N_("Grade (1 best – 5)"),
    N_("Benchmark"),
    N_("Factor set"),
    N_("GWP version"),
    N_("Reference period start"),
    N_("Reference period end"),
    N_("Valid from"),
    N_("Valid until"),
    N_("Verification page"),
)


def category_label(category: str, locale: Locale) -> str:
    """A product category (rule id) by its name in the visitor's language."""
    try:
        rule = find_rule(category)
    except RuleFileError:  # no longer bundled: the id stands for itself
        return category
    return in_language(rule.name_zh, rule.name_en, locale.language)


def _row(entry: RegistryEntry, locale: Locale) -> dict[str, Any]:
    return {
        "number": entry.number,
        "standing": entry.standing.value,
        "standing_label": standing_label(entry.standing, locale),
        "product": entry.product_name(locale.language),
        "category": category_label(entry.category, locale),
        "enterprise": entry.enterprise_name(locale.language),
        "enterprise_id": str(entry.enterprise_id),
        "year": entry.period_end.year,
        "county": entry.county,
        "value": locale.number(entry.value_kgco2e),
        "declared_unit": entry.declared_unit,
        "grade": entry.grade,
        "valid_until": china_date(entry.valid_until),
    }


@router.get("/registry")
def registry_page(
    request: Request,
    asked: Annotated[RegistryQuery, Depends()],
    page_number: int = 1,
) -> Response:
    """Certified products, filtered and paged (``page_number`` counts from 1)."""
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        service = RegistryService(work.session, work.context)
        number = max(page_number, 1)
        found = service.search(asked.filters(), limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        query = asdict(asked)
        pages = max(1, -(-found.total // PAGE_SIZE))
        return render(
            request,
            work,
            "public_registry.html",
            N_("Public registry of certified products"),
            rows=[_row(entry, locale) for entry in found.items],
            total=found.total,
            filters=query,
            query=urlencode(query),
            page_number=number,
            pages=pages,
            categories=[
                {"id": c, "label": category_label(c, locale)} for c in service.categories()
            ],
            counties=service.counties(),
            standings=[{"id": s.value, "label": standing_label(s, locale)} for s in STANDINGS],
        )

    return page(request, show)


def _every_entry(service: RegistryService, filters: RegistryFilters) -> Iterator[RegistryEntry]:
    """Every entry matching ``filters``, fetched :data:`EXPORT_BATCH` at a time."""
    offset = 0
    while True:
        found = service.search(filters, limit=EXPORT_BATCH, offset=offset)
        yield from found.items
        offset += EXPORT_BATCH
        if offset >= found.total:
            return


@router.get("/registry.csv")
def registry_csv(request: Request, asked: Annotated[RegistryQuery, Depends()]) -> Response:
    """Every registry entry matching the filters as CSV (UTF-8 with BOM, so that spreadsheet
    programs read the Chinese names right; units in the column headers)."""
    locale = Locale(language_of(request))
    public_url = settings_of(request).public_url

    def export(work: Work) -> Response:
        service = RegistryService(work.session, work.context)
        rows = (
            [
                entry.number,
                standing_label(entry.standing, locale),
                text_cell(entry.product_name(locale.language)),
                text_cell(entry.product_code),
                entry.category,
                entry.rule_key,
                text_cell(entry.enterprise_name(locale.language)),
                entry.county,
                repr(entry.value_kgco2e),
                entry.declared_unit,
                boundary_label(entry.boundary, locale),
                "" if entry.grade is None else entry.grade,
                entry.benchmark_version or "",
                entry.factor_set_version,
                entry.gwp,
                entry.period_start.isoformat(),
                entry.period_end.isoformat(),
                entry.valid_from.isoformat(),
                entry.valid_until.isoformat(),
                verification_url(public_url, entry.number),
            ]
            for entry in _every_entry(service, asked.filters())
        )
        header = [locale.gettext(column) for column in CSV_COLUMNS]
        return csv_response(header, rows, "registry.csv")

    return page(request, export)
