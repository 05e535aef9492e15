"""Units of measure for product carbon footprint work: one pint registry.

Everything that carries a number in tanzuji carries its unit as a string that
this registry understands: activity amounts (``kWh``, ``t``, ``t*km``,
``Nm3``), declared units (``1 kg`` of tea), factor reference units and
emission amounts (``kgCO2e``).

Besides pint's SI definitions the registry knows:

* ``t`` (tonne; ``ton`` is the tonne too, never the US short ton, and ``kt`` is a
  kilotonne, not a knot), ``t*km`` / ``tkm`` (freight work), ``piece``;
* ``kgce`` / ``tce``, kilogram and tonne of standard coal equivalent (标准煤),
  1 kgce = 29.3076 MJ (GB/T 2589-2020);
* ``Nm3``, the normal cubic metre of gas (0 °C, 101.325 kPa). It is a
  dimension of its own, so it is never silently converted to ``m3`` at some
  other temperature;
* ``kgCO2e`` / ``tCO2e`` / ``gCO2e``, a dimension of its own so that an
  amount of CO2 equivalent can never be added to a mass of product;
* currencies ``CNY`` (``yuan``), ``USD`` and ``EUR`` for economic allocation,
  each its own dimension (exchange rates are not the registry's business);
* the Chinese words enterprises write in their records: 吨 (t), 千克 and
  公斤 (kg), 万吨 (10⁴ t), 度 and 千瓦时 (kWh), 万千瓦时 (10⁴ kWh), 吨标准煤 (tce),
  个 and 件 (piece), 升 (L), 万元 (10⁴ CNY), 元 (CNY), 立方米 (m3).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

import pint
from pydantic import AfterValidator, Field

from tanzuji.errors import UnitMismatch, UnknownUnit
from tanzuji.records import Record

__all__ = [
    "DeclaredUnit",
    "UnitText",
    "conversion_factor",
    "convert",
    "dimensionality",
    "is_compatible",
    "normalize_unit",
    "ureg",
]

# "ton" and "kt" are redefined on purpose (pint's are the US short ton and the knot);
# on_redefinition="ignore" lets those two definitions take effect without a warning.
ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(cache_folder=None, on_redefinition="ignore")
ureg.define("ton = tonne = tons")
ureg.define("kilotonne = 1000 * tonne = kt")
ureg.define("wan_tonne = 10000 * tonne")
ureg.define("kilogram_coal_equivalent = 29.3076 * megajoule = kgce")
ureg.define("tonne_coal_equivalent = 1000 * kgce = tce")
ureg.define("wan_tce = 10000 * tce")
ureg.define("wan_kWh = 10000 * kWh")
ureg.define("tonne_kilometre = tonne * kilometer = tkm")
ureg.define("piece = [item] = pc = pcs = unit_item")
ureg.define("normal_cubic_meter = [normal_gas_volume] = Nm3 = Nm³")
ureg.define("kilogram_CO2_equivalent = [co2_equivalent] = kgCO2e = kg_CO2e")
ureg.define("tonne_CO2_equivalent = 1000 * kgCO2e = tCO2e = t_CO2e")
ureg.define("gram_CO2_equivalent = 0.001 * kgCO2e = gCO2e = g_CO2e")
ureg.define("CNY = [currency_CNY] = yuan = RMB")
ureg.define("wan_yuan = 10000 * CNY")
ureg.define("USD = [currency_USD]")
ureg.define("EUR = [currency_EUR]")

_CHINESE_WORDS = {
    "万吨标准煤": "wan_tce",
    "吨标准煤": "tce",
    "吨标煤": "tce",
    "万千瓦时": "wan_kWh",
    "万吨": "wan_tonne",
    "万元": "wan_yuan",
    "吨": "t",
    "千克": "kg",
    "公斤": "kg",
    "克": "g",
    "度": "kWh",
    "千瓦时": "kWh",
    "兆瓦时": "MWh",
    "个": "piece",
    "件": "piece",
    "升": "L",
    "立方米": "m**3",
    "元": "CNY",
}
_CHINESE = re.compile("|".join(sorted(_CHINESE_WORDS, key=len, reverse=True)))
_SYMBOLS = {"·": "*", "×": "*", "⋅": "*", "m³": "m**3", "m²": "m**2", "²": "**2", "³": "**3"}
_SYMBOL = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))


_POWER = re.compile(r"\b([kcdm]?m)([23])\b")


def normalize_unit(text: str) -> str:
    """Rewrite a unit as written by people into pint's syntax.

    ``"t·km"`` becomes ``"t*km"``, ``"m³"`` and ``"m3"`` become ``"m**3"``,
    ``"吨"`` becomes ``"t"``. Pure text work; the result is not checked here.
    """
    text = _CHINESE.sub(lambda m: _CHINESE_WORDS[m.group(0)], text.strip())
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(0)], text)
    return _POWER.sub(r"\1**\2", text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> pint.Unit:
    if not text.strip():
        raise UnknownUnit("the unit is empty: write a unit such as kg, kWh or t*km")
    try:
        parsed = ureg.parse_units(normalize_unit(text))
    except Exception as exc:  # pint's parser raises many types (tokenize, assertion, zero)
        raise UnknownUnit(
            f"unknown unit {text!r}: use a unit such as kg, t, kWh, MJ, m3, Nm3, L, t*km, "
            "piece or kgCO2e"
        ) from exc
    return parsed


def dimensionality(unit: str) -> str:
    """The physical dimension of ``unit`` as text, e.g. ``'[mass]'`` for ``'t'``."""
    return str(_parse(unit).dimensionality)


def _known(unit: str) -> str:
    _parse(unit)
    return unit


UnitText = Annotated[str, AfterValidator(_known)]
"""A unit symbol the registry knows, as a pydantic field type (e.g. ``unit: UnitText``)."""


def is_compatible(unit_a: str, unit_b: str) -> bool:
    """Whether an amount in ``unit_a`` can be expressed in ``unit_b``."""
    return _parse(unit_a).dimensionality == _parse(unit_b).dimensionality


@lru_cache(maxsize=16384)
def _factor(from_unit: str, to_unit: str) -> float:
    source, target = _parse(from_unit), _parse(to_unit)
    if source.dimensionality != target.dimensionality:
        raise UnitMismatch(f"cannot convert {from_unit} to {to_unit}")
    return float(ureg.Quantity(1.0, source).to(target).magnitude)


def conversion_factor(from_unit: str, to_unit: str, *, where: str = "") -> float:
    """The number that turns an amount in ``from_unit`` into ``to_unit``.

    ``conversion_factor("MWh", "kWh") == 1000.0``. Results are cached, so a
    network with 200,000 lines in a handful of units converts at dictionary
    speed. ``where`` names the place (e.g. ``"line 4 (electricity)"``) for the
    error raised when the two units measure different things.
    """
    try:
        return _factor(from_unit, to_unit)
    except UnitMismatch:
        place = f" on {where}" if where else ""
        raise UnitMismatch(
            f"cannot convert {from_unit} to {to_unit}{place}: {from_unit} measures "
            f"{dimensionality(from_unit)} but {to_unit} measures {dimensionality(to_unit)}; "
            f"give the amount in {to_unit} (or a unit of the same kind) or choose a factor "
            f"per {from_unit}"
        ) from None


def convert(amount: float, from_unit: str, to_unit: str, *, where: str = "") -> float:
    """``amount`` in ``from_unit`` expressed in ``to_unit`` (see :func:`conversion_factor`)."""
    return amount * conversion_factor(from_unit, to_unit, where=where)


_DECLARED = re.compile(
    r"^\s*(?P<amount>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*(?P<unit>\S+)"
    r"\s*(?P<description>.*?)\s*$"
)


class DeclaredUnit(Record):
    """The unit a footprint is expressed per: the declared unit (声明单位) of GB/T 24067-2024.

    ``DeclaredUnit.parse("1 t cement")`` gives amount 1, unit ``t`` and the
    description ``cement``; ``"1 kWh battery capacity"`` gives unit ``kWh``.
    """

    amount: float = Field(1.0, gt=0, description="how many units the footprint refers to")
    unit: UnitText = Field(description="unit symbol known to the registry, e.g. kg, t, kWh, piece")
    description: str = Field(
        "", description="what is measured, e.g. 'green tea' or 'battery capacity'"
    )

    @classmethod
    def parse(cls, text: str) -> DeclaredUnit:
        """Read ``"<amount> <unit> [description]"``, e.g. ``"1 kg green tea"``."""
        match = _DECLARED.match(text)
        if match is None:
            raise UnknownUnit(
                f"declared unit {text!r} must read '<amount> <unit> [what]', e.g. '1 kg green tea'"
            )
        return cls(
            amount=float(match["amount"]), unit=match["unit"], description=match["description"]
        )

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        return f"{amount} {self.unit} {self.description}".strip()

    def in_unit(self, unit: str, *, where: str = "") -> float:
        """How many ``unit`` one declared unit is (e.g. 1 t in kg is 1000)."""
        return convert(self.amount, self.unit, unit, where=where)


def coerce_declared_unit(value: Any) -> Any:
    """Accept ``"1 kg tea"`` wherever a :class:`DeclaredUnit` is expected."""
    if isinstance(value, str):
        return DeclaredUnit.parse(value)
    return value
