"""Operating a deployment from the command line: migrate, demo, accounts, serve."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from tanzuji.cli import app
from tanzuji.settings import load_settings
from tanzuji.store import Database
from tanzuji.store.models import Certificate, Footprint, Organization, Submission
from tanzuji.web.app import create_app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's own SQLite database in a fresh data directory."""
    monkeypatch.setenv("TANZUJI_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("TANZUJI_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.output


def test_serve_refuses_an_unmigrated_database() -> None:
    result = runner.invoke(app, ["serve"])
    assert "run 'tanzuji db upgrade'" in str(result.exception)


def test_the_demo_province() -> None:
    output = run("demo", "load")
    assert "regulator@tanzuji.example" in output
    assert "password of every demo account: tanzuji-demo-2026" in output
    database = Database(load_settings().url)
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 24
        certificates = dict(
            session.execute(
                select(Certificate.status, func.count()).group_by(Certificate.status)
            ).all()
        )
        assert {s.value: n for s, n in certificates.items()} == {
            "issued": 4, "suspended": 1, "withdrawn": 1, "applied": 1,
        }  # fmt: skip
        statuses = dict(
            session.execute(
                select(Submission.status, func.count()).group_by(Submission.status)
            ).all()
        )
        assert sum(statuses.values()) == 20
        assert {s.value for s in statuses} == {
            "draft", "calculated", "submitted", "under_verification", "returned", "verified",
        }  # fmt: skip
        assert session.scalar(select(func.count()).select_from(Footprint)) == 18
    assert "not loaded again" in run("demo", "load", "--if-empty")
    client = TestClient(create_app(load_settings()), base_url="https://testserver")
    signed = client.post(
        "/api/v1/auth/sign-in",
        json={"email": "meitan-tea@tanzuji.example", "password": "tanzuji-demo-2026"},
    )
    assert signed.status_code == 200, signed.text
    (submission,) = client.get("/api/v1/submissions").json()["items"]
    assert submission["status"] == "verified"
    database.dispose()


def test_an_account_for_a_real_deployment() -> None:
    run("db", "upgrade")
    made = run("org", "create", "--kind", "regulator", "--name", "某省生态环境厅")
    organization = made.split()[1]
    created = run(
        "user", "create", "--email", "officer@example.cn", "--organization", organization,
        "--role", "regulator", stdin="a long password\na long password\n",
    )  # fmt: skip
    assert "officer@example.cn is regulator of 某省生态环境厅" in created
    assert "tanzuji: " in run("db", "status")
