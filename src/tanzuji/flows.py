"""Greenhouse-gas flows: a gas together with the origin of its carbon.

GB/T 24067-2024 and ISO 14067:2018 ask that a footprint be
reported in total and split into fossil GHG emissions, biogenic GHG emissions
and removals, and emissions from direct land-use change (dLUC). The origin
also changes the characterization of methane: IPCC AR6 gives fossil CH4 a
higher GWP100 than non-fossil CH4 because its carbon adds to the atmosphere's
CO2 when it oxidises.

A :class:`Flow` is therefore a pair (gas, origin). Its text form is
``"CH4"`` (fossil, the default), ``"CH4-biogenic"`` or ``"CO2-luc"``.
``CO2e`` is a pseudo-gas for factors published only as CO2 equivalents: its
"GWP" is 1 in every set, so such factors cannot be re-characterized, which the
footprint reports.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from tanzuji.errors import UnknownGas

__all__ = ["CO2E", "GASES", "Flow", "Origin"]


class Origin(StrEnum):
    """Where the carbon (or nitrogen, fluorine) of an emission comes from."""

    FOSSIL = "fossil"
    BIOGENIC = "biogenic"
    LAND_USE_CHANGE = "luc"


CO2E = "CO2e"
"""The pseudo-gas of amounts already expressed as CO2 equivalents."""

GASES: tuple[str, ...] = (
    "CO2",
    "CH4",
    "N2O",
    "SF6",
    "NF3",
    "HFC-23",
    "HFC-32",
    "HFC-125",
    "HFC-134a",
    "HFC-143a",
    "HFC-152a",
    "HFC-227ea",
    "HFC-236fa",
    "HFC-245fa",
    "HFC-365mfc",
    "HFC-43-10mee",
    "CF4",
    "C2F6",
    "C3F8",
    "c-C4F8",
    CO2E,
)
"""Every gas a factor may list, in report order."""

_GAS_BY_KEY = {gas.lower(): gas for gas in GASES}
_ALIASES = {
    "pfc-14": "CF4",
    "pfc-116": "C2F6",
    "pfc-218": "C3F8",
    "pfc-318": "c-C4F8",
    "co2eq": CO2E,
    "co2-eq": CO2E,
    "co2_e": CO2E,
}


class Flow(NamedTuple):
    """One greenhouse gas of one origin, e.g. ``Flow("CH4", Origin.BIOGENIC)``."""

    gas: str
    origin: Origin = Origin.FOSSIL

    @classmethod
    def parse(cls, text: str) -> Flow:
        """Read ``"N2O"``, ``"CH4-biogenic"``, ``"CO2-luc"`` or ``"CO2e-fossil"``."""
        key = text.strip()
        origin = Origin.FOSSIL
        for candidate in Origin:
            suffix = f"-{candidate.value}"
            if key.lower().endswith(suffix):
                key, origin = key[: -len(suffix)], candidate
                break
        gas = _GAS_BY_KEY.get(key.lower()) or _ALIASES.get(key.lower())
        if gas is None:
            raise UnknownGas(
                f"unknown gas {text!r}: use one of {', '.join(GASES)}, optionally followed by "
                "-fossil, -biogenic or -luc (e.g. CH4-biogenic)"
            )
        return cls(gas, origin)

    def __str__(self) -> str:
        if self.origin is Origin.FOSSIL:
            return self.gas
        return f"{self.gas}-{self.origin.value}"
