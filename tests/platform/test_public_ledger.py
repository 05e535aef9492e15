"""The public ledger page: the signed tree head, the newest entries, subjects only where public."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tanzuji.ledger import EventKind
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tests.platform.api import client_for
from tests.platform.factories import World

KEY = Ed25519PrivateKey.generate()


def _log(world: World, entries: int) -> int:
    """``entries`` factor set versions V-0, V-1, …, a certificate and a footprint, signed; the
    index of V-0."""
    ledger = LedgerService(world.session, Context(None, world.clock))
    first = ledger.size()
    for number in range(entries):
        ledger.record(EventKind.FACTOR_SET_PUBLISHED, {"version": f"V-{number}"})
    ledger.record(EventKind.CERTIFICATE_ISSUED, {"certificate": "GZ-PCF-2026-000042"})
    ledger.record(EventKind.FOOTPRINT_COMPUTED, {"footprint_id": "f", "footprint_sha256": "0"})
    ledger.sign_tree_head(KEY)
    return first


def test_the_page_shows_the_signed_head_and_the_newest_entries(world: World) -> None:
    _log(world, 3)
    size = LedgerService(world.session, Context(None, world.clock)).size()
    page = client_for(world).get("/ledger")
    assert page.status_code == 200
    html = page.text
    assert "最新签名树头" in html
    assert f"<dd>{size}</dd>" in html
    # the certificate's number links its page; a footprint's entry names no subject
    assert '<a href="/v/GZ-PCF-2026-000042">GZ-PCF-2026-000042</a>' in html
    assert html.index("碳足迹已计算") < html.index("证书已颁发")  # newest first
    assert "tanzuji ledger verify --url" in html


def test_older_entries_are_a_page_away(world: World) -> None:
    v0 = _log(world, 60)  # 62 entries after the world's own: more than one page of 50
    client = client_for(world)
    newest = client.get("/ledger").text
    assert "较早的记录" in newest
    assert "较新的记录" not in newest
    assert "<td>V-59</td>" in newest
    assert "<td>V-0</td>" not in newest
    older = client.get(f"/ledger?before={v0 + 1}").text  # the page ending with V-0
    assert "较新的记录" in older
    assert "<td>V-0</td>" in older
    assert "<td>V-1</td>" not in older


def test_in_english(world: World) -> None:
    _log(world, 1)
    client = client_for(world)
    client.cookies.set("tanzuji_lang", "en")
    html = client.get("/ledger").text
    assert "Latest signed tree head" in html
    assert "Certificate issued" in html
