"""Tamper tests: a footprint, a ledger entry or a Merkle node changed directly in the
database (on SQLite and PostgreSQL) is found and named by the audit."""

from __future__ import annotations

import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import column, insert, select, table, update

from tanzuji.ledger import EventKind
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_audit import audit, audit_report
from tanzuji.services.ledger_events import table_sha256
from tanzuji.store import Database, upgrade
from tanzuji.store.base import UTCDateTime
from tanzuji.store.models import (
    FactorSetVersion,
    Footprint,
    LedgerEntryRow,
    LedgerNode,
    Revision,
    VerificationCase,
)
from tests.platform.factories import World
from tests.platform.test_ledger_api import accepted

KEY = Ed25519PrivateKey.generate()
BEGAN = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
"""When the first entry of the migrated database's ledger is recorded."""
BEFORE = BEGAN - datetime.timedelta(days=90)


def audited(world: World) -> list[str]:
    world.session.flush()
    world.session.expire_all()
    return [str(d) for d in audit(world.session, KEY.public_key())]


def signed(world: World) -> World:
    accepted(world)
    LedgerService(world.session, Context(None, world.clock)).sign_tree_head(KEY)
    return world


def test_an_untouched_database_matches_its_ledger(world: World) -> None:
    assert audited(signed(world)) == []


def test_a_changed_footprint_value_is_named(world: World) -> None:
    signed(world)
    footprint = world.session.scalars(select(Footprint)).one()
    world.session.execute(
        update(Footprint).where(Footprint.id == footprint.id).values(total_kgco2e=1.5)
    )
    (found,) = audited(world)
    assert found.startswith(
        f"footprints {footprint.id}: the stored footprint (value in the database 1.5 kg CO2e) "
        "no longer matches the commitment the ledger recorded: its value, rule, factor set, "
        "GWP, unit, result or time was changed (entry "
    )


def test_a_changed_footprint_detail_is_named(world: World) -> None:
    signed(world)
    footprint = world.session.scalars(select(Footprint)).one()
    world.session.execute(update(Footprint).where(Footprint.id == footprint.id).values(gwp="AR4"))
    (found,) = audited(world)
    assert found.startswith(f"footprints {footprint.id}: the stored footprint (value in the")


def test_a_changed_salt_is_named(world: World) -> None:
    signed(world)
    revision = world.session.scalars(select(Revision)).one()
    world.session.execute(update(Revision).values(salt="0" * 32))
    found = audited(world)
    assert any(
        f.startswith(f"revisions 1 of submission {revision.submission_id}: the activity data")
        for f in found
    )
    assert any(f.startswith("footprints ") for f in found)
    assert any("is not the one the ledger committed to" in f for f in found)


def test_a_changed_ledger_entry_is_named(world: World) -> None:
    signed(world)
    row = world.session.scalars(
        select(LedgerEntryRow).where(LedgerEntryRow.kind == "footprint.computed")
    ).one()
    forged = row.body.replace('"footprint_commitment":"', '"footprint_commitment":"0')
    world.session.execute(
        update(LedgerEntryRow).where(LedgerEntryRow.index == row.index).values(body=forged)
    )
    found = audited(world)
    assert (
        found[0]
        == (
            f"ledger_entries {row.index}: the kind, time or body no longer hashes to the entry's "
            f"leaf hash ({row.leaf_hash.hex()}; now "
        )
        + found[0].split("now ")[1]
    )
    assert "footprints" in found[1]  # and the footprint no longer matches the forged entry


def test_a_changed_merkle_node_is_named(world: World) -> None:
    signed(world)
    node = world.session.scalars(select(LedgerNode).order_by(LedgerNode.level.desc())).first()
    assert node is not None
    world.session.execute(
        update(LedgerNode)
        .where(LedgerNode.level == node.level, LedgerNode.index == node.index)
        .values(hash=b"\x00" * 32)
    )
    (found,) = audited(world)
    assert found.startswith(f"ledger_nodes level {node.level}, index {node.index}: the hash 0000")


def test_changed_data_decision_and_factor_table_are_named(world: World) -> None:
    signed(world)
    revision = world.session.scalars(select(Revision)).one()
    world.session.execute(
        update(Revision).where(Revision.id == revision.id).values(data={**revision.data, "x": 1})
    )
    world.session.execute(update(VerificationCase).values(decision="return"))
    case = world.session.scalars(select(VerificationCase)).one()
    version = world.session.scalars(select(FactorSetVersion)).first()
    assert version is not None
    world.session.execute(
        update(FactorSetVersion)
        .where(FactorSetVersion.version == version.version)
        .values(table=version.table + "\n")
    )
    found = audited(world)
    assert any(
        f.startswith(f"factor_set_versions {version.version}: the factor table differs")
        for f in found
    )
    assert any(
        f.startswith(f"revisions 1 of submission {revision.submission_id}: the activity data")
        for f in found
    )
    assert f"verification_cases {case.id}: decision return on revision 1" in "".join(found)
    assert any("the ledger recorded accept on revision 1" in f for f in found)


def test_a_changed_verifier_is_named(world: World) -> None:
    signed(world)
    case = world.session.scalars(select(VerificationCase)).one()
    other = world.organizations["verifier2"].id
    world.session.execute(update(VerificationCase).values(verifier_id=other))
    (found,) = audited(world)
    assert found.startswith(
        f"verification_cases {case.id}: the verifier in the database ({other}) is not the one "
        "the ledger committed to (entry "
    )


def test_a_footprint_added_behind_the_ledgers_back_is_named(world: World) -> None:
    signed(world)
    footprint = world.session.scalars(select(Footprint)).one()
    LedgerService(world.session, Context(None, world.clock))  # nothing recorded for the copy
    copy = Footprint(
        **{
            c: getattr(footprint, c)
            for c in (
                "submission_id", "revision", "product_id", "rule_key", "factor_set_version",
                "gwp", "declared_unit", "total_kgco2e", "result", "computed_at",
            )
        }
    )  # fmt: skip
    world.session.add(copy)
    world.session.flush()
    assert f"footprints {copy.id}: not in the ledger" in audited(world)


def test_records_from_before_the_ledger_are_notes_not_discrepancies(
    unmigrated_database: Database,
) -> None:
    """A database migrated from a tanzuji without the ledger: its older records have no
    entries. Those made before the ledger's first entry are noted as not protected and do not
    fail the audit; one made after it without an entry still does."""
    upgrade(unmigrated_database, "523cc0933184")
    old = table(
        "factor_set_versions",
        column("version"), column("title"), column("based_on"), column("table"),
        column("sha256"), column("factor_count"), column("published_at", UTCDateTime()),
    )  # fmt: skip
    with unmigrated_database.engine.begin() as connection:
        connection.execute(
            insert(old).values(
                version="CN-2025.1", title="2025", based_on=None, table="id\n", sha256="0" * 64,
                factor_count=0, published_at=BEFORE,
            )
        )  # fmt: skip
    upgrade(unmigrated_database)

    def factor_set(version: str, at: datetime.datetime) -> FactorSetVersion:
        return FactorSetVersion(
            version=version, title=version, based_on=None, table="id\n", sha256="0" * 64,
            factor_count=0, published_at=at, published_by=None,
        )  # fmt: skip

    with unmigrated_database.transaction() as session:
        logged_set = factor_set("CN-2026.1", BEGAN)
        session.add(logged_set)
        LedgerService(session, Context(None, lambda: BEGAN)).record(
            EventKind.FACTOR_SET_PUBLISHED,
            {"version": "CN-2026.1", "table_sha256": table_sha256(logged_set)},
        )
    with unmigrated_database.transaction() as session:
        report = audit_report(session)
        assert report.discrepancies == []
        assert [str(note) for note in report.notes] == [
            "factor_set_versions CN-2025.1: made before the ledger began "
            "(2026-03-01T09:00:00.000Z): not protected"
        ]
        session.add(factor_set("CN-2026.2", BEGAN + datetime.timedelta(days=1)))
    with unmigrated_database.transaction() as session:
        report = audit_report(session)
        assert [str(found) for found in report.discrepancies] == [
            "factor_set_versions CN-2026.2: not in the ledger"
        ]
        assert len(report.notes) == 1
