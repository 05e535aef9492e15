"""The JSON API, ``/api/v1``: one router per feature; OpenAPI at ``/openapi.json``."""

from fastapi import APIRouter

from tanzuji.web.api import (
    accounts,
    certificates,
    evidence,
    factor_sets,
    grading,
    ledger,
    oversight,
    products,
    registry,
    sharing,
    submissions,
    system,
    verification,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")
for feature in (
    system,
    accounts,
    products,
    submissions,
    evidence,
    verification,
    sharing,
    factor_sets,
    oversight,
    grading,
    certificates,
    ledger,
    registry,
):
    router.include_router(feature.router)
