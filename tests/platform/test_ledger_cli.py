"""``tanzuji ledger verify`` and ``export`` on the demo province (SQLite, committed for real):
a third party's checks pass on an intact log and name what was changed behind its back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner, Result

from tanzuji import cli_ledger
from tanzuji.cli import app
from tanzuji.services.keys import DeploymentKeys
from tanzuji.settings import load_settings
from tanzuji.store import Database
from tanzuji.store.models import Footprint
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
    assert json.loads(state.read_text())["tree_head"]["tree_size"] > 40
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
    assert f"✗ audit: footprints {footprint.id}: value in the database 0.1 kg CO2e" in (
        result.output
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
    saved["tree_head"]["sha256_root_hash"] = "A" * 43 + "="
    state.write_text(json.dumps(saved))
    result = verify("--state", str(state))
    assert result.exit_code == 1
    assert "✗ consistency proof" in result.output
    assert "the log was rewritten" in result.output


def test_through_the_public_api_with_the_log_key_given(
    deployment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(load_settings()), base_url="https://testserver")

    def get(_base: str, path: str, **params: int) -> Any:
        response = client.get(f"/api/v1/ledger/{path}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    monkeypatch.setattr(cli_ledger, "_get", get)
    key = DeploymentKeys.of(load_settings()).log.public_key()
    from tanzuji.ledger.tree_heads import b64, raw_public_key

    result = verify(
        "--url", "https://testserver", "--public-key", b64(raw_public_key(key)),
        "--state", str(deployment / "state.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "✓ key: the given key is the key https://testserver publishes" in result.output
    other = verify("--url", "https://testserver", "--public-key", "A" * 43 + "=")
    assert other.exit_code == 1
    assert "✗ key: the given key is NOT the key" in other.output
    assert "✗ signature: the tree head" in other.output
