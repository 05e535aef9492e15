"""The public verification page of a certificate, ``/v/{number}`` (what a label's QR code
opens), and the certificate's carbon label as SVG, PNG and PDF. No sign-in."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tanzuji.bilingual import in_language
from tanzuji.certification import Standing
from tanzuji.engine.footprint import quality_level
from tanzuji.errors import Gone, NotFound
from tanzuji.labels import label_pdf, label_png, label_svg
from tanzuji.labels.content import CHINA
from tanzuji.ledger.tree_heads import b64
from tanzuji.model.stages import Boundary
from tanzuji.services.certification import CertificationService
from tanzuji.services.public_certificates import PublicCertificate, PublicCertificateService
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.public_checks import NOT_CHECKED, credential_checks, ledger_problems
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work, keys_of, settings_of

__all__ = [
    "BOUNDARY_LABELS",
    "QUALITY_LEVELS",
    "STANDING_LABELS",
    "boundary_label",
    "china_date",
    "period_text",
    "public_service",
    "quality_text",
    "router",
    "share_text",
    "standing_label",
]

router = APIRouter(include_in_schema=False)

STANDING_LABELS = {
    Standing.VALID: N_("Valid"),
    Standing.EXPIRED: N_("Expired"),
    Standing.SUSPENDED: N_("Suspended"),
    Standing.WITHDRAWN: N_("Withdrawn (revoked)"),
    Standing.NOT_ISSUED: N_("Not issued"),
}
BOUNDARY_LABELS = {
    Boundary.CRADLE_TO_GATE: N_("cradle to gate"),
    Boundary.CRADLE_TO_GRAVE: N_("cradle to grave"),
    Boundary.GATE_TO_GATE: N_("gate to gate"),
}
QUALITY_LEVELS = {
    "excellent": N_("excellent"),
    "very good": N_("very good"),
    "good": N_("good"),
    "fair": N_("fair"),
    "poor": N_("poor"),
    "n/a": N_("not rated"),
}
"""The data quality levels of :func:`tanzuji.engine.footprint.quality_level` (PEF)."""
LABEL_FORMATS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "svg": ("image/svg+xml; charset=utf-8", lambda svg: svg.encode()),
    "png": ("image/png", label_png),
    "pdf": ("application/pdf", label_pdf),
}


def standing_label(standing: Standing | str, locale: Locale) -> str:
    """A certificate's standing in the visitor's language."""
    return locale.gettext(STANDING_LABELS[Standing(standing)])


def boundary_label(boundary: str, locale: Locale) -> str:
    """A system boundary in the visitor's language (an unknown one as stored)."""
    try:
        return locale.gettext(BOUNDARY_LABELS[Boundary(boundary)])
    except ValueError:
        return boundary


def quality_text(rating: float | None, locale: Locale) -> str:
    """A data quality rating (1 very good – 5 very poor) with its level: ``2 (良好)``."""
    if rating is None:
        return "—"
    level = locale.gettext(QUALITY_LEVELS[quality_level(rating)])
    return f"{locale.number(rating, 2)} ({level})"


def share_text(share: float | None, locale: Locale) -> str:
    """A fraction 0–1 (the primary data share) as a percentage."""
    return f"{locale.number(share * 100, 3)} %" if share is not None else "—"


def period_text(start: datetime.date, end: datetime.date) -> str:
    """A reference period, first and last day (ISO 8601)."""
    return f"{start.isoformat()} – {end.isoformat()}"


def public_service(request: Request, work: Work) -> PublicCertificateService:
    return PublicCertificateService(
        work.session,
        work.context,
        keys=keys_of(request),
        public_url=settings_of(request).public_url,
    )


def china_date(moment: datetime.datetime | None) -> str:
    """The calendar day of ``moment`` in China Standard Time, ISO 8601 ('—' for none)."""
    return moment.astimezone(CHINA).date().isoformat() if moment is not None else "—"


def _name(organization: Any, locale: Locale) -> str:
    return str(organization.name(locale.language)) if organization is not None else "—"


def _certificate(found: PublicCertificate, locale: Locale) -> dict[str, Any]:
    """What the verification page shows, formatted for the visitor."""
    view, ledger = found.view, found.ledger
    head = ledger.tree_head
    return {
        "number": view.number,
        "standing": view.standing.value,
        "standing_label": standing_label(view.standing, locale),
        "product": view.product_name(locale.language),
        "enterprise": _name(view.enterprise, locale),
        "county": view.enterprise.county,
        "value": locale.number(view.value_kgco2e),
        "declared_unit": view.declared_unit,
        "boundary": boundary_label(view.boundary, locale),
        "grade": view.grade,
        "benchmark_version": view.benchmark_version,
        "valid_from": china_date(view.valid_from),
        "valid_until": china_date(view.valid_until),
        "period": period_text(view.period_start, view.period_end),
        "rule": in_language(view.rule_name_zh, view.rule_name_en, locale.language),
        "rule_key": view.rule_key,
        "factor_set": view.factor_set_version,
        "gwp": view.gwp,
        "data_quality": quality_text(view.data_quality_rating, locale),
        "primary_share": share_text(view.primary_data_share, locale),
        "verifier": _name(view.verifier, locale),
        "body": _name(view.body, locale),
        "checked_at": locale.datetime(view.checked_at),
        "url": found.verification_url,
        "labels": view.standing is Standing.VALID,
        "ledger": {
            "passed": ledger.passed,
            "index": ledger.entry_index,
            "recorded_at": locale.datetime(ledger.entry_recorded_at),
            "is_issue": ledger.entry_is_the_issue,
            "recorded_sha256": ledger.recorded_sha256 or "—",
            "stored_sha256": ledger.stored_sha256,
            "digest_matches": ledger.digest_matches,
            "tree_size": head.tree_size if head else None,
            "root": b64(head.root_hash) if head else "—",
            "head_time": locale.datetime(head.time) if head else "—",
            "signed": ledger.tree_head_signed,
            "proof_length": ledger.proof_length,
            "included": ledger.included,
            "problems": ledger_problems(ledger, locale),
        },
        "credential": {
            "valid": found.credential.valid,
            "checks": credential_checks(found, locale),
            "not_checked": locale.gettext(NOT_CHECKED) if found.credential.not_checked else "",
        },
    }


def _not_found(request: Request, work: Work, number: str) -> Response:
    return render(
        request, work, "public_not_found.html", N_("No such certificate"), 404, number=number
    )


@router.get("/v/{number}")
def verification_page(number: str, request: Request) -> Response:
    """The certificate, where it stands, and the checks anyone can redo."""
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        try:
            found = public_service(request, work).verification(number)
        except NotFound:
            return _not_found(request, work, number)
        return render(
            request,
            work,
            "public_certificate.html",
            N_("Carbon footprint certificate"),
            certificate=_certificate(found, locale),
        )

    return page(request, show)


def _label(number: str, kind: str, request: Request) -> Response:
    language = language_of(request)
    locale = Locale(language)
    media_type, convert = LABEL_FORMATS[kind]

    def draw(work: Work) -> Response:
        service = public_service(request, work)
        try:
            content = service.label(number)
        except NotFound:
            return _not_found(request, work, number)
        except Gone:
            view = CertificationService(work.session, work.context).certificate(number)
            message = locale.gettext(
                "Certificate {number} is {standing}: its label may no longer be printed or shown.",
                number=number,
                standing=standing_label(view.standing, locale),
            )
            return render(request, work, "error.html", N_("No label"), 410, message=message)
        body = convert(label_svg(content, "en" if language == "en" else "zh"))
        return Response(
            body,
            media_type=media_type,
            headers={
                "Content-Disposition": f'inline; filename="{number}-label-{language}.{kind}"',
                "Cache-Control": "no-cache",
            },
        )

    return page(request, draw)


@router.get("/v/{number}/label.svg")
def label_as_svg(number: str, request: Request) -> Response:
    """The label as SVG (vector, 60 mm × 100 mm)."""
    return _label(number, "svg", request)


@router.get("/v/{number}/label.png")
def label_as_png(number: str, request: Request) -> Response:
    """The label as PNG at 300 dpi (709 × 1181 pixels)."""
    return _label(number, "png", request)


@router.get("/v/{number}/label.pdf")
def label_as_pdf(number: str, request: Request) -> Response:
    """The label as a one-page vector PDF for printing."""
    return _label(number, "pdf", request)
