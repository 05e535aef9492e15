"""The certification pages: the certification body's queue of applications (certify or refuse
with a reason), its issued certificates with the surveillance actions (suspend, reinstate,
withdraw with a reason), and the enterprise's block on its submission page (apply to a body;
the certificate's status, number, validity and links)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import Permission
from tanzuji.certification import CertificateAction, CertificateStatus
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated
from tanzuji.rules import find_rule
from tanzuji.services.accounts import AccountService
from tanzuji.services.certification import OPEN_STATUSES, CertificationService
from tanzuji.store.models import Certificate, Organization, Submission
from tanzuji.web.api.certificates import service
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work
from tanzuji.workflow import Status

__all__ = ["CERTIFICATE_STATUS_LABELS", "certificate_block", "router"]

router = APIRouter(include_in_schema=False)

CERTIFICATE_STATUS_LABELS = {
    CertificateStatus.APPLIED: N_("Applied, waiting for the certification body"),
    CertificateStatus.REFUSED: N_("Refused"),
    CertificateStatus.ISSUED: N_("Certified"),
    CertificateStatus.SUSPENDED: N_("Suspended"),
    CertificateStatus.WITHDRAWN: N_("Withdrawn"),
}
_ACTIONS = {
    "certify": CertificateAction.CERTIFY,
    "refuse": CertificateAction.REFUSE,
    "suspend": CertificateAction.SUSPEND,
    "reinstate": CertificateAction.REINSTATE,
    "withdraw": CertificateAction.WITHDRAW,
}


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.UUID(int=0)


def _name(organization: Organization, locale: Locale) -> str:
    if locale.language == "en":
        return organization.name_en or organization.name_zh
    return organization.name_zh


def _signed_in(work: Work, permission: Permission) -> CertificationService:
    if work.context.actor is None:
        raise NotAuthenticated("sign in")
    work.context.require(permission)
    return CertificationService(work.session, work.context)


def _summary(work: Work, certificate: Certificate, locale: Locale) -> dict[str, Any]:
    """One application or certificate as the certification body's pages list it."""
    subject = CertificationService(work.session, work.context).subject(certificate.id)
    accounts = AccountService(work.session, work.context)
    footprint, submission, product = subject.footprint, subject.submission, subject.product
    rule = find_rule(footprint.rule_key)
    quality = footprint.result.get("data_quality") or {}
    verifier = (
        _name(accounts.organization(submission.verifier_id), locale)
        if submission.verifier_id
        else "—"
    )
    return {
        "id": certificate.id,
        "number": certificate.number,
        "status": locale.gettext(CERTIFICATE_STATUS_LABELS[certificate.status]),
        "status_value": certificate.status.value,
        "product": product.name_en or product.name_zh
        if locale.language == "en"
        else product.name_zh,
        "enterprise": _name(accounts.organization(certificate.enterprise_id), locale),
        "period": f"{submission.period_start.isoformat()} – {submission.period_end.isoformat()}",
        "value": f"{locale.number(footprint.total_kgco2e)} kg CO2e / {footprint.declared_unit}",
        "rule": f"{rule.name_zh if locale.language == 'zh' else rule.name_en} "
        f"({footprint.rule_key})",
        "factor_set": f"{footprint.factor_set_version} ({footprint.gwp})",
        "verifier": verifier,
        "quality": f"{locale.number(quality.get('rating'), 2)} ({quality.get('level', 'n/a')})",
        "applied": locale.datetime(certificate.applied_at),
        "valid_from": locale.datetime(certificate.valid_from),
        "valid_until": locale.datetime(certificate.valid_until),
        "grade": certificate.grade,
        "ledger_index": certificate.ledger_index,
    }


# the certification body's queue ------------------------------------------------------------


def _queue(
    request: Request,
    work: Work,
    locale: Locale,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    waiting = _signed_in(work, Permission.CERTIFICATE_DECIDE).applications()
    return render(
        request,
        work,
        "certification_queue.html",
        N_("Certification applications"),
        status_code,
        rows=[_summary(work, certificate, locale) for certificate in waiting],
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/certification")
def queue_page(request: Request) -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _queue(request, work, locale))


@router.post("/certification/{certificate_id}")
def decide(
    request: Request,
    certificate_id: str,
    action: str = Form(""),
    reason: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        _signed_in(work, Permission.CERTIFICATE_DECIDE)
        key = str(_id(certificate_id))
        chosen = _ACTIONS.get(action)
        try:
            if chosen not in (CertificateAction.CERTIFY, CertificateAction.REFUSE):
                raise InvalidInput(locale.gettext("Choose: certify or refuse."), field="action")
            with work.session.begin_nested():
                service(request, work).decide(_id(certificate_id), chosen, reason)
        except (InvalidInput, Conflict) as exc:
            return _queue(
                request,
                work,
                locale,
                errors={key: exc.message},
                typed={key: reason},
                status_code=422 if isinstance(exc, InvalidInput) else 409,
            )
        return RedirectResponse("/certification", status_code=303)

    return page(request, act, form_csrf=csrf_token)


# the certification body's certificates ------------------------------------------------------


def _issued(
    request: Request,
    work: Work,
    locale: Locale,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    certification = _signed_in(work, Permission.CERTIFICATE_DECIDE)
    rows = [
        _summary(work, certificate, locale)
        for certificate in certification.certificates()
        if certificate.number is not None
    ]
    return render(
        request,
        work,
        "certification_issued.html",
        N_("Issued certificates"),
        status_code,
        rows=rows,
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/certificates")
def issued_page(request: Request) -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _issued(request, work, locale))


@router.post("/certificates/{certificate_id}/review")
def review(
    request: Request,
    certificate_id: str,
    action: str = Form(""),
    reason: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        _signed_in(work, Permission.CERTIFICATE_DECIDE)
        key = str(_id(certificate_id))
        chosen = _ACTIONS.get(action)
        try:
            if chosen not in (
                CertificateAction.SUSPEND,
                CertificateAction.REINSTATE,
                CertificateAction.WITHDRAW,
            ):
                raise InvalidInput(
                    locale.gettext("Choose: suspend, reinstate or withdraw."), field="action"
                )
            with work.session.begin_nested():
                service(request, work).review(_id(certificate_id), chosen, reason)
        except (InvalidInput, Conflict) as exc:
            return _issued(
                request,
                work,
                locale,
                errors={key: exc.message},
                typed={key: reason},
                status_code=422 if isinstance(exc, InvalidInput) else 409,
            )
        return RedirectResponse("/certificates", status_code=303)

    return page(request, act, form_csrf=csrf_token)


# the enterprise ------------------------------------------------------------------------------


def certificate_block(work: Work, locale: Locale, submission: Submission) -> dict[str, Any]:
    """What the enterprise's submission page shows of certification (``_certificate.html``):
    its applications and certificates, and the bodies it may apply to when none is open."""
    certification = CertificationService(work.session, work.context)
    found = certification.certificates(submission_id=submission.id)
    items = [
        {
            "number": c.number,
            "status": locale.gettext(CERTIFICATE_STATUS_LABELS[c.status]),
            "status_value": c.status.value,
            "applied": locale.datetime(c.applied_at),
            "decided": locale.datetime(c.decided_at),
            "reason": c.decision_reason,
            "valid_from": locale.datetime(c.valid_from),
            "valid_until": locale.datetime(c.valid_until),
            "grade": c.grade,
        }
        for c in found
    ]
    actor = work.context.actor
    may_apply = (
        actor is not None
        and Permission.CERTIFICATE_APPLY in actor.permissions
        and submission.status is Status.VERIFIED
        and not any(c.status in OPEN_STATUSES for c in found)
    )
    bodies = (
        [{"id": body.id, "name": _name(body, locale)} for body in certification.bodies()]
        if may_apply
        else []
    )
    return {"items": items, "may_apply": may_apply, "bodies": bodies}


@router.post("/submissions/{submission_id}/certification")
def apply(
    request: Request,
    submission_id: str,
    body_id: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    def act(work: Work) -> Response:
        _signed_in(work, Permission.CERTIFICATE_APPLY)
        if not body_id:
            raise InvalidInput("choose a certification body", field="body_id")
        service(request, work).apply(_id(submission_id), _id(body_id))
        return RedirectResponse(f"/submissions/{submission_id}", status_code=303)

    return page(request, act, form_csrf=csrf_token)
