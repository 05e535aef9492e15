"""Global warming potentials over 100 years (GWP100) and characterization.

Two sets are built in:

* ``AR6`` (the default, as GB/T 24067-2024 asks for the latest IPCC values):
  IPCC Sixth Assessment Report, Working Group I, Chapter 7 (Forster et al.
  2021), Table 7.15 for CO2, CH4 and N2O and Table 7.SM.7 for the
  fluorinated gases. AR6 distinguishes fossil methane (29.8) from non-fossil
  methane (27.0).
* ``AR5``: IPCC Fifth Assessment Report, Working Group I, Chapter 8 (Myhre et
  al. 2013), Table 8.A.1, values without climate-carbon feedbacks. Fossil
  methane is 30 (CH4 28 plus about 2 for the CO2 from its oxidation,
  Boucher et al. 2009, discussed in AR5 WG1 section 8.7.1.4), as the GHG
  Protocol's "Global Warming Potential Values" (2024) lists it.

SF6 in AR6 is 25,200 as Table 7.SM.7 prints it; the GHG Protocol's 2024 list
gives 24,300. tanzuji follows the IPCC table; :meth:`GwpSet.source_of` names
the table of every value.

Biogenic CO2 counts with a GWP of 1 like fossil CO2: ISO 14067:2018 and
GB/T 24067-2024 include biogenic emissions and removals in the footprint and
report them separately, which :func:`characterize` does through the flow's
origin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tanzuji.errors import UnknownGas
from tanzuji.flows import CO2E, Flow, Origin

__all__ = [
    "AR5",
    "AR6",
    "DEFAULT",
    "GWP_SETS",
    "Characterized",
    "GwpSet",
    "characterize",
    "gwp_set",
]

_AR6_CH7 = "IPCC AR6 WG1 Ch.7 (Forster et al. 2021)"
_AR5_CH8 = "IPCC AR5 WG1 Ch.8 (Myhre et al. 2013)"


@dataclass(frozen=True)
class GwpValue:
    """One GWP100 value (kgCO2e per kg of gas) and the table it is taken from."""

    value: float
    table: str


@dataclass(frozen=True)
class GwpSet:
    """A named set of GWP100 values.

    ``values`` maps a gas to its GWP for fossil (or origin-independent) emissions;
    ``non_fossil`` holds the gases whose value differs for biogenic and land-use
    change emissions (methane).
    """

    name: str
    title: str
    values: Mapping[str, GwpValue]
    non_fossil: Mapping[str, GwpValue] = field(default_factory=dict)

    def factor(self, flow: Flow) -> float:
        """kgCO2e per kg of ``flow`` (1 for the ``CO2e`` pseudo-gas)."""
        if flow.gas == CO2E:
            return 1.0
        if flow.origin is not Origin.FOSSIL and flow.gas in self.non_fossil:
            return self.non_fossil[flow.gas].value
        try:
            return self.values[flow.gas].value
        except KeyError:
            raise UnknownGas(
                f"the GWP set {self.name} has no value for {flow.gas}; "
                f"it covers {', '.join(self.values)}"
            ) from None

    def source_of(self, flow: Flow) -> str:
        """Where the value for ``flow`` comes from, e.g. ``'… Table 7.15'``."""
        if flow.gas == CO2E:
            return "already CO2e (characterized by the factor's publisher)"
        if flow.origin is not Origin.FOSSIL and flow.gas in self.non_fossil:
            return self.non_fossil[flow.gas].table
        self.factor(flow)
        return self.values[flow.gas].table

    def vector(self, flows: Iterable[Flow]) -> npt.NDArray[np.float64]:
        """The GWPs of ``flows`` as an array, in the same order."""
        return np.array([self.factor(flow) for flow in flows], dtype=np.float64)


def _table(source: str, table: str, values: Mapping[str, float]) -> dict[str, GwpValue]:
    return {gas: GwpValue(value, f"{source}, {table}") for gas, value in values.items()}


AR6 = GwpSet(
    name="AR6",
    title="IPCC AR6 GWP100",
    values={
        **_table(_AR6_CH7, "Table 7.15", {"CO2": 1.0, "CH4": 29.8, "N2O": 273.0}),
        **_table(
            _AR6_CH7,
            "Table 7.SM.7",
            {
                "SF6": 25200.0,
                "NF3": 17400.0,
                "HFC-23": 14600.0,
                "HFC-32": 771.0,
                "HFC-125": 3740.0,
                "HFC-134a": 1530.0,
                "HFC-143a": 5810.0,
                "HFC-152a": 164.0,
                "HFC-227ea": 3600.0,
                "HFC-236fa": 8690.0,
                "HFC-245fa": 962.0,
                "HFC-365mfc": 914.0,
                "HFC-43-10mee": 1600.0,
                "CF4": 7380.0,
                "C2F6": 12400.0,
                "C3F8": 9290.0,
                "c-C4F8": 10200.0,
            },
        ),
    },
    non_fossil=_table(_AR6_CH7, "Table 7.15 (non-fossil CH4)", {"CH4": 27.0}),
)

AR5 = GwpSet(
    name="AR5",
    title="IPCC AR5 GWP100 (without climate-carbon feedbacks)",
    values={
        **_table(
            _AR5_CH8,
            "section 8.7.1.4 via GHG Protocol GWP list 2024 (fossil CH4 incl. "
            "its oxidation to CO2)",
            {"CH4": 30.0},
        ),
        **_table(
            _AR5_CH8,
            "Table 8.A.1",
            {
                "CO2": 1.0,
                "N2O": 265.0,
                "SF6": 23500.0,
                "NF3": 16100.0,
                "HFC-23": 12400.0,
                "HFC-32": 677.0,
                "HFC-125": 3170.0,
                "HFC-134a": 1300.0,
                "HFC-143a": 4800.0,
                "HFC-152a": 138.0,
                "HFC-227ea": 3350.0,
                "HFC-236fa": 8060.0,
                "HFC-245fa": 858.0,
                "HFC-365mfc": 804.0,
                "HFC-43-10mee": 1650.0,
                "CF4": 6630.0,
                "C2F6": 11100.0,
                "C3F8": 8900.0,
                "c-C4F8": 9540.0,
            },
        ),
    },
    non_fossil=_table(_AR5_CH8, "Table 8.A.1", {"CH4": 28.0}),
)

GWP_SETS: dict[str, GwpSet] = {AR6.name: AR6, AR5.name: AR5}
DEFAULT = AR6


def gwp_set(name: str | GwpSet) -> GwpSet:
    """The GWP set called ``name`` (``"AR6"`` or ``"AR5"``, any case)."""
    if isinstance(name, GwpSet):
        return name
    try:
        return GWP_SETS[name.upper()]
    except KeyError:
        raise UnknownGas(f"unknown GWP set {name!r}: choose one of {', '.join(GWP_SETS)}") from None


@dataclass(frozen=True)
class Characterized:
    """A gas inventory expressed in kgCO2e: total, by origin and by flow."""

    total: float
    by_origin: Mapping[Origin, float]
    by_flow: Mapping[Flow, float]


def characterize(
    inventory: Mapping[Flow | str, float], gwp: str | GwpSet = DEFAULT
) -> Characterized:
    """Turn kg of each gas into kgCO2e with the GWP set ``gwp``.

    >>> characterize({"CO2": 10.0, "N2O": 0.01}).total  # 10 + 0.01 x 273
    12.73
    """
    chosen = gwp_set(gwp)
    by_flow: dict[Flow, float] = {}
    by_origin = dict.fromkeys(Origin, 0.0)
    for key, kilograms in inventory.items():
        flow = key if isinstance(key, Flow) else Flow.parse(key)
        co2e = kilograms * chosen.factor(flow)
        by_flow[flow] = by_flow.get(flow, 0.0) + co2e
        by_origin[flow.origin] += co2e
    return Characterized(total=sum(by_flow.values()), by_origin=by_origin, by_flow=by_flow)
