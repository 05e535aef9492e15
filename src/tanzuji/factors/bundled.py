"""The emission factor database that ships inside the package.

Each version is a folder ``data/factors/<version>/``: one CSV table per topic
(electricity, fuels, fertilizers, …) in the columns of :mod:`tanzuji.factors.tables`,
and ``gaps.yaml``, the factors the rules need but no source has been found
for. A gap is listed, never filled with a made-up value. Versions are never
edited once released: a correction is a new version, so a footprint can always
be recomputed with the version it used.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import Field

from tanzuji.documents import read_document
from tanzuji.errors import FactorFileError, FactorSetError, GapListError
from tanzuji.factors.factor import EmissionFactor
from tanzuji.factors.factor_set import FactorSet
from tanzuji.factors.tables import read_factors
from tanzuji.records import Record

__all__ = [
    "BUNDLED_VERSION",
    "FactorGap",
    "bundled_factor_set",
    "bundled_versions",
    "factor_gaps",
]

BUNDLED_VERSION = "CN-2026.1"
"""The version :func:`bundled_factor_set` gives unless asked for another."""


class FactorGap(Record):
    """A factor a rule needs that no published source has given the project yet."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$", description="the id the factor will get")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    needed_by: list[str] = Field(min_length=1, description="rules (or uses) that need it")
    searched: str = Field(min_length=1, description="what was looked at, and what was found")
    next_step: str = ""


class _GapList(Record):
    gaps: list[FactorGap]


def _folder(version: str) -> Traversable:
    folder = files("tanzuji") / "data" / "factors" / version
    if not folder.is_dir():
        known = ", ".join(bundled_versions())
        raise FactorSetError(f"no bundled factor set {version!r}; the bundled ones are {known}")
    return folder


def bundled_versions() -> tuple[str, ...]:
    """The versions of the bundled database, oldest first."""
    root = files("tanzuji") / "data" / "factors"
    return tuple(sorted(entry.name for entry in root.iterdir() if entry.is_dir()))


def bundled_factor_set(version: str = BUNDLED_VERSION) -> FactorSet:
    """The bundled factor database ``version`` (by default :data:`BUNDLED_VERSION`), read once.

    Every value comes with its source and a confidence: ``verified`` where the
    project read the value in the publication itself, ``secondary`` where it
    was seen only in a restatement. ``docs/factors.md`` describes the tables,
    the data quality and uncertainty scoring, and lists the gaps.
    """
    return _read_set(version)


@cache
def _read_set(version: str) -> FactorSet:
    factors: list[EmissionFactor] = []
    for table in sorted(_folder(version).iterdir(), key=lambda entry: entry.name):
        if table.name.endswith(".csv"):
            with as_file(table) as path:
                factors += read_factors(path)
    try:
        return FactorSet(version, factors, title=f"tanzuji bundled factor database {version}")
    except FactorSetError as exc:
        raise FactorFileError(f"data/factors/{version}", [(0, "(set)", str(exc))]) from exc


@cache
def factor_gaps(version: str = BUNDLED_VERSION) -> tuple[FactorGap, ...]:
    """The factors that version ``version`` knows it lacks, with what was searched."""
    with as_file(_folder(version) / "gaps.yaml") as path:
        document = read_document(Path(path), GapListError)
        return tuple(document.validate(_GapList, GapListError).gaps)
