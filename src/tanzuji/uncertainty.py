"""Uncertainty distributions of factors and activity amounts, and their sampling.

Every distribution is stated *relative to the deterministic value*, as a
multiplier around 1. A relative statement survives unit conversion (an
electricity amount with a geometric standard deviation of 1.05 keeps it
whether it is written in kWh or MWh) and applies unchanged to a factor given
as several gases.

=============  ===========================  =======================================
kind           parameters                   the deterministic value is …
=============  ===========================  =======================================
lognormal      ``gsd`` ≥ 1 (geometric       the median (geometric mean), as in the
               standard deviation)          ecoinvent pedigree approach
normal         ``sd`` ≥ 0 (relative         the mean (draws below zero are set
               standard deviation)          to zero: amounts never turn negative)
triangular     ``low`` ≤ 1 ≤ ``high``       the mode
uniform        ``low`` ≤ 1 ≤ ``high``       inside the range
=============  ===========================  =======================================

A 95 % interval of a lognormal amount is value / gsd² … value × gsd².
:class:`SamplingPlan` draws the multipliers of many uncertain numbers at once,
one NumPy call per kind of distribution, never a Python loop per number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, TypeAdapter, model_validator

from tanzuji.records import Record

__all__ = [
    "Distribution",
    "Lognormal",
    "Normal",
    "SamplingPlan",
    "Triangular",
    "Uniform",
    "format_distribution",
    "parse_distribution",
]


class Lognormal(Record):
    """Lognormal multiplier with median 1 and geometric standard deviation ``gsd``."""

    kind: Literal["lognormal"] = "lognormal"
    gsd: float = Field(ge=1.0, description="geometric standard deviation (dimensionless, ≥ 1)")


class Normal(Record):
    """Normal multiplier with mean 1 and relative standard deviation ``sd``."""

    kind: Literal["normal"] = "normal"
    sd: float = Field(ge=0.0, description="standard deviation relative to the value (0.1 = 10 %)")


class _Range(Record):
    low: float = Field(ge=0.0, description="lowest multiplier of the value (e.g. 0.8)")
    high: float = Field(description="highest multiplier of the value (e.g. 1.3)")

    @model_validator(mode="after")
    def _around_one(self) -> _Range:
        if not self.low <= 1.0 <= self.high:
            raise ValueError(
                f"low ({self.low}) and high ({self.high}) are multipliers of the value and "
                "must satisfy low ≤ 1 ≤ high"
            )
        return self


class Triangular(_Range):
    """Triangular multiplier between ``low`` and ``high`` with its mode at 1."""

    kind: Literal["triangular"] = "triangular"


class Uniform(_Range):
    """Uniform multiplier between ``low`` and ``high``."""

    kind: Literal["uniform"] = "uniform"


Distribution = Annotated[Lognormal | Normal | Triangular | Uniform, Field(discriminator="kind")]

_DISTRIBUTION: TypeAdapter[Lognormal | Normal | Triangular | Uniform] = TypeAdapter(Distribution)
_WRITTEN = re.compile(r"^\s*(?P<kind>[a-z]+)(?P<params>(?:\s+\w+\s*=\s*[^\s=]+)*)\s*$")
_PARAMETER = re.compile(r"(\w+)\s*=\s*([^\s=]+)")


def parse_distribution(text: str) -> Lognormal | Normal | Triangular | Uniform:
    """A distribution written in a table cell, e.g. ``lognormal gsd=1.1``.

    >>> parse_distribution("uniform low=0.9 high=1.2")
    Uniform(low=0.9, high=1.2, kind='uniform')
    """
    match = _WRITTEN.match(text)
    if match is None:
        raise ValueError("write e.g. 'lognormal gsd=1.1' or 'uniform low=0.9 high=1.1'")
    params: dict[str, object] = {"kind": match["kind"]}
    for key, value in _PARAMETER.findall(match["params"]):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{key} must be a finite number")
        params[key] = number
    return _DISTRIBUTION.validate_python(params)


def format_distribution(distribution: Lognormal | Normal | Triangular | Uniform | None) -> str:
    """The cell text :func:`parse_distribution` reads back ('' for none)."""
    if distribution is None:
        return ""
    fields = distribution.model_dump(exclude={"kind"})
    return " ".join([distribution.kind] + [f"{k}={v:g}" for k, v in fields.items()])


class SamplingPlan:
    """Draws multipliers for a fixed list of uncertain numbers, all at once.

    ``SamplingPlan([Lognormal(gsd=1.1), None, Uniform(low=.9, high=1.2)])``
    samples three numbers; the second is certain and always gets 1.
    """

    def __init__(
        self, distributions: Sequence[Lognormal | Normal | Triangular | Uniform | None]
    ) -> None:
        self.size = len(distributions)

        def indices(kind: type[Record]) -> npt.NDArray[np.intp]:
            return np.array(
                [i for i, d in enumerate(distributions) if isinstance(d, kind)], dtype=np.intp
            )

        self._lognormal = indices(Lognormal)
        self._sigma = np.log([d.gsd for d in distributions if isinstance(d, Lognormal)])
        self._normal = indices(Normal)
        self._sd = np.array([d.sd for d in distributions if isinstance(d, Normal)])
        self._triangular = indices(Triangular)
        self._tri = np.array(
            [(d.low, d.high) for d in distributions if isinstance(d, Triangular)]
        ).reshape(-1, 2)
        self._uniform = indices(Uniform)
        self._uni = np.array(
            [(d.low, d.high) for d in distributions if isinstance(d, Uniform)]
        ).reshape(-1, 2)

    @property
    def uncertain(self) -> npt.NDArray[np.intp]:
        """Positions of the numbers that have a distribution."""
        return np.sort(
            np.concatenate([self._lognormal, self._normal, self._triangular, self._uniform])
        )

    def sample(self, rng: np.random.Generator, iterations: int) -> npt.NDArray[np.float64]:
        """An ``(iterations, size)`` array of multipliers (1 for certain numbers)."""
        out = np.ones((iterations, self.size))
        shape = (iterations,)
        if self._lognormal.size:
            out[:, self._lognormal] = np.exp(
                rng.standard_normal(shape + self._lognormal.shape) * self._sigma
            )
        if self._normal.size:
            draws = 1.0 + rng.standard_normal(shape + self._normal.shape) * self._sd
            out[:, self._normal] = np.maximum(draws, 0.0)
        if self._triangular.size:
            low, high = self._tri[:, 0], self._tri[:, 1]
            # numpy's triangular rejects a zero-width range; such a number is certain.
            width = high > low
            draws = np.ones(shape + self._triangular.shape)
            if width.any():
                draws[:, width] = rng.triangular(
                    low[width], 1.0, high[width], size=(*shape, int(width.sum()))
                )
            out[:, self._triangular] = draws
        if self._uniform.size:
            out[:, self._uniform] = rng.uniform(
                self._uni[:, 0], self._uni[:, 1], size=shape + self._uniform.shape
            )
        return out
