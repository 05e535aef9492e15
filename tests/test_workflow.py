"""The submission workflow as a state machine."""

from __future__ import annotations

import pytest

from tanzuji.errors import IllegalTransition
from tanzuji.workflow import TRANSITIONS, Action, Status, next_status


def test_the_happy_path() -> None:
    status = Status.DRAFT
    for action in (Action.CALCULATE, Action.SUBMIT, Action.ASSIGN, Action.ACCEPT):
        status = next_status(status, action)
    assert status is Status.VERIFIED


def test_returned_and_resubmitted() -> None:
    status = Status.UNDER_VERIFICATION
    for action in (Action.RETURN, Action.EDIT, Action.CALCULATE, Action.SUBMIT):
        status = next_status(status, action)
    assert status is Status.SUBMITTED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_other_move_is_refused(status: Status, action: Action) -> None:
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) is TRANSITIONS[(status, action)]
    else:
        with pytest.raises(IllegalTransition, match=f"cannot {action.value} a submission"):
            next_status(status, action)


def test_a_verified_submission_cannot_be_edited() -> None:
    with pytest.raises(IllegalTransition, match=r"that is verified \(allowed: nothing\)"):
        next_status(Status.VERIFIED, Action.EDIT)
