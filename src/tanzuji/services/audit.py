"""The audit log: every change that matters, with who, when, to what and what changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tanzuji.services.context import Context
from tanzuji.store.models import AuditEvent

__all__ = ["record"]


def record(
    session: Session,
    context: Context,
    action: str,
    subject_type: str,
    subject_id: object,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to ``session`` (it commits with the change it records)."""
    actor = context.actor
    event = AuditEvent(
        at=context.now(),
        actor_id=actor.user_id if actor else None,
        organization_id=actor.organization_id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        detail={"operator": True, **detail} if context.operator else detail,
    )
    session.add(event)
    return event
