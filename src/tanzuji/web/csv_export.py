"""Tables as CSV downloads that spreadsheet programs open right: UTF-8 with a byte order mark
(so the Chinese names read right), CRLF line ends, and every cell made text safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi.responses import Response

__all__ = ["FORMULA_STARTS", "csv_response", "text_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet program read a cell as a formula (OWASP, "CSV injection")."""


def text_cell(text: str) -> str:
    """A text typed by a user (a name, a code) as a CSV cell that a spreadsheet shows as text:
    one that would start a formula is prefixed with an apostrophe.

    >>> print(text_cell('=HYPERLINK("http://x")'), text_cell("贵州绿茶"))
    '=HYPERLINK("http://x") 贵州绿茶
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> Response:
    """``header`` and ``rows`` as a CSV download named ``filename``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
