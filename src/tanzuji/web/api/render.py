"""The JSON shape of each thing the API returns. Numbers carry their unit."""

from __future__ import annotations

import datetime
from typing import Any

from tanzuji.services.ledger_events import data_commitment
from tanzuji.services.paging import Page
from tanzuji.store.models import (
    ApiToken,
    Comment,
    Footprint,
    Membership,
    Organization,
    Product,
    Revision,
    Submission,
    User,
    VerificationCase,
)

__all__ = [
    "case_json",
    "comment_json",
    "footprint_json",
    "iso",
    "membership_json",
    "organization_json",
    "page_json",
    "product_json",
    "revision_json",
    "submission_json",
    "token_json",
    "user_json",
]


def iso(moment: datetime.datetime | None) -> str | None:
    """A point in time as ISO 8601 (UTC offset included), or ``None``."""
    return moment.isoformat() if moment is not None else None


def organization_json(organization: Organization) -> dict[str, Any]:
    return {
        "id": str(organization.id),
        "kind": organization.kind.value,
        "name_zh": organization.name_zh,
        "name_en": organization.name_en,
        "uscc": organization.uscc,
        "county": organization.county,
        "industry": organization.industry,
    }


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "display_name": user.display_name,
        "locale": user.locale,
        "active": user.active,
    }


def membership_json(membership: Membership) -> dict[str, Any]:
    return {
        "id": str(membership.id),
        "user_id": str(membership.user_id),
        "organization_id": str(membership.organization_id),
        "role": membership.role.value,
    }


def token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": str(token.id),
        "name": token.name,
        "scopes": token.scopes,
        "created_at": token.created_at.isoformat(),
        "expires_at": iso(token.expires_at),
        "revoked_at": iso(token.revoked_at),
        "last_used_at": iso(token.last_used_at),
    }


def product_json(product: Product) -> dict[str, Any]:
    return {
        "id": str(product.id),
        "organization_id": str(product.organization_id),
        "code": product.code,
        "name_zh": product.name_zh,
        "name_en": product.name_en,
        "rule_id": product.rule_id,
    }


def submission_json(submission: Submission) -> dict[str, Any]:
    return {
        "id": str(submission.id),
        "product_id": str(submission.product_id),
        "organization_id": str(submission.organization_id),
        "rule": submission.rule_key,
        "reference_period": {
            "start": submission.period_start.isoformat(),
            "end": submission.period_end.isoformat(),
        },
        "status": submission.status.value,
        "status_zh": submission.status.label_zh,
        "revision": submission.revision,
        "verifier_id": str(submission.verifier_id) if submission.verifier_id else None,
        "version": submission.version,
        "updated_at": submission.updated_at.isoformat(),
    }


def revision_json(revision: Revision) -> dict[str, Any]:
    return {
        "number": revision.number,
        "data": revision.data,
        "monthly": revision.monthly,
        "sha256": revision.sha256,
        "ledger": {"salt": revision.salt, "data_commitment": data_commitment(revision)},
        "warnings": revision.warnings,
        "created_by": str(revision.created_by),
        "created_at": revision.created_at.isoformat(),
    }


def footprint_json(footprint: Footprint) -> dict[str, Any]:
    return {
        "id": str(footprint.id),
        "submission_id": str(footprint.submission_id),
        "revision": footprint.revision,
        "rule": footprint.rule_key,
        "factor_set": footprint.factor_set_version,
        "gwp": footprint.gwp,
        "total": {"value": footprint.total_kgco2e, "unit": f"kgCO2e per {footprint.declared_unit}"},
        "computed_at": footprint.computed_at.isoformat(),
        "result": footprint.result,
    }


def case_json(case: VerificationCase) -> dict[str, Any]:
    return {
        "id": str(case.id),
        "submission_id": str(case.submission_id),
        "revision": case.revision,
        "verifier_id": str(case.verifier_id),
        "assigned_at": case.assigned_at.isoformat(),
        "decision": case.decision,
        "decided_at": iso(case.decided_at),
    }


def comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": str(comment.id),
        "revision": comment.revision,
        "input_name": comment.input_name,
        "body": comment.body,
        "author_id": str(comment.author_id),
        "created_at": comment.created_at.isoformat(),
    }


def page_json(page: Page, render: Any) -> dict[str, Any]:
    return {
        "items": [render(item) for item in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }
