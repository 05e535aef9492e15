"""The start page of each role: what it has and what needs its action."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tanzuji.access import Permission
from tanzuji.errors import NotAuthenticated
from tanzuji.rules import find_rule
from tanzuji.services.certification import CertificationService
from tanzuji.services.disclosure import DisclosureService
from tanzuji.services.oversight import OversightService
from tanzuji.services.products import ProductService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Submission
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import page, render, status_label
from tanzuji.web.work import Work
from tanzuji.workflow import Status

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        actor = work.context.actor
        if actor is None:
            raise NotAuthenticated("sign in")
        rows: list[dict[str, Any]] = []
        actions: list[dict[str, str]] = []
        disclosures: list[int] = []
        if Permission.SUBMISSION_READ in actor.permissions:
            rows, actions = _enterprise(work, locale)
            disclosures = DisclosureService(work.session, work.context).years(actor.organization_id)
        if Permission.CASE_REVIEW in actor.permissions:
            for case in VerificationService(work.session, work.context).cases(open_only=True):
                actions.append(
                    {"href": f"/cases/{case.id}", "text": locale.gettext("Review a submission")}
                )
        if Permission.CERTIFICATE_DECIDE in actor.permissions:
            waiting = CertificationService(work.session, work.context).applications()
            if waiting:
                actions.append(
                    {
                        "href": "/certification",
                        "text": locale.gettext(
                            "{count} applications for certification wait for your decision",
                            count=len(waiting),
                        ),
                    }
                )
        if Permission.OVERSIGHT_READ in actor.permissions:
            counts = OversightService(work.session, work.context).status_counts()
            if counts[Status.SUBMITTED.value]:
                actions.append(
                    {
                        "href": "/overview",
                        "text": locale.gettext(
                            "{count} submissions wait for a verifier",
                            count=counts[Status.SUBMITTED.value],
                        ),
                    }
                )
        return render(
            request,
            work,
            "dashboard.html",
            "Dashboard",
            rows=rows,
            actions=actions,
            disclosures=disclosures,
            organization_id=actor.organization_id,
        )

    return page(request, show)


def _enterprise(work: Work, locale: Locale) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    submissions = SubmissionService(work.session, work.context)
    latest: dict[uuid.UUID, Submission] = {}
    for submission in submissions.submissions(limit=500).items:
        latest.setdefault(submission.product_id, submission)
    rows, actions = [], []
    for product in ProductService(work.session, work.context).products():
        submission = latest.get(product.id)
        footprint = submissions.latest_footprint(submission) if submission else None
        rule = find_rule(product.rule_id)
        name = product.name_zh if locale.language == "zh" else (product.name_en or product.name_zh)
        rows.append(
            {
                "product_id": product.id,
                "name": name,
                "rule": rule.name_zh if locale.language == "zh" else rule.name_en,
                "footprint": (
                    f"{locale.number(footprint.total_kgco2e)} kgCO2e / {footprint.declared_unit}"
                    if footprint
                    else "—"
                ),
                "status": status_label(submission.status, locale) if submission else "—",
            }
        )
        if submission is not None and submission.status is Status.RETURNED:
            actions.append(
                {
                    "href": f"/submissions/{submission.id}",
                    "text": locale.gettext("{product}: returned by the verifier", product=name),
                }
            )
        elif submission is not None and submission.status is Status.CALCULATED:
            actions.append(
                {
                    "href": f"/submissions/{submission.id}",
                    "text": locale.gettext(
                        "{product}: calculated, not yet submitted", product=name
                    ),
                }
            )
    return rows, actions
