"""From product models to matrices: the linear system of a supply-chain network.

Every output *j* of the network (a main product or a co-product) is a column.
Per one declared unit of *j*:

* the **technosphere** entry ``M[i, j]`` is how many declared units of
  product *i* it takes, after allocation;
* the **emission** entry ``B[g, j]`` is how many kg of flow *g* (gas and
  origin) its own lines release, after allocation.

The footprint vector ``f`` (kg per declared unit of each product, one column
per flow) satisfies ``f_j = B[:, j] + Σ_i M[i, j] f_i``, that is
``(I - M)ᵀ f = Bᵀ``: one sparse solve of the transposed system gives every
product's footprint at once (Heijungs & Suh 2002, *The Computational Structure
of Life Cycle Assessment*, ch. 2, with the transposed system for all products).

Entries are kept as coordinate lists with, for each entry, the line it came
from and the factor it used, so that stage splits, hot spots, data quality and
Monte Carlo sampling all work on the same fixed pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tanzuji import units
from tanzuji.factors.factor import EmissionFactor, direct_emission
from tanzuji.factors.factor_set import FactorMatch, FactorSet
from tanzuji.flows import Flow
from tanzuji.model.network import Network
from tanzuji.model.product import ActivityLine, ProductModel
from tanzuji.model.stages import DataType, Stage
from tanzuji.uncertainty import Lognormal, Normal, Triangular, Uniform

__all__ = ["LineInfo", "System", "build_system", "group_sum"]

STAGES: tuple[Stage, ...] = tuple(Stage)
_STAGE_INDEX = {stage: position for position, stage in enumerate(STAGES)}
Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]


def group_sum(groups: Index, weights: Array | None = None, *, minlength: int) -> Array:
    """Sum ``weights`` (or count) by group: ``out[g] = Σ weights[groups == g]``.

    ``out`` has at least ``minlength`` entries, zero for empty groups.
    """
    return np.bincount(groups, weights=weights, minlength=minlength).astype(np.float64, copy=False)


@dataclass(frozen=True)
class LineInfo:
    """What the system remembers of one activity line."""

    model: str
    name: str
    stage: Stage
    data_type: DataType
    factor: str | None
    product: str | None
    cut_off: str | None
    uncertainty: Lognormal | Normal | Triangular | Uniform | None
    match: FactorMatch | None = None


@dataclass
class _Entries:
    """Coordinate lists under construction."""

    row: list[int] = field(default_factory=list)
    col: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    factor: list[int] = field(default_factory=list)

    def add(self, row: int, col: int, value: float, line: int, factor: int = -1) -> None:
        self.row.append(row)
        self.col.append(col)
        self.value.append(value)
        self.line.append(line)
        self.factor.append(factor)


@dataclass(frozen=True)
class Entries:
    """Coordinate entries of one matrix with where each came from."""

    row: Index
    col: Index
    value: Array
    line: Index
    factor: Index

    @classmethod
    def of(cls, entries: _Entries, keep: npt.NDArray[np.bool_] | None = None) -> Entries:
        arrays = (
            np.asarray(entries.row, dtype=np.intp),
            np.asarray(entries.col, dtype=np.intp),
            np.asarray(entries.value, dtype=np.float64),
            np.asarray(entries.line, dtype=np.intp),
            np.asarray(entries.factor, dtype=np.intp),
        )
        row, col, value, line, factor = arrays
        if keep is None:
            return cls(row, col, value, line, factor)
        mask = keep[line] if line.size else np.zeros(0, dtype=bool)
        return cls(row[mask], col[mask], value[mask], line[mask], factor[mask])

    def __len__(self) -> int:
        return int(self.row.size)


@dataclass(frozen=True)
class System:
    """The matrices of a network and the bookkeeping to explain them.

    ``tech`` holds the entries of ``M`` (inputs per declared unit); ``bio`` the
    entries of ``B`` (kg of flow per declared unit). ``excluded_tech`` and
    ``excluded_bio`` hold the same for lines left out by cut-off. The ``line_*``
    arrays give, per line, its data quality rating (NaN for a product line), its
    stage's position in :data:`STAGES` and whether its amount is primary data.
    """

    products: tuple[str, ...]
    index: dict[str, int]
    network: Network
    flows: tuple[Flow, ...]
    factors: tuple[EmissionFactor, ...]
    lines: tuple[LineInfo, ...]
    line_quality: Array
    line_stage: Index
    line_primary: npt.NDArray[np.bool_]
    tech: Entries
    bio: Entries
    excluded_tech: Entries
    excluded_bio: Entries
    factor_set_version: str
    allocation: dict[str, float]

    @property
    def size(self) -> int:
        return len(self.products)

    def technosphere_transposed(self) -> sp.csr_array:
        """``(I - M)ᵀ`` as a CSR array (duplicates summed)."""
        n = self.size
        rows = np.concatenate([np.arange(n), self.tech.col])
        cols = np.concatenate([np.arange(n), self.tech.row])
        data = np.concatenate([np.ones(n), -self.tech.value])
        return sp.csr_array(sp.coo_array((data, (rows, cols)), shape=(n, n)))

    def emissions(self) -> sp.csr_array:
        """``B`` as a CSR array: kg of each flow per declared unit, flows × products."""
        return sp.csr_array(
            sp.coo_array(
                (self.bio.value, (self.bio.row, self.bio.col)), shape=(len(self.flows), self.size)
            )
        )


class _Builder:
    def __init__(self, network: Network, factor_set: FactorSet) -> None:
        self.network = network
        self.factor_set = factor_set
        self.index = {product_id: i for i, product_id in enumerate(network.outputs)}
        self.flows: dict[Flow, int] = {}
        self.factors: dict[str, int] = {}
        self.factor_list: list[EmissionFactor] = []
        self.factor_flows: list[list[tuple[int, float]]] = []
        self.lines: list[LineInfo] = []
        self.quality: list[float] = []
        self.tech = _Entries()
        self.bio = _Entries()
        self.lookups: dict[tuple[str, str, int], FactorMatch] = {}
        self.allocation: dict[str, float] = {}

    def factor_index(self, factor: EmissionFactor) -> int:
        position = self.factors.get(factor.id)
        if position is None:
            position = self.factors[factor.id] = len(self.factor_list)
            self.factor_list.append(factor)
            self.factor_flows.append(
                [
                    (self.flows.setdefault(flow, len(self.flows)), amount)
                    for flow, amount in factor.flows.items()
                ]
            )
        return position

    def resolve(
        self, model: ProductModel, line: ActivityLine
    ) -> tuple[EmissionFactor, FactorMatch | None]:
        if line.factor is not None:
            return self.factor_set[line.factor], None
        if line.emission is not None:
            supplied = units.is_compatible(line.unit, "kgCO2e")
            return direct_emission(Flow.parse(line.emission), "kgCO2e" if supplied else "kg"), None
        assert line.activity is not None
        key = (line.activity, line.geography or model.geography, model.reference_period.year)
        match = self.lookups.get(key)
        if match is None:
            match = self.lookups[key] = self.factor_set.find(*key)
        return match.factor, match

    def add_model(self, model: ProductModel) -> None:
        shares = model.allocation_factors()
        columns: list[tuple[int, float]] = []
        declared = model.declared_unit
        for output_id, amount, unit in model.outputs():
            self.allocation[output_id] = shares[output_id]
            per_unit = (
                declared.in_unit(unit, where=f"declared unit of {model.id}")
                if output_id == model.id
                else 1.0
            )
            columns.append((self.index[output_id], shares[output_id] * per_unit / amount))
        for stage, line in model.lines():
            self.add_line(model, stage, line, columns)

    def add_line(
        self,
        model: ProductModel,
        stage: Stage,
        line: ActivityLine,
        columns: list[tuple[int, float]],
    ) -> None:
        where = f"line {line.name!r} of {model.id}"
        number = len(self.lines)
        if line.product is not None:
            supplier = self.network.output(line.product)
            per_unit = (
                units.conversion_factor(line.unit, supplier.declared_unit.unit, where=where)
                / supplier.declared_unit.amount
            )
            row = self.index[line.product]
            for col, scale in columns:
                self.tech.add(row, col, line.amount * per_unit * scale, number)
            self.lines.append(
                LineInfo(
                    model.id,
                    line.name,
                    stage,
                    line.data_type,
                    None,
                    line.product,
                    _reason(line),
                    line.uncertainty,
                )
            )
            self.quality.append(np.nan)
            return
        factor, match = self.resolve(model, line)
        position = self.factor_index(factor)
        amount = line.amount * units.conversion_factor(line.unit, factor.unit, where=where)
        for col, scale in columns:
            for flow_row, kilograms in self.factor_flows[position]:
                self.bio.add(flow_row, col, amount * scale * kilograms, number, position)
        quality = line.data_quality or factor.data_quality
        self.lines.append(
            LineInfo(
                model.id,
                line.name,
                stage,
                line.data_type,
                factor.id,
                None,
                _reason(line),
                line.uncertainty,
                match,
            )
        )
        self.quality.append(quality.rating)

    def system(self) -> System:
        kept = np.array([info.cut_off is None for info in self.lines], dtype=bool)
        left_out = ~kept
        return System(
            products=tuple(self.index),
            index=self.index,
            network=self.network,
            flows=tuple(self.flows),
            factors=tuple(self.factor_list),
            lines=tuple(self.lines),
            line_quality=np.asarray(self.quality, dtype=np.float64),
            line_stage=np.fromiter(
                (_STAGE_INDEX[info.stage] for info in self.lines), np.intp, len(self.lines)
            ),
            line_primary=np.fromiter(
                (info.data_type is DataType.PRIMARY for info in self.lines), bool, len(self.lines)
            ),
            tech=Entries.of(self.tech, kept),
            bio=Entries.of(self.bio, kept),
            excluded_tech=Entries.of(self.tech, left_out),
            excluded_bio=Entries.of(self.bio, left_out),
            factor_set_version=self.factor_set.version,
            allocation=self.allocation,
        )


def _reason(line: ActivityLine) -> str | None:
    return line.cut_off.reason if line.cut_off is not None else None


def build_system(network: Network, factor_set: FactorSet) -> System:
    """Resolve every line of ``network`` against ``factor_set`` and assemble the matrices.

    Raises :class:`~tanzuji.errors.FactorNotFound` for a factor id or activity the set
    lacks and :class:`~tanzuji.errors.UnitMismatch` (naming the line) for an amount
    whose unit cannot be converted to the factor's or supplier's unit.
    """
    builder = _Builder(network, factor_set)
    for model in network:
        builder.add_model(model)
    return builder.system()
