"""Names kept in Chinese and English (products, organizations, rules): which one to show.

Chinese is the name of record; the English one may be empty, and then the Chinese name
stands in for it.

>>> in_language("贵州绿茶", "Guizhou green tea", "en")
'Guizhou green tea'
>>> in_language("贵州绿茶", "", "en")
'贵州绿茶'
>>> in_language("贵州绿茶", "Guizhou green tea", "zh")
'贵州绿茶'
"""

from __future__ import annotations

__all__ = ["in_language"]


def in_language(name_zh: str, name_en: str, language: str) -> str:
    """The name to show in ``language`` (``zh`` or ``en``): the English one if asked for and
    given, else the Chinese one."""
    if language == "en" and name_en.strip():
        return name_en
    return name_zh
