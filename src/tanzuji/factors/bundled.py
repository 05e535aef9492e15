"""The factor sets that ship inside the package."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from tanzuji.factors.factor_set import FactorSet
from tanzuji.factors.tables import read_factors

__all__ = ["STARTER_VERSION", "starter_factor_set"]

STARTER_VERSION = "starter-2026.1"


@cache
def starter_factor_set() -> FactorSet:
    """The small starter set for examples and tests: published factors with their sources.

    Each value comes from ``shared/reference/factors-cn.csv`` as the project
    gathered it; many are still ``secondary`` (seen only in a restatement) and
    say so. It is not the provincial database: that comes with the rules.
    """
    resource = files("tanzuji") / "data" / "factors" / "starter.csv"
    with as_file(resource) as path:
        return FactorSet(
            STARTER_VERSION, read_factors(path), title="tanzuji starter factors (examples only)"
        )
