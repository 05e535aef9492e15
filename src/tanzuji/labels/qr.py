"""The QR code of a label, drawn as one SVG path.

The code is made by ``segno`` (ISO/IEC 18004) with error correction level Q (25 % of the
code words can be restored: a label may be scuffed or partly covered) and never boosted or
lowered, and it keeps the standard's quiet zone of four modules on every side (ISO/IEC 18004
§6.3.8), drawn white so that a label on a dark package still scans.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

__all__ = ["QUIET_ZONE", "QrCode", "qr_code"]

QUIET_ZONE = 4
"""Modules of white margin on every side (ISO/IEC 18004's minimum for QR codes)."""


@dataclass(frozen=True)
class QrCode:
    """A QR code as an SVG path in module units: ``size`` modules square including the quiet
    zone, each dark module a unit square of ``path``."""

    text: str
    version: int
    error: str
    size: int
    path: str


def qr_code(text: str) -> QrCode:
    """The QR code of ``text`` at error correction level Q, as one path of horizontal runs.

    >>> code = qr_code("https://example.cn/v/GZ-PCF-2026-000001")
    >>> code.error, code.size == 17 + 4 * code.version + 2 * QUIET_ZONE
    ('Q', True)
    """
    symbol = segno.make(text, error="q", boost_error=False, micro=False)
    runs: list[str] = []
    for y, modules in enumerate(symbol.matrix_iter(scale=1, border=QUIET_ZONE)):
        row = tuple(modules)
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    width, _height = symbol.symbol_size(scale=1, border=QUIET_ZONE)
    return QrCode(
        text=text,
        version=int(symbol.version),
        error=str(symbol.error),
        size=int(width),
        path="".join(runs),
    )
