"""Synthetic supply-chain networks for the engine benchmark, deterministic from a seed.

Everything here is made up for timing: factor ids start with ``SYN-``,
activities with ``syn.``, and no number is a real emission factor.

Two shapes of network:

* **tiered** — raw materials, two tiers of intermediates and finished goods.
  Every product has 2 to 6 product inputs, mostly from the tier below, chosen
  with a heavy-tailed popularity so that some suppliers are used widely. Five
  hub suppliers (grid electricity, coal, diesel, steel, road transport) are
  used by almost everything and by each other (electricity in coal mining,
  coal in power plants, machinery in steelmaking and steel in machinery);
  besides those, about 1 % of the input lines point up the tiers and so close
  loops.
* **uniform** — every product takes 3 inputs from uniformly random other
  products: one large loop through the whole network, the case where a
  direct LU factorization fills in catastrophically.

Every product also has 1 to 3 direct-emission lines against a synthetic
factor set of 28 factors over four gases (CO2, CH4, N2O, CO2-biogenic); every
amount and every factor is lognormally uncertain. Amounts are stated in
varied units (t or kg, MWh or kWh, t*km or tkm) and converted by the engine.

Every loop is productive, also when sampled: each product is given a size in
tonnes-equivalent ``s`` per declared unit, and the inputs of one declared
unit of ``j`` add up to at most :data:`MAX_INPUT_SHARE` of ``s_j`` (input
``i`` contributes ``M[i, j] s_i``). ``M`` is then similar to a matrix whose
column sums are below 0.6, so its spectral radius is too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tanzuji import units
from tanzuji.factors.factor import DataQuality, EmissionFactor, Source
from tanzuji.factors.factor_set import FactorSet
from tanzuji.model.product import ActivityLine, Amount, CutOff, ProductModel, ReferencePeriod
from tanzuji.model.stages import Boundary, DataType, Stage
from tanzuji.uncertainty import Lognormal
from tanzuji.units import DeclaredUnit

__all__ = ["GASES", "SHAPES", "factor_set", "network", "single_product"]

SHAPES = ("tiered", "uniform")
GASES = ("CO2", "CH4", "N2O", "CO2-biogenic")
MAX_INPUT_SHARE = 0.6
"""Largest share of a product's own size that its product inputs may add up to."""
TIER_SHARES = (0.2, 0.25, 0.25, 0.3)
"""Raw materials, intermediates 1, intermediates 2, finished goods (after the hubs)."""
UPWARD_EDGES = 0.01
"""Share of input lines that point to a product of the same or a higher tier."""
GRAVE_SHARE = 0.2
"""Share of finished goods with a cradle-to-grave boundary."""
PROVINCES = ("CN-GZ", "CN-GD", "CN-JS", "CN-SD", "CN-HB", "CN-SN", "CN-LN")
GRIDS = (
    "CN-NORTH-GRID",
    "CN-NORTHEAST-GRID",
    "CN-EAST-GRID",
    "CN-CENTRAL-GRID",
    "CN-NORTHWEST-GRID",
    "CN-SOUTH-GRID",
)
UNIT_VARIANTS = {
    "t": ("t", "kg"),
    "MWh": ("MWh", "kWh"),
    "t*km": ("t*km", "tkm"),
    "piece": ("piece",),
    "kg": ("kg", "g"),
    "L": ("L",),
    "Nm3": ("Nm3",),
    "GJ": ("GJ", "MJ"),
    "m**3": ("m**3", "L"),
}
"""Units a line may be written in, by the unit of what it points to."""

_PERIOD = ReferencePeriod.model_validate({"start": "2025-01-01", "end": "2025-12-31"})
_SOURCE = Source(
    document="tanzuji synthetic benchmark factors (not real data)", confidence="estimate"
)
_GSD_AMOUNT = tuple(Lognormal(gsd=g) for g in (1.05, 1.1, 1.2, 1.3))
_GSD_FACTOR = tuple(Lognormal(gsd=g) for g in (1.05, 1.1, 1.2, 1.3, 1.5))
_CUT_OFF = CutOff(reason="below 1 % of mass, not hazardous (synthetic)")


@dataclass(frozen=True)
class _Kind:
    """One synthetic emission activity: its gases per unit and where factors exist."""

    key: str
    name_en: str
    name_zh: str
    unit: str
    gases: dict[str, float]
    typical: float  # activity per tonne of product
    geographies: tuple[str, ...] = ("CN",)

    @property
    def activity(self) -> str:
        return f"syn.{self.key}"

    def factor_id(self, geography: str) -> str:
        return f"SYN-{self.key.upper()}-{geography}"


KINDS = (
    _Kind("coal", "coal combustion", "燃煤", "t", {"CO2": 2400, "CH4": 0.25, "N2O": 0.04}, 0.05),
    _Kind(
        "diesel",
        "diesel combustion",
        "柴油燃烧",
        "t",
        {"CO2": 3150, "CH4": 0.13, "N2O": 0.13},
        0.005,
    ),
    _Kind(
        "fuel-oil",
        "fuel oil combustion",
        "燃料油燃烧",
        "t",
        {"CO2": 3170, "CH4": 0.12, "N2O": 0.025},
        0.005,
    ),
    _Kind(
        "lpg", "LPG combustion", "液化石油气燃烧", "kg", {"CO2": 3.0, "CH4": 5e-5, "N2O": 5e-6}, 2.0
    ),
    _Kind(
        "gasoline",
        "gasoline combustion",
        "汽油燃烧",
        "L",
        {"CO2": 2.3, "CH4": 1e-4, "N2O": 1e-4},
        3.0,
    ),
    _Kind(
        "biomass",
        "biomass combustion",
        "生物质燃烧",
        "t",
        {"CO2-biogenic": 1650, "CH4": 0.3, "N2O": 0.04},
        0.02,
    ),
    _Kind("mine-methane", "coal mine methane", "煤矿瓦斯", "t", {"CH4": 5.0}, 1.0),
    _Kind("clinker", "clinker calcination", "熟料煅烧", "t", {"CO2": 520}, 0.3),
    _Kind("lime", "lime calcination", "石灰煅烧", "t", {"CO2": 750}, 0.05),
    _Kind("ammonia", "ammonia process", "合成氨工艺", "t", {"CO2": 1800}, 0.02),
    _Kind("nitric-acid", "nitric acid process", "硝酸工艺", "t", {"N2O": 6.0}, 0.01),
    _Kind("steelmaking", "steelmaking process", "炼钢工艺", "t", {"CO2": 150, "CH4": 0.01}, 1.0),
    _Kind("glass", "glass melting", "玻璃熔制", "t", {"CO2": 200}, 0.05),
    _Kind("fertilizer", "nitrogen fertilizer application", "氮肥施用", "kg", {"N2O": 0.016}, 5.0),
    _Kind(
        "composting", "composting", "堆肥", "t", {"CH4": 4.0, "N2O": 0.3, "CO2-biogenic": 200}, 0.01
    ),
    _Kind(
        "natural-gas",
        "natural gas combustion",
        "天然气燃烧",
        "Nm3",
        {"CO2": 2.16, "CH4": 4e-5, "N2O": 4e-6},
        30.0,
        ("CN", "GLO"),
    ),
    _Kind(
        "steam",
        "purchased steam",
        "外购蒸汽",
        "GJ",
        {"CO2": 110, "CH4": 0.002, "N2O": 0.002},
        0.5,
        ("CN", *GRIDS),
    ),
    _Kind(
        "landfill", "landfill", "填埋", "t", {"CH4": 50, "CO2-biogenic": 300}, 0.02, ("CN", "GLO")
    ),
    _Kind(
        "wastewater",
        "wastewater treatment",
        "污水处理",
        "m**3",
        {"CH4": 0.02, "N2O": 0.0005},
        2.0,
        ("CN", "GLO"),
    ),
)
_KIND = {kind.key: kind for kind in KINDS}
_DIRECT = tuple(kind for kind in KINDS if kind.key not in ("mine-methane", "steelmaking"))
"""Kinds any product may have a direct-emission line of."""


def factor_set(seed: int = 0) -> FactorSet:
    """The synthetic factor set: one factor per kind and geography, all uncertain."""
    rng = np.random.default_rng(seed)
    factors = []
    for kind in KINDS:
        for geography in kind.geographies:
            gases = {
                gas: value * float(rng.lognormal(0.0, 0.15)) for gas, value in kind.gases.items()
            }
            quality = rng.integers(1, 5, size=3)
            factors.append(
                EmissionFactor(
                    id=kind.factor_id(geography),
                    activity=kind.activity,
                    name_zh=f"合成-{kind.name_zh}",
                    name_en=f"synthetic {kind.name_en}",
                    unit=kind.unit,
                    gases=gases,
                    geography=geography,
                    reference_year=2023,
                    source=_SOURCE,
                    data_quality=DataQuality(
                        technological=int(quality[0]),
                        temporal=int(quality[1]),
                        geographical=int(quality[2]),
                    ),
                    uncertainty=_GSD_FACTOR[int(rng.integers(len(_GSD_FACTOR)))],
                )
            )
    return FactorSet("SYN-benchmark-1", factors, title="synthetic benchmark factors")


@dataclass(frozen=True)
class _Product:
    """What consumers need to know of a product to write a line to it."""

    id: str
    name: str
    declared: DeclaredUnit
    size: float  # tonnes-equivalent of one declared unit
    stage: Stage  # the stage consumers book it in


class _Writer:
    """Writes activity lines and product models with one random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def pick(self, options: Sequence[object]) -> int:
        return int(self.rng.integers(len(options)))

    def amount_uncertainty(self) -> Lognormal:
        return _GSD_AMOUNT[self.pick(_GSD_AMOUNT)]

    def product_line(
        self, supplier: _Product, per_unit: float, output: float, stage: Stage | None = None
    ) -> tuple[Stage, ActivityLine]:
        """``per_unit`` declared units of ``supplier`` per declared unit, ``output`` units made."""
        declared = supplier.declared
        variants = UNIT_VARIANTS[declared.unit]
        unit = variants[self.pick(variants)]
        amount = per_unit * output * declared.amount * units.conversion_factor(declared.unit, unit)
        return stage or supplier.stage, ActivityLine(
            name=supplier.name,
            amount=amount,
            unit=unit,
            product=supplier.id,
            uncertainty=self.amount_uncertainty(),
        )

    def factor_line(
        self, kind: _Kind, per_unit: float, output: float, stage: Stage = Stage.PRODUCTION
    ) -> tuple[Stage, ActivityLine]:
        """A direct-emission line: ``per_unit`` of ``kind``'s unit per declared unit."""
        variants = UNIT_VARIANTS[kind.unit]
        unit = variants[self.pick(variants)]
        amount = per_unit * output * units.conversion_factor(kind.unit, unit)
        target = (
            {"factor": kind.factor_id(kind.geographies[0])}
            if len(kind.geographies) == 1
            else {"activity": kind.activity}
        )
        primary = self.rng.random() < 0.3
        cut_off = _CUT_OFF if self.rng.random() < 0.005 else None
        return stage, ActivityLine(
            name=kind.name_en,
            amount=amount,
            unit=unit,
            **target,
            data_type=DataType.PRIMARY if primary else DataType.SECONDARY,
            uncertainty=self.amount_uncertainty(),
            cut_off=cut_off,
        )

    def direct_lines(
        self, size: float, output: float, count: int
    ) -> list[tuple[Stage, ActivityLine]]:
        """``count`` direct-emission lines of distinct random kinds."""
        chosen = self.rng.choice(len(_DIRECT), size=count, replace=False)
        return [
            self.factor_line(
                _DIRECT[k], _DIRECT[k].typical * size * float(self.rng.lognormal(0.0, 0.5)), output
            )
            for k in chosen
        ]

    def inputs(
        self,
        product: _Product,
        suppliers: Sequence[_Product],
        output: float,
        stages: dict[str, Stage] | None = None,
    ) -> list[tuple[Stage, ActivityLine]]:
        """Lines to ``suppliers`` whose shares of ``product``'s size add up to 0.2–0.6."""
        shares = self.rng.dirichlet(np.ones(len(suppliers))) * self.rng.uniform(
            0.2, MAX_INPUT_SHARE
        )
        remap = stages or {}
        return [
            self.product_line(s, float(share) * product.size / s.size, output, remap.get(s.id))
            for s, share in zip(suppliers, shares, strict=True)
        ]

    def output(self, declared: DeclaredUnit) -> tuple[Amount, float]:
        """A reference output (in the declared unit or a variant) and its declared units."""
        made = float(self.rng.lognormal(np.log(10_000.0), 1.0))
        variants = UNIT_VARIANTS[declared.unit]
        unit = variants[self.pick(variants)]
        amount = made * declared.amount * units.conversion_factor(declared.unit, unit)
        return Amount(amount=amount, unit=unit), made

    def model(
        self,
        product: _Product,
        reference: Amount,
        geography: str,
        lines: list[tuple[Stage, ActivityLine]],
        boundary: Boundary = Boundary.CRADLE_TO_GATE,
    ) -> ProductModel:
        stages: dict[Stage, list[ActivityLine]] = {}
        for stage, line in lines:
            stages.setdefault(stage, []).append(line)
        return ProductModel(
            id=product.id,
            name_zh=f"合成品 {product.id}",
            name_en=product.name,
            declared_unit=product.declared,
            reference_output=reference,
            reference_period=_PERIOD,
            boundary=boundary,
            geography=geography,
            stages=stages,
        )


_TONNE = DeclaredUnit(unit="t", description="synthetic material")
_PIECE = DeclaredUnit(unit="piece", description="synthetic article")

HUBS = (
    _Product(
        "HUB-electricity", "grid electricity", DeclaredUnit(unit="MWh"), 0.3, Stage.PRODUCTION
    ),
    _Product(
        "HUB-coal", "coal", DeclaredUnit(unit="t", description="raw coal"), 1.0, Stage.PRODUCTION
    ),
    _Product(
        "HUB-diesel", "diesel", DeclaredUnit(unit="t", description="diesel"), 1.0, Stage.PRODUCTION
    ),
    _Product(
        "HUB-steel",
        "steel",
        DeclaredUnit(unit="t", description="steel"),
        1.0,
        Stage.RAW_MATERIAL_ACQUISITION,
    ),
    _Product(
        "HUB-transport",
        "road transport",
        DeclaredUnit(amount=1000.0, unit="t*km", description="road freight"),
        1.0,
        Stage.TRANSPORT,
    ),
)
ELECTRICITY, COAL, DIESEL, STEEL, TRANSPORT = HUBS
HUB_USE = ((ELECTRICITY, 0.9), (TRANSPORT, 0.75), (STEEL, 0.2), (DIESEL, 0.1), (COAL, 0.05))
"""The chance that a product uses each hub."""
HUB_INPUTS = {
    ELECTRICITY.id: ((COAL, TRANSPORT), (("coal", 0.35),)),
    COAL.id: ((ELECTRICITY, DIESEL, STEEL, TRANSPORT), (("mine-methane", 1.0),)),
    DIESEL.id: ((ELECTRICITY, TRANSPORT), (("fuel-oil", 0.02),)),
    STEEL.id: ((COAL, ELECTRICITY, TRANSPORT), (("steelmaking", 1.0), ("coal", 0.1))),
    TRANSPORT.id: ((DIESEL, STEEL), (("diesel", 0.02),)),
}
"""Each hub's product inputs and direct emissions (kind, activity per declared unit)."""


def _tiered_products(size: int, writer: _Writer) -> tuple[list[_Product], list[int]]:
    """The hubs and then each tier's products, with the tier of each (-1 for a hub).

    A third of the finished goods are counted in pieces.
    """
    rest = size - len(HUBS)
    bounds = np.round(np.cumsum((0.0, *TIER_SHARES)) * rest).astype(int)
    products, tier_of = list(HUBS), [-1] * len(HUBS)
    names = ("raw material", "intermediate", "component", "finished good")
    for tier, (start, stop) in enumerate(itertools.pairwise(bounds)):
        for number in range(start, stop):
            piece = tier == 3 and writer.rng.random() < 1 / 3
            mass = float(writer.rng.lognormal(np.log(0.005), 1.0)) if piece else 1.0
            products.append(
                _Product(
                    f"T{tier}-{number:06d}",
                    f"{names[tier]} {number}",
                    _PIECE if piece else _TONNE,
                    mass,
                    Stage.RAW_MATERIAL_ACQUISITION,
                )
            )
            tier_of.append(tier)
    return products, tier_of


class _Popularity:
    """Draws a product of one tier with a heavy-tailed (Zipf-like) popularity."""

    def __init__(self, positions: list[int], rng: np.random.Generator) -> None:
        self.positions = positions
        weights = 1.0 / np.arange(1, len(positions) + 1) ** 0.9
        self.cumulative = np.cumsum(rng.permutation(weights))
        self.rng = rng

    def draw(self) -> int:
        position = np.searchsorted(self.cumulative, self.rng.random() * self.cumulative[-1])
        return self.positions[min(int(position), len(self.positions) - 1)]


def _tiered_suppliers(
    products: list[_Product], tier_of: list[int], writer: _Writer
) -> list[list[int]]:
    """Each product's suppliers (positions in ``products``): hubs first, then lower tiers.

    Raw materials take only hubs; the others take from the tier just below
    (60 %) or any lower tier. The machinery maker (the first finished good)
    takes steel, and steelmaking takes machinery.
    """
    rng = writer.rng
    hub = {product.id: position for position, product in enumerate(HUBS)}
    tiers = [[j for j, t in enumerate(tier_of) if t == tier] for tier in range(len(TIER_SHARES))]
    popularity = [_Popularity(positions, rng) for positions in tiers]
    machinery = tiers[3][0]
    suppliers: list[list[int]] = []
    for j, tier in enumerate(tier_of):
        if tier < 0:
            own = [hub[s.id] for s in HUB_INPUTS[products[j].id][0]]
            suppliers.append([*own, machinery] if products[j] is STEEL else own)
            continue
        count = int(rng.integers(2, 7))
        chosen = [hub[STEEL.id]] if j == machinery else []
        for used, chance in HUB_USE:
            if len(chosen) < (count if tier == 0 else count - 1) and rng.random() < chance:
                chosen.append(hub[used.id])
        while len(chosen) < count:
            if tier == 0:
                chosen.append(writer.pick(HUBS))
                continue
            below = tier - 1 if rng.random() < 0.6 else int(rng.integers(tier))
            chosen.append(popularity[below].draw())
        suppliers.append(chosen)
    return suppliers


def _close_loops(suppliers: list[list[int]], writer: _Writer) -> None:
    """Add :data:`UPWARD_EDGES` of the lines again as inputs that close a loop.

    A product ``j`` with fewer than 6 inputs takes an input from a product
    found by walking 1 to 3 steps downstream from ``j`` (a user of a user of
    ``j``…), so that each added line closes a loop through ``j``.
    """
    rng = writer.rng
    users: list[list[int]] = [[] for _ in suppliers]
    for j, chosen in enumerate(suppliers):
        for i in chosen:
            users[i].append(j)
    wanted = round(UPWARD_EDGES * sum(len(chosen) for chosen in suppliers))
    added = 0
    while added < wanted:
        j = int(rng.integers(len(suppliers)))
        if not users[j] or len(suppliers[j]) >= 6:
            continue
        i = j
        for _ in range(int(rng.integers(1, 4))):
            if not users[i]:
                break
            i = users[i][int(rng.integers(len(users[i])))]
        suppliers[j].append(i)
        users[i].append(j)
        added += 1


def _tiered(size: int, seed: int) -> list[ProductModel]:
    """The tiered network of ``size`` products (see the module docstring)."""
    if size < 50:
        raise ValueError(f"a tiered network needs at least 50 products, not {size}")
    writer = _Writer(seed)
    rng = writer.rng
    products, tier_of = _tiered_products(size, writer)
    suppliers = _tiered_suppliers(products, tier_of, writer)
    _close_loops(suppliers, writer)
    models = []
    for product, tier, chosen in zip(products, tier_of, suppliers, strict=True):
        grave = tier == 3 and rng.random() < GRAVE_SHARE
        remap = {TRANSPORT.id: Stage.DISTRIBUTION, ELECTRICITY.id: Stage.USE} if grave else None
        reference, made = writer.output(product.declared)
        lines = writer.inputs(product, [products[i] for i in chosen], made, remap)
        if tier < 0:
            lines += [
                writer.factor_line(_KIND[key], per_unit, made)
                for key, per_unit in HUB_INPUTS[product.id][1]
            ]
        else:
            lines += writer.direct_lines(product.size, made, int(rng.integers(1, 4)))
        if grave:
            lines.append(
                writer.factor_line(_KIND["landfill"], product.size, made, Stage.END_OF_LIFE)
            )
        models.append(
            writer.model(
                product,
                reference,
                PROVINCES[writer.pick(PROVINCES)],
                lines,
                Boundary.CRADLE_TO_GRAVE if grave else Boundary.CRADLE_TO_GATE,
            )
        )
    return models


def _uniform(size: int, seed: int) -> list[ProductModel]:
    """``size`` products, each taking 3 inputs from uniformly random other products."""
    if size < 4:
        raise ValueError(f"a uniform network needs at least 4 products, not {size}")
    writer = _Writer(seed)
    rng = writer.rng
    products = [
        _Product(f"U-{j:06d}", f"product {j}", _TONNE, 1.0, Stage.RAW_MATERIAL_ACQUISITION)
        for j in range(size)
    ]
    chosen = rng.integers(0, size - 1, size=(size, 3))
    chosen += chosen >= np.arange(size)[:, None]  # never the product itself
    models = []
    for product, row in zip(products, chosen, strict=True):
        reference, made = writer.output(product.declared)
        lines = writer.inputs(product, [products[i] for i in row], made)
        lines += writer.direct_lines(product.size, made, int(rng.integers(1, 4)))
        models.append(writer.model(product, reference, PROVINCES[writer.pick(PROVINCES)], lines))
    return models


_SHAPES: dict[str, Callable[[int, int], list[ProductModel]]] = {
    "tiered": _tiered,
    "uniform": _uniform,
}


def network(shape: str, size: int, seed: int = 0) -> list[ProductModel]:
    """The product models of a ``shape`` network (``tiered`` or ``uniform``) of ``size``."""
    try:
        make = _SHAPES[shape]
    except KeyError:
        raise ValueError(f"unknown shape {shape!r}: use one of {', '.join(SHAPES)}") from None
    return make(size, seed)


def single_product(lines: int = 50, seed: int = 0) -> ProductModel:
    """One cradle-to-grave product with ``lines`` uncertain direct-emission lines."""
    writer = _Writer(seed)
    product = _Product("SINGLE", "single product", _TONNE, 1.0, Stage.PRODUCTION)
    reference, made = writer.output(product.declared)
    stages = tuple(Stage)
    written = [
        writer.factor_line(
            _DIRECT[k % len(_DIRECT)],
            _DIRECT[k % len(_DIRECT)].typical * float(writer.rng.lognormal(0.0, 0.5)),
            made,
            stages[k % len(stages)],
        )
        for k in range(lines)
    ]
    return writer.model(product, reference, "CN-GZ", written, Boundary.CRADLE_TO_GRAVE)
