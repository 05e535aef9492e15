"""The unified social credit code (统一社会信用代码) of Chinese organizations, GB 32100-2015.

Eighteen characters: registration authority (1), organization category (1),
administrative division of the registering authority (6), the organization's
subject code (9) and a check character (1). Characters come from the 31-symbol
set ``0-9`` and ``A-Z`` without ``I O S V Z``; the check character is
``31 − (Σ Cᵢ·Wᵢ mod 31)`` (31 written as ``0``) with weights ``Wᵢ = 3^(i−1) mod 31``.

The standard's own worked example: the first 17 characters ``91350100M000100Y4``
weigh 1,640; 1,640 mod 31 = 28; 31 − 28 = 3, so the code is ``91350100M000100Y43``.

>>> check_character("91350100M000100Y4")
'3'
>>> validate_uscc("91350100m000100y43")
'91350100M000100Y43'
"""

from __future__ import annotations

__all__ = ["CHARACTERS", "check_character", "validate_uscc"]

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The code's character set, in order of value (GB 32100-2015, table 1)."""
_VALUE = {character: value for value, character in enumerate(CHARACTERS)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def check_character(first17: str) -> str:
    """The check character of the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError(f"give the first 17 characters, not {len(first17)}")
    bad = sorted({c for c in first17 if c not in _VALUE})
    if bad:
        raise ValueError(
            f"{', '.join(map(repr, bad))} cannot appear in a unified social credit code "
            "(digits and capital letters except I, O, S, V, Z)"
        )
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARACTERS[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """``code`` made canonical (upper case, no spaces), or ``ValueError`` saying what is wrong."""
    canonical = code.strip().upper().replace(" ", "")
    if len(canonical) != 18:
        raise ValueError(f"a unified social credit code has 18 characters, not {len(canonical)}")
    expected = check_character(canonical[:17])
    if canonical[17] != expected:
        raise ValueError(
            f"check character is {canonical[17]!r} but the first 17 characters give "
            f"{expected!r} (GB 32100-2015): the code is mistyped"
        )
    return canonical
