"""The name and title of a newly published version (factor sets, grading benchmarks): a
published version never changes, so a name is taken for good, whatever its letter case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tanzuji.errors import Conflict, InvalidInput

__all__ = ["VERSION_NAME", "check_new_version"]

VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""A letter or digit, then letters, digits and ``. _ -``: at most 64 characters."""


def check_new_version(
    version: str, title: str, taken: Iterable[str], *, what: str, example: str
) -> str:
    """The stripped ``title`` of a new ``version`` of ``what`` (e.g. ``factor set``), or
    :class:`InvalidInput` for a malformed name or title, :class:`Conflict` for a name in
    ``taken`` (compared without letter case)."""
    if not VERSION_NAME.match(version):
        raise InvalidInput(
            "a version starts with a letter or digit and holds letters, digits and . _ - "
            f"(at most 64), e.g. {example}",
            field="version",
        )
    clash = next((name for name in taken if name.casefold() == version.casefold()), None)
    if clash is not None:
        raise Conflict(
            f"{what} {clash} exists already; a published version never changes: "
            "choose a new version name",
            field="version",
        )
    title = title.strip()
    if not title or len(title) > 200:
        raise InvalidInput("give the version a title (at most 200 characters)", field="title")
    return title
