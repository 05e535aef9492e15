"""Every product's footprint from one solve, and the detail of any one product.

:func:`calculate` builds the system, factorizes (or preconditions) once and
solves the transposed system for all right-hand sides together: one per flow
(gas and origin), plus three that carry the absolute emissions, the
absolute emissions weighted by data quality and those from primary data, so
that the data quality rating and primary data share of every product are
propagated through the supply chain by the same solve.

:meth:`NetworkResults.footprint` then explains one product: its stage split
and line contributions come from its own lines times the solution (GB/T
24067-2024 stages), and its supply-chain hot spots from one more solve of the
untransposed system (the supply vector: how much of every product one
declared unit needs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from tanzuji.engine.footprint import (
    Contribution,
    CutOffLine,
    Footprint,
    GasResult,
    Provenance,
)
from tanzuji.engine.solver import Solver
from tanzuji.engine.system import STAGES, Entries, System, build_system, group_sum
from tanzuji.factors.factor_set import FactorSet
from tanzuji.flows import Origin
from tanzuji.gwp import DEFAULT, GwpSet, gwp_set
from tanzuji.model.network import Network
from tanzuji.model.product import ProductModel

__all__ = ["NetworkResults", "calculate"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NetworkResults:
    """Footprints of every product in a network, per declared unit.

    ``flow_kg[j, g]`` is kg of flow ``system.flows[g]`` per declared unit of
    product ``j``; ``total``, ``by_origin`` and ``by_stage`` are in kgCO2e.
    """

    system: System
    solver: Solver
    gwp: GwpSet
    flow_kg: Array
    total: Array
    by_origin: dict[Origin, Array]
    by_stage: Array
    data_quality: Array
    primary_share: Array

    def total_of(self, product_id: str) -> float:
        """kgCO2e per declared unit of ``product_id``."""
        return float(self.total[self._position(product_id)])

    def _position(self, product_id: str) -> int:
        self.system.network.output(product_id)
        return self.system.index[product_id]

    @cached_property
    def direct(self) -> Array:
        """kgCO2e each product's own lines release per declared unit (before its inputs)."""
        return group_sum(
            self.system.bio.col, self.co2e_of(self.system.bio), minlength=self.system.size
        )

    def co2e_of(self, entries: Entries) -> Array:
        """kgCO2e of each emission entry (kg of flow × its GWP)."""
        return entries.value * self.gwp.vector(self.system.flows)[entries.row]

    def supply(self, demand: str | Mapping[str, float]) -> Array:
        """Declared units of every product the supply chain makes to meet ``demand``.

        ``demand`` is a product id (one declared unit of it) or a mapping of
        product ids to declared units, e.g. a procurement basket.
        """
        wanted = {demand: 1.0} if isinstance(demand, str) else demand
        vector = np.zeros(self.system.size)
        for product_id, amount in wanted.items():
            vector[self._position(product_id)] += amount
        return self.solver.solve(vector, transposed=True)

    def total_for(self, demand: Mapping[str, float]) -> float:
        """kgCO2e of meeting ``demand`` (declared units per product), summed over its supply
        chain's direct emissions, ``b · (I - M)⁻¹ d``."""
        return float(self.direct @ self.supply(demand))

    def footprint(self, product_id: str, rule: str | None = None) -> Footprint:
        """The full footprint of one product, hot spots and provenance included."""
        system = self.system
        j = self._position(product_id)
        output = system.network.output(product_id)
        model = output.model
        total = float(self.total[j])
        own_lines = self._own_line_contributions(j)
        supply = self.supply(product_id)
        bio = system.bio
        reached = supply[bio.col] != 0
        line_totals = group_sum(
            bio.line[reached],
            weights=supply[bio.col[reached]] * self.co2e_of(bio)[reached],
            minlength=len(system.lines),
        )
        hotspots = self._ranked(
            (
                Contribution(
                    "line",
                    info.model,
                    info.name,
                    info.stage.value,
                    float(value),
                    _share(float(value), total),
                )
                for info, value in zip(system.lines, line_totals, strict=True)
                if value != 0
            )
        )
        direct = self.direct
        upstream = self._ranked(
            Contribution(
                "product",
                system.products[k],
                system.network.outputs[system.products[k]].name,
                None,
                float(supply[k] * direct[k]),
                _share(float(supply[k] * direct[k]), total),
            )
            for k in np.flatnonzero(supply * direct)
        )
        gwp_vector = self.gwp.vector(system.flows)
        by_gas = {
            str(flow): GasResult(
                float(self.flow_kg[j, g]), float(self.flow_kg[j, g] * gwp_vector[g])
            )
            for g, flow in enumerate(system.flows)
            if self.flow_kg[j, g] != 0
        }
        used = np.unique(bio.factor[reached])
        fallbacks = sorted(
            {
                f"{info.model}: {info.name}: {info.match.explain()}"
                for info, value in zip(system.lines, line_totals, strict=True)
                if info.match is not None and info.match.fell_back and value != 0
            }
        )
        return Footprint(
            product=product_id,
            name_zh=model.name_zh if output.id == model.id else output.name,
            name_en=output.name,
            declared_unit=str(output.declared_unit),
            boundary=model.boundary.value,
            total_kgco2e=total,
            fossil_kgco2e=float(self.by_origin[Origin.FOSSIL][j]),
            biogenic_kgco2e=float(self.by_origin[Origin.BIOGENIC][j]),
            luc_kgco2e=float(self.by_origin[Origin.LAND_USE_CHANGE][j]),
            by_stage={
                stage.value: float(self.by_stage[j, s])
                for s, stage in enumerate(STAGES)
                if stage in model.boundary.stages
            },
            by_gas=by_gas,
            lines=own_lines,
            hotspots=hotspots,
            upstream=upstream,
            primary_data_share=float(self.primary_share[j]),
            data_quality_rating=float(self.data_quality[j]),
            allocation_factor=system.allocation[product_id],
            cut_off=self._cut_off(j, total),
            provenance=Provenance(
                factor_set=system.factor_set_version,
                gwp=self.gwp.name,
                factors=tuple(sorted(system.factors[i].id for i in used)),
                fallbacks=tuple(fallbacks),
                solver=self.solver.description,
                rule=rule,
            ),
        )

    def _line_values(self, j: int, tech: Entries, bio: Entries) -> Array:
        """kgCO2e per declared unit of product ``j`` that each line adds (direct + upstream)."""
        lines = len(self.system.lines)
        mine = bio.col == j
        values = group_sum(bio.line[mine], weights=self.co2e_of(bio)[mine], minlength=lines)
        mine = tech.col == j
        return values + group_sum(
            tech.line[mine], weights=tech.value[mine] * self.total[tech.row[mine]], minlength=lines
        )

    def _own_line_contributions(self, j: int) -> tuple[Contribution, ...]:
        values = self._line_values(j, self.system.tech, self.system.bio)
        product = self.system.products[j]
        model = self.system.network.output(product).model.id
        total = float(self.total[j])
        return self._ranked(
            Contribution(
                "line",
                model,
                info.name,
                info.stage.value,
                float(values[i]),
                _share(float(values[i]), total),
            )
            for i, info in enumerate(self.system.lines)
            if info.model == model and info.cut_off is None
        )

    def _cut_off(self, j: int, total: float) -> tuple[CutOffLine, ...]:
        values = self._line_values(j, self.system.excluded_tech, self.system.excluded_bio)
        product = self.system.products[j]
        model = self.system.network.output(product).model.id
        left_out = [
            (info, float(values[i]))
            for i, info in enumerate(self.system.lines)
            if info.model == model and info.cut_off is not None
        ]
        whole = total + sum(value for _, value in left_out)
        return tuple(
            CutOffLine(info.name, info.cut_off or "", value, _share(value, whole))
            for info, value in left_out
        )

    @staticmethod
    def _ranked(items: Iterable[Contribution]) -> tuple[Contribution, ...]:
        return tuple(sorted(items, key=lambda c: abs(c.kgco2e), reverse=True))


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def calculate(
    models: Network | Iterable[ProductModel],
    factor_set: FactorSet,
    gwp: str | GwpSet = DEFAULT,
    *,
    solver: str = "auto",
) -> NetworkResults:
    """Footprints of every product in ``models`` with ``factor_set`` and the GWP set ``gwp``.

    ``solver`` is ``"auto"`` (choose by the network's shape), ``"direct"`` or
    ``"iterative"`` (see :mod:`tanzuji.engine.solver`).
    """
    network = models if isinstance(models, Network) else Network(models)
    return solve_system(build_system(network, factor_set), gwp, solver=solver)


def solve_system(
    system: System, gwp: str | GwpSet = DEFAULT, *, solver: str = "auto"
) -> NetworkResults:
    """Solve a built :class:`System` for every product (see :func:`calculate`)."""
    chosen = gwp_set(gwp)
    engine = Solver(system.technosphere_transposed(), system.products, method=solver)
    n, flows = system.size, len(system.flows)
    bio = system.bio
    gwp_vector = chosen.vector(system.flows)
    magnitude = np.abs(bio.value * gwp_vector[bio.row])
    primary = system.line_primary
    quality = np.nan_to_num(system.line_quality, nan=0.0)
    rhs = np.zeros((n, flows + 4))
    rhs[:, :flows] = group_sum(
        bio.col * flows + bio.row, weights=bio.value, minlength=n * flows
    ).reshape(n, flows)
    rhs[:, flows] = group_sum(bio.col, weights=magnitude, minlength=n)
    rhs[:, flows + 1] = group_sum(bio.col, weights=magnitude * quality[bio.line], minlength=n)
    rhs[:, flows + 2] = group_sum(bio.col, weights=magnitude * primary[bio.line], minlength=n)
    rhs[:, flows + 3] = 1.0
    solution = engine.solve(rhs)
    engine.assert_productive(solution[:, flows + 3])
    flow_kg = solution[:, :flows]
    by_flow = flow_kg * gwp_vector
    total = by_flow.sum(axis=1)
    by_origin = {
        origin: by_flow[:, [g for g, f in enumerate(system.flows) if f.origin is origin]].sum(
            axis=1
        )
        for origin in Origin
    }
    weight = solution[:, flows]
    with np.errstate(invalid="ignore", divide="ignore"):
        data_quality = np.where(weight > 0, solution[:, flows + 1] / weight, np.nan)
        primary_share = np.where(weight > 0, solution[:, flows + 2] / weight, 0.0)
    stages = len(STAGES)
    stage_of = system.line_stage
    tech = system.tech
    by_stage = (
        group_sum(
            bio.col * stages + stage_of[bio.line],
            weights=bio.value * gwp_vector[bio.row],
            minlength=n * stages,
        )
        + group_sum(
            tech.col * stages + stage_of[tech.line],
            weights=tech.value * total[tech.row],
            minlength=n * stages,
        )
    ).reshape(n, stages)
    return NetworkResults(
        system=system,
        solver=engine,
        gwp=chosen,
        flow_kg=flow_kg,
        total=total,
        by_origin=by_origin,
        by_stage=by_stage,
        data_quality=data_quality,
        primary_share=primary_share,
    )
