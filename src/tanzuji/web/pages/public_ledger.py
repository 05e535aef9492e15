"""The transparency ledger for people, ``/ledger`` (no sign-in): the latest signed tree head,
the newest entries page by page, and how to check the log without trusting this server.

The same data as the ledger API (``/api/v1/ledger``); an entry's subject is shown only where it
is public already (a certificate number, a factor set or benchmark version).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tanzuji.errors import NotFound
from tanzuji.ledger import EventKind, LedgerEntry
from tanzuji.services.ledger import LedgerService
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work, settings_of

__all__ = ["KIND_LABELS", "router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
KIND_LABELS = {
    EventKind.SUBMISSION_RECEIVED: N_("Activity data received"),
    EventKind.FOOTPRINT_COMPUTED: N_("Footprint computed"),
    EventKind.VERIFICATION_DECIDED: N_("Verification decided"),
    EventKind.CERTIFICATE_ISSUED: N_("Certificate issued"),
    EventKind.CERTIFICATE_STATUS_CHANGED: N_("Certificate status changed"),
    EventKind.FACTOR_SET_PUBLISHED: N_("Factor set published"),
    EventKind.BENCHMARK_PUBLISHED: N_("Benchmark version published"),
}
"""What each kind of entry records, as the page names it."""


def _subject(entry: LedgerEntry) -> dict[str, str]:
    """What the entry is about, where that is public: a certificate (with its page), a factor
    set or benchmark version; nothing for entries about confidential records."""
    if entry.kind in (EventKind.CERTIFICATE_ISSUED, EventKind.CERTIFICATE_STATUS_CHANGED):
        number = str(entry.body.get("certificate", ""))
        return {"text": number, "href": f"/v/{number}"}
    if entry.kind in (EventKind.FACTOR_SET_PUBLISHED, EventKind.BENCHMARK_PUBLISHED):
        return {"text": str(entry.body.get("version", "")), "href": ""}
    return {"text": "", "href": ""}


def _row(entry: LedgerEntry, locale: Locale) -> dict[str, Any]:
    return {
        "index": entry.index,
        "time": locale.datetime(entry.recorded_at),
        "kind": locale.gettext(KIND_LABELS[entry.kind]),
        "subject": _subject(entry),
    }


@router.get("/ledger")
def ledger_page(request: Request, before: int | None = None) -> Response:
    """The latest signed tree head and the entries before index ``before`` (default: the
    newest), newest first."""
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        ledger = LedgerService(work.session, work.context)
        try:
            head = ledger.tree_head()
        except NotFound:
            head = None
        size = head.tree_size if head is not None else 0
        end = size if before is None else max(0, min(before, size))
        start = max(0, end - PAGE_SIZE)
        entries = ledger.entries(start, end) if end > start else []
        return render(
            request,
            work,
            "public_ledger.html",
            N_("Transparency ledger"),
            head=head,
            head_time=locale.datetime(head.time) if head is not None else "",
            rows=[_row(entry, locale) for entry in reversed(entries)],
            earlier=start if start > 0 else None,
            later=min(end + PAGE_SIZE, size) if end < size else None,
            public_url=settings_of(request).public_url,
        )

    return page(request, show)
