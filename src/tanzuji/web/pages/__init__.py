"""The pages (HTML, Chinese first): one router per concern, each page calling services only."""

from fastapi import APIRouter

from tanzuji.web.pages import (
    auth,
    certification,
    dashboard,
    enterprise,
    enterprise_entry,
    enterprise_sharing,
    grading,
    province,
    public,
    public_disclosure,
    public_ledger,
    public_registry,
    review,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for concern in (
    auth,
    dashboard,
    enterprise,
    enterprise_entry,
    enterprise_sharing,
    review,
    province,
    grading,
    certification,
    public,
    public_registry,
    public_disclosure,
    public_ledger,
):
    router.include_router(concern.router)
