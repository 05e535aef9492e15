"""Emission factors: one factor, versioned sets of them, and their tables."""

from tanzuji.factors.bundled import (
    BUNDLED_VERSION,
    FactorGap,
    bundled_factor_set,
    bundled_versions,
    factor_gaps,
)
from tanzuji.factors.factor import DataQuality, EmissionFactor, Source
from tanzuji.factors.factor_set import FactorMatch, FactorSet
from tanzuji.factors.tables import (
    factor_csv,
    load_factor_set,
    parse_factor_csv,
    read_factors,
    write_factors,
)

__all__ = [
    "BUNDLED_VERSION",
    "DataQuality",
    "EmissionFactor",
    "FactorGap",
    "FactorMatch",
    "FactorSet",
    "Source",
    "bundled_factor_set",
    "bundled_versions",
    "factor_csv",
    "factor_gaps",
    "load_factor_set",
    "parse_factor_csv",
    "read_factors",
    "write_factors",
]
