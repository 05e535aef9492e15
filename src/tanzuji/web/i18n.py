"""Languages of the pages: Chinese by default, English by a switch that is remembered.

Every string of the pages is written in English in the templates and the page code, and
translated through one gettext catalogue per language (the ``.po`` files of
``web/locale/<lang>/LC_MESSAGES/``, read with Babel; ``make messages`` extracts new strings).
Numbers and dates are formatted for the locale; units are always shown beside numbers.
"""

from __future__ import annotations

import datetime
import gettext
import zoneinfo
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from fastapi import Request

__all__ = ["LANGUAGES", "LANGUAGE_COOKIE", "Catalogue", "Locale", "language_of"]

LANGUAGES = {"zh": "zh_Hans_CN", "en": "en_GB"}
"""The page languages and the Babel locale each formats numbers and dates with."""
LANGUAGE_COOKIE = "tanzuji_lang"
_LOCALE_DIR = Path(__file__).parent / "locale"
_CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def language_of(request: Request) -> str:
    """The language a request asks for: ``?lang=``, then the remembered choice, else zh."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return "zh"


class Catalogue(gettext.NullTranslations):
    """The translations of one ``.po`` file, read directly (no compiled ``.mo`` needed)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


@cache
def _catalogue(language: str) -> Catalogue:
    """Every ``.po`` file of the language merged (``messages.po`` and one per page group)."""
    messages: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=LANGUAGES[language])
        messages.update(
            {
                str(message.id): str(message.string)
                for message in catalog
                if message.id and message.string and not message.fuzzy
            }
        )
    return Catalogue(messages)


class Locale:
    """The translation and formatting of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.babel = LANGUAGES[language]
        self.translations = _catalogue(language)

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in this language, with ``{name}`` placeholders filled."""
        text = self.translations.gettext(message)
        return text.format(**values) if values else text

    def number(self, value: float | None, digits: int = 4) -> str:
        """A number with ``digits`` significant digits, grouped for the locale ('—' for none)."""
        if value is None:
            return "—"
        magnitude = abs(value)
        decimals = 0 if magnitude >= 10 ** (digits - 1) else max(0, digits - 1 - _order(magnitude))
        # without decimal_quantization=False Babel cuts every number to three decimals
        return format_decimal(round(value, decimals), locale=self.babel, decimal_quantization=False)

    def datetime(self, value: datetime.datetime | None) -> str:
        """A point in time in China Standard Time, in the locale's medium format."""
        if value is None:
            return "—"
        return format_datetime(value, "medium", tzinfo=_CHINA, locale=self.babel)


def _order(magnitude: float) -> int:
    if magnitude == 0:
        return 0
    order = 0
    while magnitude >= 10:
        magnitude /= 10
        order += 1
    while magnitude < 1:
        magnitude *= 10
        order -= 1
    return order
