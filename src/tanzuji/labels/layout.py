"""Fitting a line of label text into its box without a font at hand.

An SVG label is drawn by whatever renders it (CairoSVG, a browser, a print shop's RIP), so its
text cannot be measured when it is written. Widths are estimated from the characters instead,
in ems of a sans-serif face such as Noto Sans CJK SC: a CJK ideograph or full-width form is one
em, a capital 0.66, anything else 0.56 and a space 0.3; the estimate errs wide so that real text
fits. Text too wide for its box wraps (after spaces and slashes for Latin text and URLs,
anywhere between ideographs)
and shrinks step by step down to a smallest size; what still does not fit ends in "…".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["FittedText", "fit_text", "text_width"]

SHRINK = 0.92
"""Each step of shrinking multiplies the font size by this."""


def _em(character: str) -> float:
    if character == " ":
        return 0.3
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return 1.0
    return 0.66 if character.isupper() else 0.56


def text_width(text: str, size: float) -> float:
    """The estimated width of ``text`` at font ``size`` (in the unit of ``size``).

    >>> text_width("碳足迹", 4.0), round(text_width("kg", 4.0), 2)
    (12.0, 4.48)
    """
    return sum(_em(character) for character in text) * size


@dataclass(frozen=True)
class FittedText:
    """Lines of text and the font size they fit at."""

    lines: tuple[str, ...]
    size: float


def _pieces(text: str) -> list[str]:
    """Where a line may break: after a space or a slash, and around every wide character."""
    pieces: list[str] = []
    word = ""
    for character in text:
        if unicodedata.east_asian_width(character) in ("W", "F"):
            if word:
                pieces.append(word)
                word = ""
            pieces.append(character)
        elif character in " /":
            pieces.append(word + character)
            word = ""
        else:
            word += character
    if word:
        pieces.append(word)
    return pieces


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if line and text_width((line + piece).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _truncate(line: str, width: float, size: float) -> str:
    while line and text_width(line + "…", size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def fit_text(
    text: str, width: float, size: float, *, max_lines: int = 1, min_size: float | None = None
) -> FittedText:
    """``text`` wrapped into at most ``max_lines`` lines no wider than ``width``, at the
    largest font size from ``size`` down to ``min_size`` (default: 70 % of ``size``) where it
    fits; at the smallest size, the last line is cut short with "…".

    >>> fit_text("Green tea", 40.0, 4.0)
    FittedText(lines=('Green tea',), size=4.0)
    >>> fit_text("都匀毛尖特级绿茶", 20.0, 4.0, max_lines=2).lines
    ('都匀毛尖特', '级绿茶')
    """
    if not text.strip():
        return FittedText((), size)
    smallest = size * 0.7 if min_size is None else min_size
    current = size
    while True:
        lines = _wrap(" ".join(text.split()), width, current)
        fits = all(text_width(line, current) <= width for line in lines)
        if len(lines) <= max_lines and fits:
            return FittedText(tuple(lines), current)
        if current * SHRINK < smallest:
            break
        current *= SHRINK
    kept = lines[:max_lines]
    overflow = len(lines) > max_lines or text_width(kept[-1], current) > width
    if overflow:
        kept[-1] = _truncate(kept[-1], width, current)
    return FittedText(tuple(kept), current)
