"""The public registry as open data: ``GET /api/v1/registry`` (no sign-in). The fields are
described in ``docs/labels.md``; every number carries its unit."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tanzuji.services.certificate_urls import verification_url
from tanzuji.services.registry import RegistryEntry, RegistryFilters, RegistryService
from tanzuji.web.api.render import page_json
from tanzuji.web.work import settings_of, unit_of_work

__all__ = ["TERMS", "RegistryQuery", "registry_entry_json", "router"]

router = APIRouter(tags=["registry"])

TERMS = (
    "Public registry of product carbon footprint certificates. Free to reuse, with the source "
    "and the date retrieved named; the signed credential at each verification URL is "
    "authoritative, and a certificate's standing can change (suspension, withdrawal, expiry)."
)
"""The reuse terms sent with the open data (the deployment's operator may publish others)."""


@dataclass(frozen=True)
class RegistryQuery:
    """The registry's filters as the query string gives them (text, not yet checked): the
    same for the page, its CSV export and this API."""

    category: str = ""
    grade: str = ""
    county: str = ""
    enterprise: str = ""
    product: str = ""
    standing: str = ""

    def filters(self) -> RegistryFilters:
        """The filters, checked; a bad one is refused naming its field."""
        return RegistryFilters.parse(**asdict(self))


def registry_entry_json(entry: RegistryEntry, public_url: str) -> dict[str, Any]:
    return {
        "number": entry.number,
        "standing": entry.standing.value,
        "product": {
            "code": entry.product_code,
            "name_zh": entry.product_name_zh,
            "name_en": entry.product_name_en,
            "category": entry.category,
        },
        "enterprise": {
            "id": str(entry.enterprise_id),
            "name_zh": entry.enterprise_name_zh,
            "name_en": entry.enterprise_name_en,
            "county": entry.county,
        },
        "footprint": {
            "value": entry.value_kgco2e,
            "unit": "kg CO2e",
            "declared_unit": entry.declared_unit,
        },
        "boundary": entry.boundary,
        "grade": entry.grade,
        "benchmark_version": entry.benchmark_version,
        "rule": entry.rule_key,
        "standard": "GB/T 24067-2024",
        "factor_set": entry.factor_set_version,
        "gwp": entry.gwp,
        "reference_period": {
            "start": entry.period_start.isoformat(),
            "end": entry.period_end.isoformat(),
        },
        "valid_from": entry.valid_from.isoformat(),
        "valid_until": entry.valid_until.isoformat(),
        "links": {
            "verification": verification_url(public_url, entry.number),
            "credential": f"{public_url}/api/v1/certificates/{entry.number}/credential",
            "disclosure": f"{public_url}/disclosure/{entry.enterprise_id}/{entry.period_end.year}",
        },
    }


@router.get("/registry")
def registry(
    request: Request,
    query: Annotated[RegistryQuery, Depends()],
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Certified products, newest first: ``category`` (rule id), ``grade`` (1–5), ``county``,
    ``enterprise`` and ``product`` (part of a name), ``standing`` (valid, expired, suspended,
    withdrawn); paged with ``limit`` (1–500) and ``offset``."""
    public_url = settings_of(request).public_url
    with unit_of_work(request) as work:
        found = RegistryService(work.session, work.context).search(
            query.filters(),
            limit=limit,
            offset=offset,
        )
        return {
            **page_json(found, lambda entry: registry_entry_json(entry, public_url)),
            "terms": TERMS,
        }
