"""``tanzuji cert verify`` on the W3C example and on a certificate of ours."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from tanzuji.cli import app, main
from tanzuji.credentials import certificate_status_entries
from tanzuji.credentials.multikey import did_key, public_key_multibase

from .certificates import ISSUER_KEY, OTHER_KEY, STATUS_INDEX, signed, status_lists, vector

runner = CliRunner()
W3C = vector("vc_di_eddsa_jcs_2022.json")
LATER = "2026-06-01"
X25519_KEY = (
    "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW"  # a did:key vector's key agreement key
)


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


def _file(directory: Path, name: str, document: Any) -> str:
    path = directory / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def verify(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["cert", "verify", *args], catch_exceptions=False)
    return result.exit_code, result.output


class TestTheW3CExample:
    def test_with_its_public_key_it_is_valid(self, tmp_path: Path) -> None:
        credential = _file(tmp_path, "alumni.json", W3C["signedCredential"])
        code, output = verify(credential, "--public-key", W3C["publicKeyMultibase"])
        assert code == 0, output
        assert "✓ signature" in output
        assert (
            "eddsa-jcs-2022 signature by z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" in output
        )
        assert (
            "✓ issuer             issuer https://vc.example/issuers/5678 signed with the key you"
            in output
        )
        assert "validity period:     2023-01-01T00:00:00Z – no end" in output
        assert output.rstrip().endswith("VALID: every check passed")

    def test_without_a_key_its_issuer_cannot_be_tied_to_the_did_key(self, tmp_path: Path) -> None:
        credential = _file(tmp_path, "alumni.json", W3C["signedCredential"])
        code, output = verify(credential)
        assert code == 1
        assert "✓ signature" in output
        assert "✗ issuer" in output
        assert (
            "– public key         not checked: no issuer key given: the key came from the "
            "credential itself, which proves only that the document is intact (give --public-key)"
            in output
        )
        assert "NOT VALID: issuer" in output

    def test_a_changed_claim_is_caught(self, tmp_path: Path) -> None:
        changed = json.loads(json.dumps(W3C["signedCredential"]))
        changed["credentialSubject"]["alumniOf"] = "Another School"
        code, output = verify(
            _file(tmp_path, "alumni.json", changed), "--public-key", W3C["publicKeyMultibase"]
        )
        assert code == 1
        assert "✗ signature          the signature does not match" in output


class TestOurCertificate:
    def test_with_the_status_lists_and_a_pem_key(self, tmp_path: Path) -> None:
        pem = tmp_path / "issuer.pem"
        pem.write_bytes(
            ISSUER_KEY.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        lists = [_file(tmp_path, f"{n}.json", doc) for n, doc in enumerate(status_lists().values())]
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()),
            "--public-key", str(pem), "--status-list", lists[0], "--status-list", lists[1],
            "--at", LATER,
        )  # fmt: skip
        assert code == 0, output
        assert (
            f"issuer:              {did_key(ISSUER_KEY.public_key())} (贵州示范认证中心)" in output
        )
        assert "✓ not revoked" in output
        assert "✓ not suspended" in output
        assert "checked at:          2026-06-01T00:00:00Z" in output

    def test_revoked(self, tmp_path: Path) -> None:
        lists = [
            _file(tmp_path, f"{n}.json", doc)
            for n, doc in enumerate(status_lists(revoked=True).values())
        ]
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()), "--status-list", lists[0], "--at", LATER
        )
        assert code == 1
        assert "✗ not revoked        revoked: bit 4242" in output
        assert "– not suspended      not checked: the status list" in output

    def test_expired(self, tmp_path: Path) -> None:
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()), "--at", "2028-03-01T16:00:00+08:00"
        )
        assert code == 1
        assert (
            "✗ not expired        valid until 2028-03-01T08:00:00Z: expired at 2028-03-01T08:00:00Z"
            in output
        )

    def test_a_wrong_public_key(self, tmp_path: Path) -> None:
        other = did_key(OTHER_KEY.public_key())
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()), "--public-key", other, "--at", LATER
        )
        assert code == 1
        assert "NOT VALID: signature, public key" in output
        assert f"the proof names {public_key_multibase(ISSUER_KEY.public_key())}" in output


class TestWhatWasNotChecked:
    """Valid as far as checked is not valid: exit status 3 and a headline naming what is
    missing, so that a script cannot take an unchecked certificate for a checked one."""

    def test_without_key_and_status_lists(self, tmp_path: Path) -> None:
        code, output = verify(_file(tmp_path, "certificate.json", signed()), "--at", LATER)
        assert code == 3, output
        assert "– not revoked        not checked: the status list" in output
        assert output.rstrip().endswith(
            "SIGNATURE AND DATES VALID, NOT CHECKED: issuer key (give --public-key), "
            "revocation, suspension (give --status-list FILE or --fetch-status)"
        )

    def test_with_the_status_lists_but_no_key(self, tmp_path: Path) -> None:
        lists = [_file(tmp_path, f"{n}.json", doc) for n, doc in enumerate(status_lists().values())]
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()),
            "--status-list", lists[0], "--status-list", lists[1], "--at", LATER,
        )  # fmt: skip
        assert code == 3, output
        assert output.rstrip().endswith(
            "SIGNATURE, DATES AND STATUS VALID, NOT CHECKED: issuer key (give --public-key)"
        )

    def test_with_the_key_but_no_status_lists(self, tmp_path: Path) -> None:
        code, output = verify(
            _file(tmp_path, "certificate.json", signed()),
            "--public-key", did_key(ISSUER_KEY.public_key()), "--at", LATER,
        )  # fmt: skip
        assert code == 3, output
        assert output.rstrip().endswith(
            "SIGNATURE AND DATES VALID, NOT CHECKED: revocation, suspension "
            "(give --status-list FILE or --fetch-status)"
        )


class StatusServer(ThreadingHTTPServer):
    """Serves JSON documents by path, as a deployment serves its status lists."""

    documents: dict[str, bytes]


class _Handler(BaseHTTPRequestHandler):
    server: StatusServer

    def do_GET(self) -> None:
        body = self.server.documents.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def status_server() -> Iterator[tuple[str, StatusServer]]:
    server = StatusServer(("127.0.0.1", 0), _Handler)
    server.documents = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()
    thread.join()


class TestFetchStatus:
    def test_the_lists_are_downloaded_from_the_urls_the_credential_names(
        self, tmp_path: Path, status_server: tuple[str, StatusServer]
    ) -> None:
        base, server = status_server
        certificate = signed(status_entries=certificate_status_entries(base, STATUS_INDEX))
        for url, document in status_lists(revoked=True, public_url=base).items():
            server.documents[url.removeprefix(base)] = json.dumps(document).encode()
        code, output = verify(
            _file(tmp_path, "certificate.json", certificate),
            "--public-key", did_key(ISSUER_KEY.public_key()), "--fetch-status", "--at", LATER,
        )  # fmt: skip
        assert code == 1, output
        assert f"✗ not revoked        revoked: bit {STATUS_INDEX} of {base}/credentials" in output
        assert "✓ not suspended" in output
        server.documents = {
            url.removeprefix(base): json.dumps(document).encode()
            for url, document in status_lists(public_url=base).items()
        }
        code, output = verify(
            _file(tmp_path, "certificate.json", certificate),
            "--public-key", did_key(ISSUER_KEY.public_key()), "--fetch-status", "--at", LATER,
        )  # fmt: skip
        assert code == 0, output
        assert output.rstrip().endswith("VALID: every check passed")


class TestBadInput:
    """Unreadable files and options: a message and exit status 2, never a traceback."""

    def exit_of(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
        monkey = pytest.MonkeyPatch()
        monkey.setattr("sys.argv", ["tanzuji", "cert", "verify", *args])
        with pytest.raises(SystemExit) as caught:
            main()
        monkey.undo()
        return int(caught.value.code or 0), capsys.readouterr().err

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--public-key", "nowhere.pem"], "--public-key nowhere.pem: no such file"),
            (["--public-key", X25519_KEY], "not an Ed25519 public key"),
            (["--at", "next week"], "--at 'next week': not an ISO date"),
        ],
    )  # fmt: skip
    def test_a_bad_option_is_named(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
    ) -> None:
        code, err = self.exit_of(capsys, _file(tmp_path, "c.json", signed()), *args)
        assert code == 2
        assert message in err
        assert "Traceback" not in err

    def test_a_file_that_is_not_json(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "c.json"
        bad.write_text("{", encoding="utf-8")
        code, err = self.exit_of(capsys, str(bad))
        assert code == 2
        assert "not a readable JSON file" in err

    def test_a_status_list_that_cannot_be_downloaded_is_named(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, status_server: tuple[str, Any]
    ) -> None:
        base, _ = status_server
        certificate = signed(status_entries=certificate_status_entries(base, STATUS_INDEX))
        code, err = self.exit_of(capsys, _file(tmp_path, "c.json", certificate), "--fetch-status")
        assert code == 2
        assert (
            f"--fetch-status: the status list {base}/credentials/status/revocation could not "
            "be downloaded: HTTP 404" in err
        )

    def test_a_status_list_without_its_url(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        code, err = self.exit_of(
            capsys,
            _file(tmp_path, "c.json", signed()),
            "--status-list",
            _file(tmp_path, "l.json", {}),
        )
        assert code == 2
        assert "with the URL it was published at as its id" in err
