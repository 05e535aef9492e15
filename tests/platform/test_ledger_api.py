"""The public ledger API and the events the services record, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import uuid

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
from tanzuji.services.ledger_events import footprint_fields
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Product
from tests.platform.api import bearer, client_for
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


def commitment_of(salt: str, name: str, value: object) -> str:
    """A salted commitment recomputed by hand: SHA-256 of {"salt", name} as RFC 8785 JSON."""
    return sha256_hex(canonical_json({"salt": salt, name: value}))


def numbers_in(value: object) -> list[float]:
    """Every number in a JSON value, depth first."""
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers_in(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers_in(item)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


class TestRecordedEvents:
    def test_each_change_is_recorded_with_its_commitments(self, world: World) -> None:
        accepted(world)
        published = entries_of(world, EventKind.FACTOR_SET_PUBLISHED)
        assert published[0].body["table_sha256"]
        received = entries_of(world, EventKind.SUBMISSION_RECEIVED)
        assert [e.body["action"] for e in received] == ["create", "submit"]
        submissions = SubmissionService(world.session, world.context("tea_user"))
        (stored,) = submissions.submissions().items
        (revision,) = submissions.revisions(stored.id)
        assert len(revision.salt) == 32
        assert int(revision.salt, 16) >= 0
        data = commitment_of(revision.salt, "data", revision.data)
        assert received[0].body == {
            "action": "create",
            "submission_id": str(stored.id),
            "revision": 1,
            "rule": "tea-green@2026.1",
            "data_commitment": data,
            "evidence_commitments": [],
        }
        (computed,) = entries_of(world, EventKind.FOOTPRINT_COMPUTED)
        (footprint,) = submissions.footprints(stored.id)
        assert computed.body == {
            "footprint_id": str(footprint.id),
            "submission_id": str(stored.id),
            "revision": 1,
            "rule": {"id": "tea-green", "version": "2026.1"},
            "factor_set_version": footprint.factor_set_version,
            "gwp": footprint.gwp,
            "data_commitment": data,
            "footprint_commitment": commitment_of(
                revision.salt, "footprint", footprint_fields(footprint)
            ),
        }
        (decided,) = entries_of(world, EventKind.VERIFICATION_DECIDED)
        assert decided.body["decision"] == "accept"
        assert decided.body["verifier_commitment"] == commitment_of(
            revision.salt, "verifier_id", str(world.organizations["verifier"].id)
        )

    def test_a_public_entry_of_a_product_not_public_tells_neither_value_nor_enterprise(
        self, world: World
    ) -> None:
        tea = accepted(world)
        client = client_for(world)
        client.get("/api/v1/health")  # a unit of work: the log is signed
        page = client.get("/api/v1/ledger/entries", params={"start": 0}).json()
        public = {
            item["kind"]: item["body"]
            for item in page["items"]
            if item["kind"] in ("submission.received", "footprint.computed", "verification.decided")
        }
        assert set(public["submission.received"]) == {
            "action", "submission_id", "revision", "rule", "data_commitment",
            "evidence_commitments",
        }  # fmt: skip
        assert set(public["footprint.computed"]) == {
            "footprint_id", "submission_id", "revision", "rule", "factor_set_version", "gwp",
            "data_commitment", "footprint_commitment",
        }  # fmt: skip
        assert set(public["verification.decided"]) == {
            "case_id", "submission_id", "revision", "decision", "verifier_commitment",
        }  # fmt: skip
        (footprint,) = SubmissionService(world.session, world.context("tea_user")).footprints(
            uuid.UUID(public["footprint.computed"]["submission_id"])
        )
        text = json.dumps(public, ensure_ascii=False)
        assert numbers_in(public) == [1, 1, 1]  # the revision numbers, nothing else
        value = footprint.total_kgco2e
        assert str(value) not in text
        assert f"{value:.2f}" not in text
        for secret in (tea.id, tea.organization_id, world.organizations["verifier"].id):
            assert str(secret) not in text
        assert "2025-01-01" not in text
        assert "2025-12-31" not in text

    def test_the_enterprise_reads_the_salt_and_checks_the_commitment(self, world: World) -> None:
        accepted(world)
        client = client_for(world)
        token = bearer(world, "tea_user")
        (submission,) = client.get("/api/v1/submissions", headers=token).json()["items"]
        (revision,) = client.get(
            f"/api/v1/submissions/{submission['id']}/revisions", headers=token
        ).json()["items"]
        ledger = revision["ledger"]
        assert ledger["data_commitment"] == commitment_of(ledger["salt"], "data", revision["data"])
        (received, *_) = entries_of(world, EventKind.SUBMISSION_RECEIVED)
        assert received.body["data_commitment"] == ledger["data_commitment"]


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
            # beyond what the database's integers hold: refused, not overflowing into a 500
            ("/api/v1/ledger/entries/99999999999999999999", {}, 422, "index"),
            ("/api/v1/ledger/entries/9223372036854775808", {}, 422, "index"),
            ("/api/v1/ledger/tree-head", {"tree_size": "1e20"}, 422, "tree_size"),
            ("/api/v1/ledger/tree-head", {"tree_size": 2**63}, 422, "tree_size"),
            ("/api/v1/ledger/entries", {"start": 2**63}, 422, "start"),
            ("/api/v1/ledger/proofs/consistency", {"first": 1, "second": 2**64}, 422, "second"),
            ("/api/v1/registry", {"offset": "1e20"}, 422, "offset"),
            ("/api/v1/registry", {"offset": 2**63 - 1}, 422, "offset"),
        ]  # fmt: skip
        for path, params, status, field in cases:
            response = client.get(path, params=params)
            assert (response.status_code, response.json()["field"]) == (status, field), path
