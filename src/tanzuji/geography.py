"""Geographies of emission factors and the order in which lookups fall back.

Codes are ISO 3166-1 alpha-2 countries (``CN``), ISO 3166-2 subdivisions
(``CN-GZ`` for Guizhou), ``GLO`` for the world, and China's six regional
power grids as the Ministry of Ecology and Environment (MEE) and the National
Bureau of Statistics group provinces in their electricity CO2 factor
announcements (2021–2023 factors, announced 2024–2025):

==================  ==========  =================================================
code                name        provinces
==================  ==========  =================================================
CN-NORTH-GRID       华北区域    Beijing, Tianjin, Hebei, Shanxi, Shandong, Inner
                                Mongolia (west; the east belongs to the Northeast)
CN-NORTHEAST-GRID   东北区域    Liaoning, Jilin, Heilongjiang
CN-EAST-GRID        华东区域    Shanghai, Jiangsu, Zhejiang, Anhui, Fujian
CN-CENTRAL-GRID     华中区域    Henan, Hubei, Hunan, Jiangxi, Sichuan, Chongqing
CN-NORTHWEST-GRID   西北区域    Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang
CN-SOUTH-GRID       南方区域    Guangdong, Guangxi, Yunnan, Guizhou, Hainan
==================  ==========  =================================================

A lookup for Guizhou tries ``CN-GZ``, then ``CN-SOUTH-GRID``, then ``CN``, then
``GLO`` (:func:`fallback_chain`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator

from tanzuji.errors import UnknownGeography

__all__ = [
    "GLOBAL",
    "GRID_REGIONS",
    "GeographyCode",
    "fallback_chain",
    "grid_region_of",
    "validate",
]

GLOBAL = "GLO"

GRID_REGIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "CN-NORTH-GRID": ("华北区域电网", "North China grid", ("BJ", "TJ", "HE", "SX", "SD", "NM")),
    "CN-NORTHEAST-GRID": ("东北区域电网", "Northeast China grid", ("LN", "JL", "HL")),
    "CN-EAST-GRID": ("华东区域电网", "East China grid", ("SH", "JS", "ZJ", "AH", "FJ")),
    "CN-CENTRAL-GRID": ("华中区域电网", "Central China grid", ("HA", "HB", "HN", "JX", "SC", "CQ")),
    "CN-NORTHWEST-GRID": ("西北区域电网", "Northwest China grid", ("SN", "GS", "QH", "NX", "XJ")),
    "CN-SOUTH-GRID": ("南方区域电网", "China Southern grid", ("GD", "GX", "YN", "GZ", "HI")),
}
"""Grid region code → (Chinese name, English name, member provinces' ISO 3166-2 suffixes)."""

_GRID_OF_PROVINCE = {
    f"CN-{province}": region
    for region, (_, _, provinces) in GRID_REGIONS.items()
    for province in provinces
}


def grid_region_of(code: str) -> str | None:
    """The regional grid a Chinese province belongs to, e.g. ``CN-SOUTH-GRID`` for ``CN-GZ``."""
    return _GRID_OF_PROVINCE.get(code)


@lru_cache(maxsize=1024)
def validate(code: str) -> str:
    """The canonical form of ``code`` (``cn-gz`` → ``CN-GZ``), or :class:`UnknownGeography`."""
    upper = code.strip().upper()
    if upper == GLOBAL or upper in GRID_REGIONS:
        return upper
    # pycountry ships no type annotations
    known = (
        pycountry.subdivisions.get(code=upper)  # type: ignore[no-untyped-call]
        if "-" in upper
        else pycountry.countries.get(alpha_2=upper)
    )
    if known is None or not upper:
        raise UnknownGeography(
            f"unknown geography {code!r}: use GLO, an ISO 3166-1 country code such as CN, "
            f"an ISO 3166-2 subdivision such as CN-GZ (Guizhou), or a grid region "
            f"({', '.join(GRID_REGIONS)})"
        )
    return upper


GeographyCode = Annotated[str, AfterValidator(validate)]
"""A geography code, made canonical, as a pydantic field type."""


@lru_cache(maxsize=1024)
def fallback_chain(code: str) -> tuple[str, ...]:
    """The geographies to try, most specific first, always ending in ``GLO``.

    >>> fallback_chain("CN-GZ")
    ('CN-GZ', 'CN-SOUTH-GRID', 'CN', 'GLO')
    """
    code = validate(code)
    if code == GLOBAL:
        return (GLOBAL,)
    if code in GRID_REGIONS:
        return (code, "CN", GLOBAL)
    chain = [code]
    if "-" in code:
        grid = grid_region_of(code)
        if grid is not None:
            chain.append(grid)
        chain.append(code.split("-", 1)[0])
    chain.append(GLOBAL)
    return tuple(chain)
