"""The enterprise admin's data-sharing grants (create, revoke) and the log of who read what."""

from __future__ import annotations

import datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import Permission
from tanzuji.errors import Conflict, InvalidInput, NotFound
from tanzuji.services.accounts import AccountService
from tanzuji.services.products import ProductService
from tanzuji.services.sharing import SharingService, grant_state
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.enterprise import name_of, signed_in, uuid_of
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work

router = APIRouter(include_in_schema=False)


# data sharing -------------------------------------------------------------------------------


def _sharing_page(
    request: Request,
    work: Work,
    locale: Locale,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    sharing = SharingService(work.session, work.context)
    accounts = AccountService(work.session, work.context)
    partners = [o for o in accounts.organizations() if o.kind.is_data_partner]
    names = {
        o.id: o.name_zh if locale.language == "zh" else (o.name_en or o.name_zh) for o in partners
    }
    now = work.context.now()
    grants = [
        {
            "id": g.id,
            "partner": names.get(g.partner_id, str(g.partner_id)),
            "products": ", ".join(name_of(p, locale) for p in g.products),
            "from": locale.datetime(g.valid_from),
            "until": locale.datetime(g.valid_until),
            "activity": g.include_activity_data,
            "state": locale.gettext(_GRANT_STATES[grant_state(g, now)]),
            "active": g.revoked_at is None and g.valid_until > now,
        }
        for g in sharing.grants(limit=200).items
    ]
    reads = [
        {
            "at": locale.datetime(entry.read.read_at),
            "reader": entry.reader.display_name,
            "partner": entry.partner.name_zh
            if locale.language == "zh"
            else (entry.partner.name_en or entry.partner.name_zh),
            "product": name_of(entry.product, locale),
            "what": entry.read.what,
        }
        for entry in sharing.read_log(limit=200).items
    ]
    return render(
        request,
        work,
        "enterprise_sharing.html",
        N_("Data sharing"),
        status_code,
        partners=[{"id": o.id, "name": names[o.id]} for o in partners],
        products=[
            {"id": p.id, "name": name_of(p, locale)}
            for p in ProductService(work.session, work.context).products()
        ],
        grants=grants,
        reads=reads,
        values=values,
        errors=errors,
    )


@router.get("/sharing")
def sharing_page(request: Request) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        signed_in(work, Permission.GRANT_MANAGE)
        today = work.context.now().date()
        values = {
            "valid_from": today.isoformat(),
            "valid_until": today.replace(year=today.year + 1).isoformat(),
            "products": [],
        }
        return _sharing_page(request, work, locale, values, {})

    return page(request, show)


_GRANT_STATES = {
    "active": N_("in force"),
    "pending": N_("not yet in force"),
    "expired": N_("expired"),
    "revoked": N_("revoked"),
}
_CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _day(text: str, field: str) -> datetime.datetime:
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time(), _CHINA)
    except ValueError as exc:
        raise InvalidInput("give a date as YYYY-MM-DD", field=field) from exc


@router.post("/sharing/grants")
async def create_grant(request: Request) -> Response:
    locale = Locale(language_of(request))
    form = await request.form()
    values: dict[str, Any] = {
        "partner_id": str(form.get("partner_id", "")),
        "products": [str(v) for v in form.getlist("products")],
        "valid_from": str(form.get("valid_from", "")),
        "valid_until": str(form.get("valid_until", "")),
        "activity": form.get("include_activity_data") == "yes",
    }

    def store(work: Work) -> Response:
        signed_in(work, Permission.GRANT_MANAGE)
        try:
            with work.session.begin_nested():
                SharingService(work.session, work.context).grant(
                    uuid_of(values["partner_id"]),
                    [uuid_of(v) for v in values["products"]],
                    _day(values["valid_from"], "valid_from"),
                    _day(values["valid_until"], "valid_until"),
                    include_activity_data=values["activity"],
                )
        except (InvalidInput, Conflict, NotFound) as exc:
            field = exc.field or "partner_id"
            key = "products" if field.startswith("product") else field
            return _sharing_page(request, work, locale, values, {key: exc.message}, 422)
        return RedirectResponse("/sharing", status_code=303)

    return page(request, store, form_csrf=str(form.get("csrf_token", "")))


@router.post("/sharing/grants/{grant_id}/revoke")
def revoke_grant(request: Request, grant_id: str, csrf_token: str = Form("")) -> Response:
    def act(work: Work) -> Response:
        SharingService(work.session, work.context).revoke(uuid_of(grant_id))
        return RedirectResponse("/sharing", status_code=303)

    return page(request, act, form_csrf=csrf_token)
