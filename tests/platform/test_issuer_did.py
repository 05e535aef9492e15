"""The deployment's did:web document is served where the did:web method looks for it."""

from __future__ import annotations

from tanzuji.credentials.did_web import did_web_document_url
from tests.platform.api import client_for
from tests.platform.factories import World


def test_under_a_path_the_document_is_also_at_the_path(world: World) -> None:
    public_url = "https://gov.example.cn/pcf/gz"
    client = client_for(world, public_url=public_url)
    assert did_web_document_url(public_url) == "https://gov.example.cn/pcf/gz/did.json"
    document = client.get("/pcf/gz/did.json").json()
    assert document["id"] == "did:web:gov.example.cn:pcf:gz"
    assert client.get("/.well-known/did.json").json() == document
    other = client.get("/other/did.json")
    assert other.status_code == 404
    assert other.json()["field"] == "path"


def test_at_the_root_only_the_well_known_address_serves_it(world: World) -> None:
    client = client_for(world, public_url="https://pcf.example.cn")
    assert client.get("/.well-known/did.json").json()["id"] == "did:web:pcf.example.cn"
    assert client.get("/pcf/did.json").status_code == 404
