"""The public ledger API and the events the services record, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.ledger import (
    EventKind,
    LedgerEntry,
    SignedTreeHead,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
    verify_tree_head,
)
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_events import footprint_sha256
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Product
from tests.platform.api import client_for
from tests.platform.factories import World
from tests.platform.test_submissions import tea_data


def decode(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def public_key(client: TestClient) -> Ed25519PublicKey:
    published = client.get("/api/v1/ledger/public-key").json()
    return Ed25519PublicKey.from_public_bytes(decode(published["raw"]))


def entries_of(world: World, kind: EventKind) -> list[LedgerEntry]:
    service = LedgerService(world.session, world.context("officer"))
    return [e for e in service.entries(0, service.size()) if e.kind is kind]


def accepted(world: World) -> Product:
    """The tea enterprise's product, calculated, submitted and accepted by the verifier."""
    tea = world.product("tea", "gz-green-tea", "tea-green")
    submissions = SubmissionService(world.session, world.context("tea_user"))
    submission = submissions.create(tea.id, tea_data())
    submissions.calculate(submission.id)
    SubmissionService(world.session, world.context("tea_admin")).submit(submission.id)
    verification = VerificationService(world.session, world.context("officer"))
    case = verification.assign(submission.id, world.organizations["verifier"].id)
    VerificationService(world.session, world.context("auditor")).decide(case.id, "accept")
    return tea


class TestRecordedEvents:
    def test_each_change_is_recorded_with_its_hashes(self, world: World) -> None:
        tea = accepted(world)
        published = entries_of(world, EventKind.FACTOR_SET_PUBLISHED)
        assert published[0].body["table_sha256"]
        received = entries_of(world, EventKind.SUBMISSION_RECEIVED)
        assert [e.body["action"] for e in received] == ["create", "submit"]
        submission = SubmissionService(world.session, world.context("tea_user")).submissions()
        (stored,) = submission.items
        revision = SubmissionService(world.session, world.context("tea_user")).revisions(stored.id)[
            0
        ]
        assert received[0].body["product_id"] == str(tea.id)
        assert received[0].body["data_sha256"] == sha256_hex(canonical_json(revision.data))
        (computed,) = entries_of(world, EventKind.FOOTPRINT_COMPUTED)
        footprint = SubmissionService(world.session, world.context("tea_user")).footprints(
            stored.id
        )[0]
        assert computed.body["footprint_id"] == str(footprint.id)
        assert computed.body["result"] == {
            "value": footprint.total_kgco2e,
            "unit": "kg CO2e per 1 kg green tea",
        }
        assert computed.body["footprint_sha256"] == footprint_sha256(footprint)
        assert computed.body["inputs_sha256"] == received[0].body["data_sha256"]
        (decided,) = entries_of(world, EventKind.VERIFICATION_DECIDED)
        assert decided.body["decision"] == "accept"
        assert decided.body["verifier_id"] == str(world.organizations["verifier"].id)


class TestPublicApi:
    def test_a_third_party_checks_every_entry_against_the_signed_head(self, world: World) -> None:
        client = client_for(world)
        client.get("/api/v1/health")  # a unit of work: what make_world recorded is signed
        first = client.get("/api/v1/ledger/tree-head")
        assert first.status_code == 200, first.text
        accepted(world)
        client.get("/api/v1/health")  # a unit of work: the grown log is signed
        key = public_key(client)
        head = SignedTreeHead.from_json(client.get("/api/v1/ledger/tree-head").json())
        verify_tree_head(key, head)
        page = client.get("/api/v1/ledger/entries", params={"start": 0}).json()
        assert page["size"] == head.tree_size == len(page["items"])
        for item in page["items"]:
            entry = LedgerEntry.from_json(item)
            assert client.get(f"/api/v1/ledger/entries/{entry.index}").json() == item
            proof = client.get(
                "/api/v1/ledger/proofs/inclusion",
                params={"index": entry.index, "tree_size": head.tree_size},
            ).json()
            path = [decode(h) for h in proof["audit_path"]]
            verify_inclusion(entry.index, head.tree_size, entry.leaf_hash(), path, head.root_hash)
        old = SignedTreeHead.from_json(first.json())
        assert (
            client.get("/api/v1/ledger/tree-head", params={"tree_size": old.tree_size}).json()
            == first.json()
        )
        consistency = client.get(
            "/api/v1/ledger/proofs/consistency",
            params={"first": old.tree_size, "second": head.tree_size},
        ).json()["consistency"]
        verify_consistency(
            old.tree_size,
            head.tree_size,
            old.root_hash,
            head.root_hash,
            [decode(h) for h in consistency],
        )
        assert leaf_hash(b"") != head.root_hash

    def test_the_public_key_in_three_forms(self, world: World) -> None:
        published = client_for(world).get("/api/v1/ledger/public-key").json()
        assert published["algorithm"] == "Ed25519"
        assert published["pem"].startswith("-----BEGIN PUBLIC KEY-----")
        assert len(decode(published["raw"])) == 32
        assert published["key_id"] == sha256_hex(decode(published["raw"]))

    def test_bad_parameters_are_named(self, world: World) -> None:
        client = client_for(world)
        size = client.get("/api/v1/ledger/entries").json()["size"]
        cases = [
            ("/api/v1/ledger/entries/99999", {}, 404, "index"),
            ("/api/v1/ledger/entries", {"start": 0, "end": 2000}, 422, "end"),
            ("/api/v1/ledger/proofs/inclusion", {"index": 0, "tree_size": size + 1}, 422,
             "tree_size"),
            ("/api/v1/ledger/proofs/consistency", {"first": 2, "second": 1}, 422, "first"),
            ("/api/v1/ledger/tree-head", {"tree_size": 99999}, 404, "tree_size"),
            ("/api/v1/ledger/proofs/inclusion", {"index": "x", "tree_size": 1}, 422, "index"),
        ]  # fmt: skip
        for path, params, status, field in cases:
            response = client.get(path, params=params)
            assert (response.status_code, response.json()["field"]) == (status, field), path
