"""``tanzuji ledger``: verify the transparency ledger as a third party, or export it.

``verify`` takes the log from a running deployment (``--url``, through the public API, adding
the check of the public registry and credentials against the log), from a database
(``--database``, adding the audit of every stored record against the log) or from an export
file (``--file``); it prints every check and exits 1 if any fails. The head it
checked is saved in ``--state``, one head per log key id (so that one state file serves several
deployments), so that the next run proves the log only grew since.
"""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.console import Console
from rich.progress import Progress

from tanzuji.errors import LedgerInconsistent, TanzujiError
from tanzuji.ledger import LedgerEntry, SignedTreeHead
from tanzuji.ledger.offline import (
    EXPORT_FORMAT,
    Check,
    check_consistency,
    check_log,
    export_document,
)
from tanzuji.ledger.registry import CertificateEntries, check_certificates
from tanzuji.ledger.tree_heads import b64, from_b64, key_id, raw_public_key
from tanzuji.services.context import Context
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import MAX_PAGE, LedgerService
from tanzuji.services.ledger_audit import audit_report
from tanzuji.settings import load_settings
from tanzuji.store import Database

__all__ = ["ledger_app"]

out = Console(soft_wrap=True, markup=False, highlight=False)
ledger_app = typer.Typer(
    help="The transparency ledger: verify it as a third party, export it.", no_args_is_help=True
)
DEFAULT_STATE = Path.home() / ".tanzuji" / "ledger-state.json"
REGISTRY_PAGE = 500
"""Registry items asked for per request (the API's largest page)."""


@dataclass
class Source:
    """A log to verify: its latest head, the key it says signed it, its entries, and (for a
    live log) the operator's consistency proofs and the check of its public records against
    the certificate entries gathered from the log."""

    name: str
    head: SignedTreeHead
    published_key: Ed25519PublicKey | None
    entries: Callable[[], Iterator[LedgerEntry]]
    consistency: Callable[[int, int], list[bytes]] | None
    public_records: Callable[[CertificateEntries], list[Check]] | None = None


def public_key_from(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from a file (PEM, or the raw key in base64) or base64 text."""
    path = Path(text)
    data = path.read_bytes().strip() if path.is_file() else text.strip().encode()
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
            if not isinstance(key, Ed25519PublicKey):
                raise TanzujiError(f"--public-key: {text} is not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(from_b64(data.decode(), "--public-key"))
    except (ValueError, LedgerInconsistent) as exc:
        raise TanzujiError(
            f"--public-key: give a PEM file or the raw 32-byte key in base64 ({exc})"
        ) from exc


def _progress(total: int, entries: Iterator[LedgerEntry]) -> Iterator[LedgerEntry]:
    if total < 10 * MAX_PAGE:
        yield from entries
        return
    with Progress(console=out, transient=True) as progress:
        task = progress.add_task("entries", total=total)
        for entry in entries:
            yield entry
            progress.advance(task)


# where the log comes from ---------------------------------------------------------------


def _get(base: str, path: str, **params: int) -> Any:
    """The JSON answer of ``GET {base}/api/v1/{path}?{params}``."""
    url = f"{base}/api/v1/{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise TanzujiError(f"{url}: {exc.code} {exc.read().decode(errors='replace')}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TanzujiError(f"{url}: {exc}") from exc


def from_url(url: str) -> Source:
    """The log of the deployment at ``url``, through its public API."""
    base = url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise TanzujiError(f"--url: {url} is not an http:// or https:// address")
    head = SignedTreeHead.from_json(_get(base, "ledger/tree-head"))
    published = _get(base, "ledger/public-key")
    key = Ed25519PublicKey.from_public_bytes(from_b64(published.get("raw"), "public-key.raw"))

    def entries() -> Iterator[LedgerEntry]:
        for start in range(0, head.tree_size, MAX_PAGE):
            end = min(start + MAX_PAGE, head.tree_size)
            page = _get(base, "ledger/entries", start=start, end=end)
            for position, item in enumerate(page["items"]):
                yield LedgerEntry.from_json(item, f"entries[{start + position}]")

    def consistency(first: int, second: int) -> list[bytes]:
        proof = _get(base, "ledger/proofs/consistency", first=first, second=second)
        return [from_b64(h, "consistency") for h in proof["consistency"]]

    def public_records(recorded: CertificateEntries) -> list[Check]:
        def credential_of(number: str) -> Any:
            return _get(base, f"certificates/{urllib.parse.quote(number, safe='')}/credential")

        return check_certificates(
            _registry(base),
            credential_of,
            recorded,
            head.tree_size,
            datetime.datetime.now(datetime.UTC),
        )

    return Source(base, head, key, entries, consistency, public_records)


def _registry(base: str) -> list[dict[str, Any]]:
    """Every item of the public registry, all pages."""
    items: list[dict[str, Any]] = []
    while True:
        page = _get(base, "registry", limit=REGISTRY_PAGE, offset=len(items))
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


def from_file(path: Path) -> Source:
    """The log in an export file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TanzujiError(f"{path}: not a readable JSON file ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise TanzujiError(f"{path}: not a ledger export (format {EXPORT_FORMAT})")
    head = SignedTreeHead.from_json(document.get("tree_head"))
    raw = from_b64((document.get("public_key") or {}).get("raw"), "public_key.raw")
    items = document.get("entries")
    if not isinstance(items, list):
        raise TanzujiError(f"{path}: entries: not a list")

    def entries() -> Iterator[LedgerEntry]:
        for position, item in enumerate(items):
            yield LedgerEntry.from_json(item, f"entries[{position}]")

    return Source(str(path), head, Ed25519PublicKey.from_public_bytes(raw), entries, None)


def _from_service(name: str, service: LedgerService, key: Ed25519PublicKey) -> Source:
    head = service.tree_head()

    def entries() -> Iterator[LedgerEntry]:
        for start in range(0, head.tree_size, MAX_PAGE):
            yield from service.entries(start, min(start + MAX_PAGE, head.tree_size))

    return Source(name, head, key, entries, service.consistency_proof)


# the checks ---------------------------------------------------------------------------------


def _print(check: Check) -> None:
    out.print(f"{'✓' if check.passed else '✗'} {check.name}: {check.detail}")


def _load_state(path: Path) -> dict[str, dict[str, Any]]:
    """The saved heads by log key id: ``{"heads": {key_id: {"source", "tree_head"}}}``; a
    file of an earlier tanzuji holding one head (``{"source", "tree_head"}``) is read as the
    head of its key."""
    if not path.exists():
        return {}
    try:
        saved = json.loads(path.read_text())
        if "heads" not in saved:
            saved = {"heads": {saved["tree_head"]["key_id"]: saved}}
        heads: dict[str, dict[str, Any]] = saved["heads"]
        for key, head in heads.items():
            if SignedTreeHead.from_json(head["tree_head"]).key_id != key:
                raise ValueError(f"the head saved under {key} is signed by another key")
    except (OSError, ValueError, KeyError, TypeError, LedgerInconsistent) as exc:
        raise TanzujiError(f"--state {path}: not a file of saved tree heads ({exc})") from exc
    return heads


def _saved_head(path: Path | None, log_key: str) -> SignedTreeHead | None:
    """The head saved in ``path`` for the log whose key id is ``log_key``, and say which."""
    saved = _load_state(path).get(log_key) if path is not None else None
    if saved is None:
        return None
    out.print(f"comparing with the head saved for key {log_key} (from {saved['source']})")
    return SignedTreeHead.from_json(saved["tree_head"])


def _verify(source: Source, given_key: Ed25519PublicKey | None, state: Path | None) -> list[Check]:
    checks: list[Check] = []
    if given_key is None:
        assert source.published_key is not None
        key = source.published_key
        checks.append(
            Check("key", True, f"the key {source.name} publishes (this trusts {source.name})")
        )
    else:
        key = given_key
        if source.published_key is not None:
            same = raw_public_key(source.published_key) == raw_public_key(key)
            checks.append(
                Check("key", same, "the given key" + (" is" if same else " is NOT") +
                      f" the key {source.name} publishes")
            )  # fmt: skip
    for check in checks:
        _print(check)
    out.print(f"tree head: {source.head.tree_size} entries, signed {source.head.time.isoformat()}")
    recorded = CertificateEntries()
    entries = recorded.watch(_progress(source.head.tree_size, source.entries()))
    found, tree = check_log(entries, source.head, key)
    previous = _saved_head(state, key_id(key))
    proof = None
    growing = previous is not None and previous.tree_size <= source.head.tree_size
    if previous is not None and growing and source.consistency is not None:
        proof = source.consistency(previous.tree_size, source.head.tree_size)
    if all(check.passed for check in found):
        found += check_consistency(tree, source.head, previous, proof)
    if all(check.passed for check in found) and source.public_records is not None:
        found += source.public_records(recorded)
    for check in found:
        _print(check)
    return checks + found


def _save_state(path: Path, head: SignedTreeHead, source: str) -> None:
    heads = _load_state(path)
    heads[head.key_id] = {"source": source, "tree_head": head.to_json()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"heads": heads}, indent=2) + "\n")
    out.print(f"saved the head of {head.tree_size} entries for key {head.key_id} in {path}")


@ledger_app.command("verify")
def verify(
    url: Annotated[
        str | None, typer.Option(help="a deployment's address: verify it through its API")
    ] = None,
    database: Annotated[
        str | None,
        typer.Option(help="a database URL (default: the settings'): also audit its records"),
    ] = None,
    file: Annotated[Path | None, typer.Option(help="an export file to verify offline")] = None,
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="the log key (PEM file, or raw key in base64); default: the key the source "
            "publishes, which trusts the source",
        ),
    ] = None,
    state: Annotated[
        Path, typer.Option(help="where the head checked last time is kept, one per log key")
    ] = DEFAULT_STATE,
) -> None:
    """Check that every entry is in the signed tree, that the log only grew since the head
    saved in --state, and that the records match the log: with --url the public registry and
    certificate credentials, with a database every stored record."""
    if sum(x is not None for x in (url, file)) > 1 or (database and (url or file)):
        raise TanzujiError("give one of --url, --database or --file")
    given = public_key_from(public_key) if public_key else None
    if url is not None:
        source = from_url(url)
        checks = _verify(source, given, state)
    elif file is not None:
        source = from_file(file)
        checks = _verify(source, given, state)
    else:
        settings = load_settings()
        own = Database(database or settings.url)
        key = given or DeploymentKeys.of(settings).log.public_key()
        with own.sessions() as session:
            service = LedgerService(session, Context.public())
            source = _from_service(own.engine.url.render_as_string(), service, key)
            checks = _verify(source, key, state)
            if all(check.passed for check in checks):
                report = audit_report(session, key)
                for note in report.notes:
                    out.print(f"– note: {note}")
                for discrepancy in report.discrepancies:
                    _print(Check("audit", False, str(discrepancy)))
                unprotected = (
                    f"; {len(report.notes)} records made before the ledger began, not protected"
                    if report.notes
                    else ""
                )
                checks.append(
                    Check(
                        "audit",
                        not report.discrepancies,
                        f"{len(report.discrepancies)} discrepancies between the records and the "
                        f"log{unprotected}",
                    )
                )
                _print(checks[-1])
        own.dispose()
    if not all(check.passed for check in checks):
        out.print("FAILED")
        raise typer.Exit(1)
    _save_state(state, source.head, source.name)
    out.print("OK")


@ledger_app.command("export")
def export(
    output: Annotated[Path, typer.Argument(help="the JSON file to write")],
    database: Annotated[
        str | None, typer.Option(help="a database URL (default: the settings')")
    ] = None,
) -> None:
    """Write the whole log, its latest signed head and the log key as one JSON file, for
    'tanzuji ledger verify --file'."""
    settings = load_settings()
    own = Database(database or settings.url)
    key = DeploymentKeys.of(settings).log.public_key()
    with own.sessions() as session:
        service = LedgerService(session, Context.public())
        source = _from_service("database", service, key)
        document = export_document(source.head, b64(raw_public_key(key)), source.entries())
    own.dispose()
    output.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    out.print(f"wrote {source.head.tree_size} entries and the signed head to {output}")
