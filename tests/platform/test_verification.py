"""Verification: assigned by the regulator, decided by the verifier, conflicts respected,
every step in the audit log, a returned submission keeping its history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tanzuji.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import AuditEvent, Product, Submission
from tanzuji.workflow import Status
from tests.platform.factories import World
from tests.platform.test_submissions import tea_data


@pytest.fixture
def submitted(world: World) -> Submission:
    product: Product = world.product("tea", "gz-green-tea", "tea-green")
    submissions = SubmissionService(world.session, world.context("tea_user"))
    submission = submissions.create(product.id, tea_data())
    submissions.calculate(submission.id)
    return submissions.submit(submission.id)


def verification(world: World, who: str) -> VerificationService:
    return VerificationService(world.session, world.context(who))


def test_returned_corrected_and_accepted(world: World, submitted: Submission) -> None:
    verifier = world.organizations["verifier"].id
    case = verification(world, "officer").assign(submitted.id, verifier)
    assert submitted.status is Status.UNDER_VERIFICATION
    comments = [{"body": "电表读数与发票不符", "input_name": "electricity"}]
    verification(world, "auditor").decide(case.id, "return", comments)
    assert submitted.status is Status.RETURNED

    submissions = SubmissionService(world.session, world.context("tea_user"))
    submissions.revise(submitted.id, submitted.version, tea_data(electricity=235_000))
    submissions.calculate(submitted.id)
    submissions.submit(submitted.id)
    second = verification(world, "officer").assign(submitted.id, verifier)
    verification(world, "auditor").decide(second.id, "accept")
    assert (submitted.status, submitted.revision) == (Status.VERIFIED, 2)

    (comment,) = verification(world, "tea_user").comments(submitted.id)
    assert (comment.revision, comment.input_name) == (1, "electricity")
    actions = list(
        world.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_id == str(submitted.id))
            .order_by(AuditEvent.at, AuditEvent.action)
        )
    )
    for step in ("submission.assign", "submission.return", "submission.revise",
                 "submission.accept"):  # fmt: skip
        assert step in actions


def test_a_verifier_with_a_conflict_is_never_assigned(world: World, submitted: Submission) -> None:
    verification(world, "auditor").declare_conflict(world.organizations["tea"].id, "曾为其咨询")
    with pytest.raises(Conflict, match="declared a conflict with this enterprise: 曾为其咨询"):
        verification(world, "officer").assign(submitted.id, world.organizations["verifier"].id)
    assert submitted.status is Status.SUBMITTED


def test_only_the_assigned_verifier_sees_and_decides(world: World, submitted: Submission) -> None:
    case = verification(world, "officer").assign(submitted.id, world.organizations["verifier"].id)
    assert SubmissionService(world.session, world.context("auditor")).get(submitted.id)
    with pytest.raises(NotFound):
        SubmissionService(world.session, world.context("auditor2")).get(submitted.id)
    with pytest.raises(NotFound):
        verification(world, "auditor2").decide(case.id, "accept")
    assert verification(world, "auditor2").cases() == []


def test_returning_needs_a_reason(world: World, submitted: Submission) -> None:
    case = verification(world, "officer").assign(submitted.id, world.organizations["verifier"].id)
    with pytest.raises(InvalidInput, match="add a comment"):
        verification(world, "auditor").decide(case.id, "return")


def test_a_case_is_decided_once(world: World, submitted: Submission) -> None:
    case = verification(world, "officer").assign(submitted.id, world.organizations["verifier"].id)
    verification(world, "auditor").decide(case.id, "accept")
    with pytest.raises(Conflict, match="decided already"):
        verification(world, "auditor").decide(case.id, "return", [{"body": "x"}])


def test_only_the_regulator_assigns(world: World, submitted: Submission) -> None:
    with pytest.raises(PermissionDenied, match="case:assign"):
        verification(world, "tea_admin").assign(submitted.id, world.organizations["verifier"].id)


def test_a_draft_cannot_be_assigned(world: World) -> None:
    product = world.product("tea", "gz-green-tea", "tea-green")
    draft = SubmissionService(world.session, world.context("tea_user")).create(
        product.id, tea_data()
    )
    with pytest.raises(IllegalTransition, match="cannot assign a submission that is draft"):
        verification(world, "officer").assign(draft.id, world.organizations["verifier"].id)


def test_a_bank_cannot_comment(world: World, submitted: Submission) -> None:
    with pytest.raises(NotFound):
        verification(world, "banker").comment(submitted.id, "利率优惠？")
