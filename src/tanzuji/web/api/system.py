"""Health, the product rules and the published factor sets (public)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

import tanzuji
from tanzuji.errors import NotFound, RuleFileError
from tanzuji.rules import bundled_rules, find_rule
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["system"])


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Whether the database answers, and the version of tanzuji."""
    with unit_of_work(request) as work:
        work.session.execute(text("SELECT 1"))
        dialect = work.session.get_bind().dialect.name
    return {"status": "ok", "database": dialect, "version": tanzuji.__version__}


@router.get("/rules")
def rules() -> dict[str, Any]:
    """Every product rule version."""
    return {
        "items": [
            {
                "key": rule.key,
                "id": rule.id,
                "version": rule.version,
                "name_zh": rule.name_zh,
                "name_en": rule.name_en,
                "declared_unit": rule.declared_unit,
                "boundary": rule.boundary.value,
            }
            for rule in bundled_rules()
        ]
    }


@router.get("/rules/{key}")
def rule(key: str) -> dict[str, Any]:
    """One rule (``id`` for the newest version, or ``id@version``), as its file says."""
    try:
        return find_rule(key).model_dump(mode="json")
    except RuleFileError as exc:
        raise NotFound(exc.problems[0][2], field="key") from exc


@router.get("/factor-sets")
def factor_sets(request: Request) -> dict[str, Any]:
    """The published factor set versions, newest first."""
    with unit_of_work(request) as work:
        versions = FactorSetService(work.session, work.context).versions()
        return {
            "items": [
                {
                    "version": v.version,
                    "title": v.title,
                    "factors": v.factor_count,
                    "sha256": v.sha256,
                    "published_at": v.published_at.isoformat(),
                }
                for v in versions
            ]
        }
