"""Product category rules (产品碳足迹核算规则) as data.

A :class:`Rule` says, for one product category, what a footprint covers (declared
unit, boundaries, stages), which activity data an enterprise must enter
(:class:`RuleInput`: unit, required or not, primary data or not, a plausible
range, help in Chinese and English), and how those inputs become the activity
lines of a :class:`~tanzuji.model.ProductModel` (:class:`RuleLine`: an amount
formula over the inputs and constants, the stage, and a factor, an activity to
look up, an upstream product or a gas released directly).

Rules follow GB/T 24067-2024 and name the sector standard they draw on; where no
published product rule exists for a product, :attr:`Rule.basis` says so and
names the GHG accounting standards the rule rests on instead.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from tanzuji import units
from tanzuji.errors import FormulaError
from tanzuji.model.product import TARGETS, check_target
from tanzuji.model.stages import Boundary, Stage
from tanzuji.records import Record
from tanzuji.rules.formula import RESERVED, Formula
from tanzuji.uncertainty import Distribution
from tanzuji.units import UnitText

__all__ = [
    "Constant",
    "CutOffRule",
    "Rule",
    "RuleAllocation",
    "RuleCoProduct",
    "RuleInput",
    "RuleLine",
    "SectorStandard",
]

_NAME = r"^[a-z][a-z0-9_]*$"


class SectorStandard(Record):
    """A standard or guideline a rule draws on, e.g. T/CTSS 90-2024."""

    code: str = Field(min_length=1, description="e.g. 'T/CTSS 90-2024' or 'GB/T 32151.x'")
    title: str = Field(min_length=1, description="title as published")
    issuer: str = ""
    year: int | None = Field(None, ge=1990, le=2100)
    kind: Literal["national", "industry", "group", "local", "international", "guideline"]
    seen: bool = Field(
        False, description="whether the project has read the document itself (not a summary)"
    )


class RuleInput(Record):
    """One piece of activity data a rule asks for."""

    name: str = Field(pattern=_NAME, description="stable name used in data files and formulas")
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    unit: UnitText = Field(
        description="the unit the rule expects (any compatible unit is accepted)"
    )
    required: bool = True
    required_with: list[str] = Field(
        default_factory=list,
        description="inputs that, when given, make this one required (e.g. a supplier "
        "footprint with the amount it is for), where the boundary counts it",
    )
    primary_required: bool = Field(False, description="must be measured at the site")
    low: float | None = Field(None, description="plausible lower bound, in unit")
    high: float | None = Field(None, description="plausible upper bound, in unit")
    per_output: bool = Field(
        False, description="low and high are per unit of the output (e.g. kWh per kg of tea)"
    )
    help_zh: str = ""
    help_en: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> RuleInput:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"input {self.name}: low {self.low} is above high {self.high}")
        return self


class Constant(Record):
    """A fixed number a formula uses, with its unit and where it comes from."""

    name: str = Field(pattern=_NAME)
    value: float
    unit: UnitText = Field("dimensionless", description="unit, or 'dimensionless'")
    source: str = Field(min_length=1, description="publication, table, year")


class RuleLine(Record):
    """How inputs become one activity line of the product model.

    A line applies when at least one input of its formula is given (missing
    optional inputs count as zero), all of ``requires`` are given and none of
    ``unless`` is: so a rule can compute calcination CO2 from the clinker's
    CaO content when the plant measured it, and use a default factor otherwise.
    """

    id: str = Field(pattern=_NAME, description="stable id, e.g. to exclude it under cut-off")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    stage: Stage
    amount: str = Field(min_length=1, description="formula over inputs and constants")
    unit: UnitText = Field(description="unit of the amount")
    factor: str | None = None
    activity: str | None = None
    product: str | None = None
    emission: str | None = Field(None, description="a gas released directly, e.g. CO2")
    requires: list[str] = Field(
        default_factory=list, description="inputs that must all be given for the line to apply"
    )
    unless: list[str] = Field(
        default_factory=list, description="inputs whose presence makes the line not apply"
    )
    may_be_negative: bool = False
    uncertainty: Distribution | None = Field(
        None, description="of the amount when its inputs give none (e.g. of a formula)"
    )
    source: str = Field("", description="where the formula comes from")

    def target(self) -> dict[str, str]:
        """What the amount is multiplied by, e.g. ``{"factor": "FUEL-DIESEL"}``."""
        return {key: value for key in TARGETS if (value := getattr(self, key)) is not None}

    @model_validator(mode="after")
    def _one_target(self) -> RuleLine:
        check_target(self.id, self.target(), self.unit)
        try:
            Formula.parse(self.amount, self.unit)
        except FormulaError as exc:
            raise ValueError(str(exc)) from exc
        return self


class RuleCoProduct(Record):
    """Another output of the process, its amount taken from an input."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="appended to the product id")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    amount: str = Field(pattern=_NAME, description="the input holding how much was made")
    optional: bool = Field(
        False,
        description="a plant may not make it: when its amount is zero or not given, the "
        "co-product and its share of the allocation are left out",
    )


class RuleAllocation(Record):
    """How the rule splits burdens between the product (``main``) and its co-products.

    ``basis`` maps ``main`` and each co-product id to a formula giving that output's
    whole basis over the period in ``basis_unit``, e.g. ``coke * coke_price`` in CNY.
    """

    method: Literal["physical", "economic"]
    basis: dict[str, str] = Field(min_length=2)
    basis_unit: UnitText = Field(description="unit of each output's whole basis, e.g. CNY or GJ")
    source: str = Field("", description="why this basis")

    @field_validator("basis_unit")
    @classmethod
    def _whole(cls, value: str) -> str:
        if "/" in value:
            raise ValueError(
                f"basis_unit {value!r} is the unit of each output's whole basis "
                "over the period (e.g. CNY), not a per-unit rate"
            )
        return value


class CutOffRule(Record):
    """The rule's cut-off criteria (fractions, not per cent).

    GB/T 24067-2024 and ISO 14067 ask that cut-off criteria be stated; they set no numbers.
    The defaults, 1 % for a single line and 5 % in total, are those GB/T 44905-2024 sets
    for electrolytic aluminium (see shared/reference/standards-cn.md), used by tanzuji until a
    product's own rule says otherwise.
    """

    single_flow: float = Field(0.01, ge=0, le=1, description="largest share of one left-out line")
    total: float = Field(0.05, ge=0, le=1, description="largest share of all left-out lines")
    basis: str = Field("GHG emissions", description="what the shares are of")


class Rule(Record):
    """A versioned product category rule."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="category id, e.g. tea-green")
    version: str = Field(pattern=r"^[0-9]{4}\.[0-9]+$", description="e.g. 2026.1")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    standard: str = Field("GB/T 24067-2024", description="the general standard followed")
    sector_standards: list[SectorStandard] = Field(default_factory=list)
    basis_zh: str = Field(min_length=1, description="方法依据（无产品标准时说明）")
    basis_en: str = Field(min_length=1, description="what the method rests on")
    declared_unit: str = Field(description="e.g. '1 kg green tea'")
    output: str = Field(description="the input that holds how much was made")
    boundary: Boundary = Field(description="the default boundary")
    boundaries: list[Boundary] = Field(min_length=1, description="boundaries allowed")
    required_stages: list[Stage] = Field(min_length=1)
    inputs: list[RuleInput] = Field(min_length=1)
    constants: list[Constant] = Field(default_factory=list)
    lines: list[RuleLine] = Field(min_length=1)
    co_products: list[RuleCoProduct] = Field(default_factory=list)
    allocation: RuleAllocation | None = None
    cut_off: CutOffRule = Field(default_factory=CutOffRule)
    sources: list[str] = Field(min_length=1, description="every publication the rule uses")

    @property
    def key(self) -> str:
        """``id@version``, as footprints record it."""
        return f"{self.id}@{self.version}"

    def input(self, name: str) -> RuleInput:
        """The input called ``name``."""
        return next(i for i in self.inputs if i.name == name)

    def _check_co_products(self, names: set[str]) -> None:
        outputs = {"main"} | {c.id for c in self.co_products}
        for co_product in self.co_products:
            if co_product.amount not in {i.name for i in self.inputs}:
                raise ValueError(
                    f"co-product {co_product.id}: {co_product.amount!r} is not an input"
                )
            if not co_product.optional and not self.input(co_product.amount).required:
                raise ValueError(
                    f"co-product {co_product.id}: input {co_product.amount!r} must be required "
                    "(or the co-product optional)"
                )
        if bool(self.co_products) != (self.allocation is not None):
            raise ValueError("co-products and an allocation go together")
        if self.allocation is not None:
            if set(self.allocation.basis) != outputs:
                raise ValueError(f"allocation basis must name exactly {', '.join(sorted(outputs))}")
            for output, text in self.allocation.basis.items():
                unknown = sorted(self.allocation_formula(output).names - names)
                if unknown:
                    raise ValueError(
                        f"allocation basis of {output} ({text!r}) uses "
                        f"{', '.join(unknown)}, which are neither inputs nor "
                        "constants"
                    )

    def allocation_formula(self, output: str) -> Formula:
        """The parsed basis formula of ``output`` (``main`` or a co-product id)."""
        assert self.allocation is not None
        return Formula.parse(
            self.allocation.basis[output], self.allocation.basis_unit, rule=self.key
        )

    def applies(self, line: RuleLine, given: set[str], boundary: Boundary) -> bool:
        """Whether ``line`` applies to data that gives the inputs ``given``, within
        ``boundary``."""
        inputs = {i.name for i in self.inputs}
        used = self.formula(line).names & inputs
        return (
            line.stage in boundary.stages
            and bool(used & given)
            and set(line.requires) <= given
            and not set(line.unless) & given
        )

    def inputs_within(self, boundary: Boundary) -> frozenset[str]:
        """The inputs that count within ``boundary``: used by a line of a stage it takes in,
        or by the allocation. An input only counted outside it (a supplier's footprint under
        gate-to-gate) is never required there."""
        used: set[str] = {self.output}
        for line in self.lines:
            if line.stage in boundary.stages:
                used |= self.formula(line).names | set(line.requires)
        if self.allocation is not None:
            for output in self.allocation.basis:
                used |= self.allocation_formula(output).names
            used |= {c.amount for c in self.co_products}
        return frozenset(used & {spec.name for spec in self.inputs})

    def formula(self, line: RuleLine) -> Formula:
        """The parsed amount formula of ``line``."""
        return Formula.parse(
            line.amount, line.unit, rule=self.key, may_be_negative=line.may_be_negative
        )

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        names = [i.name for i in self.inputs] + [c.name for c in self.constants]
        reserved = sorted(set(names) & RESERVED)
        if reserved:
            raise ValueError(f"{', '.join(reserved)} name formula functions; rename the input")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"names used twice among inputs and constants: {repeated}")
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise ValueError(f"line ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
        if self.output not in names[: len(self.inputs)]:
            raise ValueError(f"output {self.output!r} is not one of the inputs")
        if not self.input(self.output).required:
            raise ValueError(f"the output input {self.output!r} must be required")
        declared = re.match(r"^\s*[0-9.]+\s*(\S+)", self.declared_unit)
        if declared is None:
            raise ValueError(f"declared_unit {self.declared_unit!r} must read '<amount> <unit> …'")
        units.conversion_factor(
            self.input(self.output).unit,
            declared.group(1),
            where="the output input vs the declared unit",
        )
        self._check_co_products(set(names))
        inputs = set(names[: len(self.inputs)])
        for spec in self.inputs:
            unknown = sorted(set(spec.required_with) - inputs)
            if unknown:
                raise ValueError(f"input {spec.name}: required_with names no input: {unknown}")
        if self.boundary not in self.boundaries:
            raise ValueError(f"the default boundary {self.boundary} is not among the allowed")
        covered = set().union(*(b.stages for b in self.boundaries))
        for line in self.lines:
            if line.stage not in covered:
                raise ValueError(f"line {line.id}: stage {line.stage} is outside every boundary")
            unknown = sorted(
                (self.formula(line).names | set(line.requires) | set(line.unless)) - set(names)
            )
            if unknown:
                raise ValueError(
                    f"line {line.id}: {', '.join(unknown)} (in amount, requires or unless) "
                    "are neither inputs nor constants"
                )
        return self
