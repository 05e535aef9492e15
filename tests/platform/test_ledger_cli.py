"""``tanzuji ledger verify`` and ``export`` on the demo province (SQLite, committed for real):
a third party's checks pass on an intact log and name what was changed behind its back."""

from __future__ import annotations

import datetime
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update
from typer.testing import CliRunner, Result

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.cli import app
from tanzuji.ledger.tree_heads import b64, raw_public_key, sign_tree_head
from tanzuji.services.keys import DeploymentKeys
from tanzuji.settings import load_settings
from tanzuji.store import Database
from tanzuji.store.models import Certificate, Footprint
from tanzuji.web.app import create_app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo province, loaded once: its data directory (copied by each test)."""
    data = tmp_path_factory.mktemp("demo") / "var"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TANZUJI_DATA_DIR", str(data))
        patch.delenv("TANZUJI_DATABASE_URL", raising=False)
        result = runner.invoke(app, ["demo", "load"])
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture
def deployment(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo's data directory for the test to change."""
    import shutil

    data = tmp_path / "var"
    shutil.copytree(demo, data)
    monkeypatch.setenv("TANZUJI_DATA_DIR", str(data))
    monkeypatch.delenv("TANZUJI_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def verify(*args: str) -> Result:
    return runner.invoke(app, ["ledger", "verify", *args])


def test_the_demo_log_verifies_and_its_records_match(deployment: Path) -> None:
    state = deployment / "state.json"
    result = verify("--state", str(state))
    assert result.exit_code == 0, result.output
    assert "✓ root: recomputed root" in result.output
    assert "✓ signature: signed by key" in result.output
    assert "✓ consistency: no earlier head saved" in result.output
    assert "✓ audit: 0 discrepancies" in result.output
    (saved,) = json.loads(state.read_text())["heads"].values()
    assert saved["tree_head"]["tree_size"] > 40
    again = verify("--state", str(state))
    assert "✓ consistency proof: the operator's proof from" in again.output
    assert "✓ earlier head: the first" in again.output


def test_a_changed_footprint_fails_the_audit_by_name(deployment: Path) -> None:
    database = Database(load_settings().url)
    with database.transaction() as session:
        footprint = session.scalars(select(Footprint).limit(1)).one()
        session.execute(
            update(Footprint).where(Footprint.id == footprint.id).values(total_kgco2e=0.1)
        )
    database.dispose()
    result = verify("--state", str(deployment / "state.json"))
    assert result.exit_code == 1
    assert (
        f"✗ audit: footprints {footprint.id}: the stored footprint (value in the database 0.1"
        in (result.output)
    )
    assert not (deployment / "state.json").exists()


def test_an_export_verifies_offline_and_a_forged_one_does_not(deployment: Path) -> None:
    exported = deployment / "ledger.json"
    assert runner.invoke(app, ["ledger", "export", str(exported)]).exit_code == 0
    result = verify("--file", str(exported), "--state", str(deployment / "s.json"))
    assert result.exit_code == 0, result.output
    document = json.loads(exported.read_text())
    document["entries"][3]["body"]["forged"] = True
    exported.write_text(json.dumps(document))
    result = verify("--file", str(exported), "--state", str(deployment / "s2.json"))
    assert result.exit_code == 1
    assert "✗ root: recomputed root" in result.output


def test_a_rewritten_log_is_told_from_the_saved_head(deployment: Path) -> None:
    state = deployment / "state.json"
    assert verify("--state", str(state)).exit_code == 0
    saved = json.loads(state.read_text())
    (own,) = saved["heads"]
    saved["heads"][own]["tree_head"]["sha256_root_hash"] = "A" * 43 + "="
    state.write_text(json.dumps(saved))
    result = verify("--state", str(state))
    assert result.exit_code == 1
    assert f"comparing with the head saved for key {own} (from sqlite:///" in result.output
    assert "✗ consistency proof" in result.output
    assert "the log was rewritten" in result.output


def test_one_state_file_keeps_a_head_per_deployment(deployment: Path) -> None:
    """The head of another deployment's log (another key), larger than this log, is kept
    beside this one's and compared with nothing but its own log."""
    other_key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    other = sign_tree_head(other_key, 10**6, datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
                           bytes(32))  # fmt: skip
    state = deployment / "state.json"
    state.write_text(
        json.dumps({"heads": {other.key_id: {"source": "elsewhere", "tree_head": other.to_json()}}})
    )
    result = verify("--state", str(state))
    assert result.exit_code == 0, result.output
    assert "✓ consistency: no earlier head saved: this is the first check" in result.output
    again = verify("--state", str(state))
    assert again.exit_code == 0, again.output
    assert "✓ earlier head: the first" in again.output
    heads = json.loads(state.read_text())["heads"]
    assert len(heads) == 2
    assert heads[other.key_id]["tree_head"] == other.to_json()


def test_a_state_file_of_the_earlier_format_is_read_as_its_keys_head(deployment: Path) -> None:
    state = deployment / "state.json"
    assert verify("--state", str(state)).exit_code == 0
    (saved,) = json.loads(state.read_text())["heads"].values()
    state.write_text(json.dumps(saved))
    result = verify("--state", str(state))
    assert result.exit_code == 0, result.output
    assert "✓ earlier head: the first" in result.output


@pytest.fixture
def served(deployment: Path) -> Iterator[str]:  # noqa: ARG001 (its settings are the app's)
    """The deployment's web app served on a free local port for the test: its address."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(load_settings()), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the test server stopped"
        assert time.monotonic() < deadline, "the test server did not start in 10 s"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()


def log_key() -> str:
    return b64(raw_public_key(DeploymentKeys.of(load_settings()).log.public_key()))


def test_through_the_public_api_the_log_and_the_registry_verify(
    deployment: Path, served: str
) -> None:
    state = str(deployment / "state.json")
    result = verify("--url", served, "--public-key", log_key(), "--state", state)
    assert result.exit_code == 0, result.output
    assert f"✓ key: the given key is the key {served} publishes" in result.output
    assert (
        "✓ certificates: 6 certificates in the registry: each credential hashes to its "
        "certificate.issued entry, with the same number and footprint value, and each standing "
        "is the ledger's"
    ) in result.output
    other = verify("--url", served, "--public-key", "A" * 43 + "=", "--state", state)
    assert other.exit_code == 1
    assert "✗ key: the given key is NOT the key" in other.output
    assert "✗ signature: the tree head" in other.output


def certificates() -> dict[str, Certificate]:
    """The demo's issued certificates by status: issued (the first), suspended, withdrawn."""
    database = Database(load_settings().url)
    with database.transaction() as session:
        query = select(Certificate).where(Certificate.number.is_not(None))
        found = {c.status.value: c for c in session.scalars(query.order_by(Certificate.number))}
        session.expunge_all()
    database.dispose()
    return found


def test_a_changed_credential_value_and_standing_are_named_through_the_api(
    deployment: Path, served: str
) -> None:
    found = certificates()
    issued, withdrawn = found["issued"], found["withdrawn"]
    assert issued.credential is not None
    credential = json.loads(issued.credential)
    recorded = credential["credentialSubject"]["carbonFootprint"]["value"]
    credential["credentialSubject"]["carbonFootprint"]["value"] = 0.5
    database = Database(load_settings().url)
    with database.transaction() as session:
        session.execute(
            update(Certificate)
            .where(Certificate.id == issued.id)
            .values(credential=json.dumps(credential, ensure_ascii=False))
        )
        session.execute(
            update(Certificate).where(Certificate.id == withdrawn.id).values(status="issued")
        )
        session.execute(
            update(Footprint).where(Footprint.id == issued.footprint_id).values(total_kgco2e=0.5)
        )
    database.dispose()
    state = str(deployment / "state.json")
    result = verify("--url", served, "--public-key", log_key(), "--state", state)
    assert result.exit_code == 1
    index = issued.ledger_index
    assert (
        f"✗ certificate {issued.number}: the credential hashes to "
        f"{sha256_hex(canonical_json(credential))}, entry {index} recorded "
        f"{issued.credential_sha256}: it was changed after it was issued; the credential "
        f"states 0.5 kg CO2e, entry {index} recorded {recorded}; the registry shows 0.5 kg "
        f"CO2e, entry {index} recorded {recorded}"
    ) in result.output
    assert (
        f"✗ certificate {withdrawn.number}: the registry says valid, the ledger says withdrawn "
        "(status withdrawn, entry "
    ) in result.output
    assert "✗ certificates: 2 certificate(s) differ from the ledger" in result.output
