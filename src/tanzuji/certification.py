"""The life of a product carbon footprint certificate, as a state machine.

Certification follows the CNCA general implementation rules for product carbon footprint label
certification (《产品碳足迹标识认证通用实施规则（试行）》, 2025-03-17): an enterprise applies to a
certification body (认证机构) for a verified footprint; the body decides; its decision issues a
certificate valid for **two years**; surveillance reviews after certification may suspend
(暂停) the certificate, reinstate it, or withdraw (撤销) it::

    applied ─certify─► issued ─suspend─► suspended ─reinstate─► issued
       │                  │                  │
     refuse            withdraw           withdraw
       ▼                  ▼                  ▼
    refused           withdrawn          withdrawn

What the public sees is the certificate's :func:`standing` at a moment: an issued certificate
past its ``valid_until`` has expired.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from tanzuji.errors import IllegalTransition

__all__ = [
    "CERTIFICATE_TRANSITIONS",
    "VALIDITY_YEARS",
    "CertificateAction",
    "CertificateStatus",
    "Standing",
    "next_certificate_status",
    "standing",
    "valid_until",
]

VALIDITY_YEARS = 2
"""A certificate is valid for two years from its issue (CNCA rules, 2025)."""


class CertificateStatus(StrEnum):
    """Where a certificate (or the application for one) stands in its workflow."""

    APPLIED = "applied"
    REFUSED = "refused"
    ISSUED = "issued"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class CertificateAction(StrEnum):
    """What a certification body decides."""

    CERTIFY = "certify"
    REFUSE = "refuse"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    WITHDRAW = "withdraw"


CERTIFICATE_TRANSITIONS: dict[tuple[CertificateStatus, CertificateAction], CertificateStatus] = {
    (CertificateStatus.APPLIED, CertificateAction.CERTIFY): CertificateStatus.ISSUED,
    (CertificateStatus.APPLIED, CertificateAction.REFUSE): CertificateStatus.REFUSED,
    (CertificateStatus.ISSUED, CertificateAction.SUSPEND): CertificateStatus.SUSPENDED,
    (CertificateStatus.ISSUED, CertificateAction.WITHDRAW): CertificateStatus.WITHDRAWN,
    (CertificateStatus.SUSPENDED, CertificateAction.REINSTATE): CertificateStatus.ISSUED,
    (CertificateStatus.SUSPENDED, CertificateAction.WITHDRAW): CertificateStatus.WITHDRAWN,
}
"""Every allowed move; anything else is refused."""


def next_certificate_status(
    status: CertificateStatus, action: CertificateAction
) -> CertificateStatus:
    """The status after ``action``, or :class:`IllegalTransition`.

    >>> next_certificate_status(CertificateStatus.ISSUED, CertificateAction.SUSPEND)
    <CertificateStatus.SUSPENDED: 'suspended'>
    """
    try:
        return CERTIFICATE_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(
            f"a certificate that is {status.value} cannot be given '{action.value}'"
        ) from None


class Standing(StrEnum):
    """What a certificate means to whoever checks it now."""

    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    NOT_ISSUED = "not_issued"


def standing(
    status: CertificateStatus, valid_until: datetime.datetime | None, at: datetime.datetime
) -> Standing:
    """The standing of a certificate in ``status`` at ``at``.

    >>> until = datetime.datetime(2028, 3, 1, tzinfo=datetime.UTC)
    >>> standing(CertificateStatus.ISSUED, until, until - datetime.timedelta(seconds=1))
    <Standing.VALID: 'valid'>
    >>> standing(CertificateStatus.ISSUED, until, until)
    <Standing.EXPIRED: 'expired'>
    """
    if status is CertificateStatus.WITHDRAWN:
        return Standing.WITHDRAWN
    if status is CertificateStatus.SUSPENDED:
        return Standing.SUSPENDED
    if status is not CertificateStatus.ISSUED or valid_until is None:
        return Standing.NOT_ISSUED
    return Standing.VALID if at < valid_until else Standing.EXPIRED


def valid_until(valid_from: datetime.datetime) -> datetime.datetime:
    """The end of a certificate's validity: two years after ``valid_from`` (29 February
    becomes 28 February in a year that has none).

    >>> valid_until(datetime.datetime(2028, 2, 29, 8, tzinfo=datetime.UTC)).isoformat()
    '2030-02-28T08:00:00+00:00'
    """
    year = valid_from.year + VALIDITY_YEARS
    try:
        return valid_from.replace(year=year)
    except ValueError:
        return valid_from.replace(year=year, day=28)
