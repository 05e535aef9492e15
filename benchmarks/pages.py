"""Server time of every demo page, per role: the issue's target is under 200 ms each.

Loads the demo province into a fresh SQLite database, signs in as one account of each role,
follows that role's navigation and the first submission, case and product linked from there,
then, as the public, the registry, the ledger, the first certificate's verification page and
its labels, and the first disclosure report (HTML and PDF), and times each page (the median
of ``--repeat`` requests made in-process, so the figure is the server's own time without a
network). A measurement, not a test: it prints a table (or JSON lines) and always exits 0.

    .venv/bin/python -m benchmarks.pages [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from tanzuji.services.context import Context
from tanzuji.services.demo import DEMO_PASSWORD, load_demo
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService
from tanzuji.settings import Settings
from tanzuji.store import Database, upgrade
from tanzuji.web.app import create_app

TARGET_MS = 200.0


@dataclass(frozen=True)
class Row:
    account: str
    page: str
    status: int
    median_ms: float


ACCOUNTS = (
    "meitan-tea@tanzuji.example",
    "verifier@tanzuji.example",
    "regulator@tanzuji.example",
    "bank@tanzuji.example",
    "buyer@tanzuji.example",
    "certifier@tanzuji.example",
)
PUBLIC = "(public)"
"""The account column of pages timed without signing in."""


DETAIL = re.compile(
    r'href="(/(?:submissions|cases|products)/[0-9a-f-]{36}'
    r"|/v/[A-Z0-9-]+(?:/label\.(?:svg|png|pdf)\?lang=[a-z]+)?"
    r'|/disclosure/[0-9a-f-]{36}/\d{4}(?:\.pdf)?)"'
)


def detail_links(page: str) -> list[str]:
    """The first link of each kind of detail page (a submission, a case, a product, a
    certificate and each of its labels, a disclosure report and its PDF)."""
    first: dict[str, str] = {}
    for href in DETAIL.findall(page):
        kind = href.split("/")[1] + href.rsplit(".", 1)[-1] if "." in href else href.split("/")[1]
        first.setdefault(kind, href)
    return list(first.values())


def timed(client: TestClient, account: str, pages: list[str], repeat: int) -> list[Row]:
    """The median time of each page (after one request to warm up)."""
    rows = []
    for href in dict.fromkeys(pages):
        client.get(href)  # warm up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            status = client.get(href).status_code
            times.append((time.perf_counter() - started) * 1000)
        rows.append(Row(account, href, status, round(statistics.median(times), 1)))
    return rows


def nav_links(page: str) -> list[str]:
    if "<nav" not in page:
        return []
    nav = page[page.index("<nav") : page.index("</nav>")]
    return [part.split('"')[0] for part in nav.split('href="')[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        database = Database(settings.url)
        upgrade(database)
        keys = DeploymentKeys.of(settings)
        with database.transaction() as session:
            context = Context.command_line()
            load_demo(session, context, issuer_key=keys.issuer, public_url=settings.public_url)
            LedgerService(session, context).sign_tree_head(keys.log)
        database.dispose()
        rows = []
        for email in ACCOUNTS:
            client = TestClient(create_app(settings), base_url="https://testserver")
            client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
            pages = nav_links(client.get("/").text)
            pages += [link for href in list(pages) for link in detail_links(client.get(href).text)]
            rows += timed(client, email, pages, options.repeat)
        public = TestClient(create_app(settings), base_url="https://testserver")
        pages = ["/registry", "/ledger"]
        certificate = detail_links(public.get("/registry?standing=valid").text)
        pages += certificate + [
            link for href in certificate for link in detail_links(public.get(href).text)
        ]
        rows += timed(public, PUBLIC, pages, options.repeat)
    if options.json:
        for row in rows:
            print(json.dumps(asdict(row) | {"pass": row.median_ms < TARGET_MS}))
        return
    print(f"{'account':28} {'page':50} {'status':>6} {'median ms':>10}  target < {TARGET_MS:.0f}")
    for row in rows:
        verdict = "PASS" if row.median_ms < TARGET_MS else "SLOW"
        print(f"{row.account:28} {row.page:50} {row.status:>6} {row.median_ms:>10}  {verdict}")
    if rows:
        slowest = max(rows, key=lambda r: r.median_ms)
        print(f"slowest: {slowest.page} for {slowest.account} at {slowest.median_ms} ms")


if __name__ == "__main__":
    main()
