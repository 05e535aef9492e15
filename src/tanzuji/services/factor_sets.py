"""Published factor set versions: registering the bundled ones, and loading any by version.

A published version is kept whole in the database (its CSV table and SHA-256) and never
changes, so every footprint can be recomputed with the version it used.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.errors import NotFound
from tanzuji.factors import FactorSet, bundled_factor_set, bundled_versions, factor_csv
from tanzuji.factors.tables import parse_factor_csv
from tanzuji.services.audit import record
from tanzuji.services.context import Context
from tanzuji.store.models import FactorSetVersion

__all__ = ["FactorSetService"]


@lru_cache(maxsize=16)
def _parsed(version: str, sha256: str, table: str) -> FactorSet:
    """A stored version as a :class:`FactorSet` (cached: published versions never change)."""
    del sha256  # part of the cache key only
    return FactorSet(version, parse_factor_csv(table, f"factor set {version}"))


class FactorSetService:
    """Factor set versions in the database."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def register_bundled(self) -> list[str]:
        """Store every bundled version not stored yet (on first start); the versions added."""
        added = []
        for version in bundled_versions():
            if self.session.get(FactorSetVersion, version) is not None:
                continue
            factors = bundled_factor_set(version)
            table = factor_csv(factors)
            self.session.add(
                FactorSetVersion(
                    version=version,
                    title=factors.title,
                    based_on=None,
                    table=table,
                    sha256=hashlib.sha256(table.encode("utf-8")).hexdigest(),
                    factor_count=len(factors),
                    published_at=self.context.now(),
                    published_by=None,
                )
            )
            record(self.session, self.context, "factor_set.register", "factor_set", version)
            added.append(version)
        self.session.flush()
        return added

    def latest(self) -> FactorSetVersion:
        """The most recently published version: the one new footprints use."""
        query = select(FactorSetVersion).order_by(FactorSetVersion.published_at.desc())
        found = self.session.scalars(query.limit(1)).first()
        if found is None:
            raise NotFound("no factor set is published yet: run 'tanzuji db upgrade'")
        return found

    def factor_set(self, version: str) -> FactorSet:
        """The published version ``version`` as a :class:`FactorSet`."""
        stored = self.session.get(FactorSetVersion, version)
        if stored is None:
            raise NotFound(f"no factor set {version}", field="factor_set_version")
        return _parsed(stored.version, stored.sha256, stored.table)

    def versions(self) -> list[FactorSetVersion]:
        """Every published version, newest first."""
        query = select(FactorSetVersion).order_by(FactorSetVersion.published_at.desc())
        return list(self.session.scalars(query))
