"""The certification pages: the certification body's queue of applications (certify or refuse
with a reason), its issued certificates with the surveillance actions (suspend, reinstate,
withdraw with a reason), and the enterprise's block on its submission page (apply to a body;
the certificate's status, number, validity and links)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import Permission
from tanzuji.bilingual import in_language
from tanzuji.certification import CertificateAction, CertificateStatus
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from tanzuji.rules import find_rule
from tanzuji.services.accounts import AccountService
from tanzuji.services.certification import (
    DECISIONS,
    OPEN_STATUSES,
    SURVEILLANCE,
    CertificationService,
)
from tanzuji.store.models import Certificate, Organization, Submission
from tanzuji.web.api.certificates import service
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.public import period_text, quality_text
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


REFUSALS = {
    "reason": N_("Give the reason for this decision, in at most 5,000 characters."),
}
"""What a refused decision says beside its form, by the field the service named."""
CHANGED = N_(
    "This decision cannot be taken as the application or certificate stands now (another "
    "decision may have been taken meanwhile): reload the page and check it."
)
"""What a decision refused as a conflict says; the service's own (English) words follow it as
the technical detail."""


def _refusal(exc: InvalidInput | Conflict, locale: Locale) -> str:
    """A refused decision in the visitor's language."""
    if isinstance(exc, Conflict):
        return locale.gettext(CHANGED)
    if exc.field == "action":  # the page's own, translated already
        return exc.message
    return locale.gettext(REFUSALS.get(exc.field or "", CHANGED))


@dataclass(frozen=True)
class Desk:
    """One of the certification body's two pages: the certificates it lists, and the
    decisions taken on them (with ``choose``, the message when none of them was chosen)."""

    path: str
    template: str
    title: str
    listed: Callable[[CertificationService], list[Certificate]]
    actions: tuple[CertificateAction, ...]
    choose: str
    take: Callable[[CertificationService, uuid.UUID, CertificateAction, str], object]


QUEUE = Desk(
    "/certification",
    "certification_queue.html",
    N_("Certification applications"),
    CertificationService.applications,
    DECISIONS,
    N_("Choose: certify or refuse."),
    CertificationService.decide,
)
"""The applications waiting for a decision: certify or refuse."""
ISSUED = Desk(
    "/certificates",
    "certification_issued.html",
    N_("Issued certificates"),
    lambda certification: [c for c in certification.certificates() if c.number is not None],
    SURVEILLANCE,
    N_("Choose: suspend, reinstate or withdraw."),
    CertificationService.review,
)
"""The certificates issued, for surveillance: suspend, reinstate or withdraw."""


def _id(text: str, field: str) -> uuid.UUID:
    """The id in a page's address or form; one that is no id is not found, by its name."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no {field.removesuffix('_id')} {text!r}", field=field) from None


def _name(organization: Organization, locale: Locale) -> str:
    return in_language(organization.name_zh, organization.name_en, locale.language)


def _signed_in(work: Work, permission: Permission) -> CertificationService:
    if work.context.actor is None:
        raise NotAuthenticated("sign in")
    work.context.require(permission)
    return CertificationService(work.session, work.context)


def _summary(
    certification: CertificationService, certificate: Certificate, locale: Locale
) -> dict[str, Any]:
    """One application or certificate as the certification body's pages list it."""
    subject = certification.subject(certificate.id)
    accounts = AccountService(certification.session, certification.context)
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
        "product": in_language(product.name_zh, product.name_en, locale.language),
        "enterprise": _name(accounts.organization(certificate.enterprise_id), locale),
        "period": period_text(submission.period_start, submission.period_end),
        "value": f"{locale.number(footprint.total_kgco2e)} kg CO2e / {footprint.declared_unit}",
        "rule": f"{in_language(rule.name_zh, rule.name_en, locale.language)} "
        f"({footprint.rule_key})",
        "factor_set": f"{footprint.factor_set_version} ({footprint.gwp})",
        "verifier": verifier,
        "quality": quality_text(quality.get("rating"), locale),
        "applied": locale.datetime(certificate.applied_at),
        "valid_from": locale.datetime(certificate.valid_from),
        "valid_until": locale.datetime(certificate.valid_until),
        "grade": certificate.grade,
        "ledger_index": certificate.ledger_index,
    }


def _desk_page(
    request: Request,
    work: Work,
    desk: Desk,
    *,
    errors: dict[str, str] | None = None,
    technical: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The desk's page; ``errors`` (by certificate id, with their ``technical`` detail) show
    beside the certificate's form, or above the list for a certificate the desk does not
    list."""
    locale = Locale(language_of(request))
    certification = _signed_in(work, Permission.CERTIFICATE_DECIDE)
    rows = [_summary(certification, c, locale) for c in desk.listed(certification)]
    errors = errors or {}
    listed = {str(row["id"]) for row in rows}
    return render(
        request,
        work,
        desk.template,
        desk.title,
        status_code,
        rows=rows,
        errors=errors,
        technical=technical or {},
        unlisted_errors=[message for key, message in errors.items() if key not in listed],
        typed=typed or {},
    )


@dataclass(frozen=True)
class DecisionForm:
    """The form of a decision on either desk: the button pressed and the reason typed."""

    action: str = Form("")
    reason: str = Form("")
    csrf_token: str = Form("")


def _take(request: Request, desk: Desk, certificate_id: str, form: DecisionForm) -> Response:
    """Take the decision ``action`` on the desk's certificate, then show the desk again; a
    refused decision shows its message beside the certificate's form."""
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        _signed_in(work, Permission.CERTIFICATE_DECIDE)
        target_id = _id(certificate_id, "certificate_id")
        key = str(target_id)
        try:
            if form.action not in desk.actions:
                raise InvalidInput(locale.gettext(desk.choose), field="action")
            with work.session.begin_nested():
                desk.take(
                    service(request, work), target_id, CertificateAction(form.action), form.reason
                )
        except (InvalidInput, Conflict) as exc:
            return _desk_page(
                request,
                work,
                desk,
                errors={key: _refusal(exc, locale)},
                technical={key: exc.message},
                typed={key: form.reason},
                status_code=422 if isinstance(exc, InvalidInput) else 409,
            )
        return RedirectResponse(desk.path, status_code=303)

    return page(request, act, form_csrf=form.csrf_token)


@router.get("/certification")
def queue_page(request: Request) -> Response:
    return page(request, lambda work: _desk_page(request, work, QUEUE))


@router.post("/certification/{certificate_id}")
def decide(
    request: Request, certificate_id: str, form: Annotated[DecisionForm, Depends()]
) -> Response:
    return _take(request, QUEUE, certificate_id, form)


@router.get("/certificates")
def issued_page(request: Request) -> Response:
    return page(request, lambda work: _desk_page(request, work, ISSUED))


@router.post("/certificates/{certificate_id}/review")
def review(
    request: Request, certificate_id: str, form: Annotated[DecisionForm, Depends()]
) -> Response:
    return _take(request, ISSUED, certificate_id, form)


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
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        _signed_in(work, Permission.CERTIFICATE_APPLY)
        if not body_id:
            raise InvalidInput(locale.gettext("Choose a certification body."), field="body_id")
        service(request, work).apply(_id(submission_id, "submission_id"), _id(body_id, "body_id"))
        return RedirectResponse(f"/submissions/{submission_id}", status_code=303)

    return page(request, act, form_csrf=csrf_token)
