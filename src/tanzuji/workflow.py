"""The life of an activity data submission, as a state machine.

::

    draft ─calculate─► calculated ─submit─► submitted ─assign─► under_verification
      ▲                    │                                      │            │
      └───────edit─────────┘                                   accept        return
                                                                  ▼            ▼
                                                              verified      returned ─edit─► draft

Editing a returned submission opens a new revision as a draft; the earlier
revisions, their footprints and the verifier's comments stay. Later issues add
certified, labelled, published and revoked after ``verified``.
"""

from __future__ import annotations

from enum import StrEnum

from tanzuji.errors import IllegalTransition

__all__ = ["TRANSITIONS", "Action", "Status", "next_status"]


class Status(StrEnum):
    """Where a submission stands."""

    DRAFT = "draft"
    CALCULATED = "calculated"
    SUBMITTED = "submitted"
    UNDER_VERIFICATION = "under_verification"
    VERIFIED = "verified"
    RETURNED = "returned"

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]


_LABELS_ZH = {
    Status.DRAFT: "草稿",
    Status.CALCULATED: "已计算",
    Status.SUBMITTED: "已提交",
    Status.UNDER_VERIFICATION: "核查中",
    Status.VERIFIED: "已核查",
    Status.RETURNED: "已退回",
}


class Action(StrEnum):
    """What moves a submission on."""

    EDIT = "edit"
    CALCULATE = "calculate"
    SUBMIT = "submit"
    ASSIGN = "assign"
    ACCEPT = "accept"
    RETURN = "return"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.CALCULATE): Status.CALCULATED,
    (Status.CALCULATED, Action.EDIT): Status.DRAFT,
    (Status.CALCULATED, Action.CALCULATE): Status.CALCULATED,
    (Status.CALCULATED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.ASSIGN): Status.UNDER_VERIFICATION,
    (Status.UNDER_VERIFICATION, Action.ASSIGN): Status.UNDER_VERIFICATION,
    (Status.UNDER_VERIFICATION, Action.ACCEPT): Status.VERIFIED,
    (Status.UNDER_VERIFICATION, Action.RETURN): Status.RETURNED,
    (Status.RETURNED, Action.EDIT): Status.DRAFT,
}
"""Every allowed move; anything else is refused."""


def next_status(status: Status, action: Action) -> Status:
    """The status after ``action``, or :class:`IllegalTransition`.

    >>> next_status(Status.CALCULATED, Action.SUBMIT)
    <Status.SUBMITTED: 'submitted'>
    """
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        allowed = sorted(a.value for (s, a) in TRANSITIONS if s is status)
        raise IllegalTransition(
            f"cannot {action.value} a submission that is {status.value} "
            f"(allowed: {', '.join(allowed) or 'nothing'})",
            field="status",
        ) from None
