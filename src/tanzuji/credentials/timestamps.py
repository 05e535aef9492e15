"""Date-times as verifiable credentials write them: XML Schema 1.1 ``dateTimeStamp`` in UTC.

VC Data Model 2.0 (§4.6 Validity Period) and Data Integrity 1.0 (``created``) require a
``dateTimeStamp``: a date-time *with* a time zone. tanzuji writes whole seconds in UTC with a
``Z`` (``2026-03-01T08:00:00Z``) and reads any offset.

>>> from datetime import datetime, timedelta, timezone
>>> xsd_datetime(datetime(2026, 3, 1, 16, 0, 5, 999, tzinfo=timezone(timedelta(hours=8))))
'2026-03-01T08:00:05Z'
>>> parse_xsd_datetime("2023-02-24T23:36:38+08:00", "created").isoformat()
'2023-02-24T23:36:38+08:00'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tanzuji.errors import CredentialError

__all__ = ["parse_xsd_datetime", "xsd_datetime"]

# XML Schema 1.1 Part 2, §3.4.28 dateTimeStamp: the time zone is required
_DATETIME_STAMP = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def xsd_datetime(moment: datetime, field: str = "datetime") -> str:
    """``moment`` in UTC to the second, as ``YYYY-MM-DDTHH:MM:SSZ``.

    Raises :class:`~tanzuji.errors.CredentialError` naming ``field`` for a naive date-time,
    whose instant nobody can tell."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CredentialError(
            f"{field}: {moment.isoformat()} has no time zone; give an aware date-time "
            "(e.g. with tzinfo=UTC)",
            field,
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_xsd_datetime(value: object, field: str) -> datetime:
    """The aware date-time a ``dateTimeStamp`` string stands for, or a
    :class:`~tanzuji.errors.CredentialError` naming ``field``."""
    if not isinstance(value, str) or not _DATETIME_STAMP.match(value):
        raise CredentialError(
            f"{field}: {value!r} is not a date-time with a time zone "
            "(XML Schema dateTimeStamp, e.g. 2026-03-01T08:00:00Z)",
            field,
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise CredentialError(f"{field}: {value!r} is not a real date-time ({exc})", field) from exc
