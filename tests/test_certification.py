"""The certificate's life: who may move it where, and what the public sees when."""

from __future__ import annotations

import datetime

import pytest

from tanzuji.certification import (
    CERTIFICATE_TRANSITIONS,
    CertificateAction,
    CertificateStatus,
    Standing,
    next_certificate_status,
    standing,
    valid_until,
)
from tanzuji.errors import IllegalTransition

ISSUED_AT = datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.UTC)


def test_a_certificate_is_valid_for_two_years() -> None:
    assert valid_until(ISSUED_AT) == datetime.datetime(2028, 12, 5, 9, 30, tzinfo=datetime.UTC)


def test_suspension_can_be_lifted_but_withdrawal_is_final() -> None:
    status = next_certificate_status(CertificateStatus.APPLIED, CertificateAction.CERTIFY)
    status = next_certificate_status(status, CertificateAction.SUSPEND)
    assert next_certificate_status(status, CertificateAction.REINSTATE) is CertificateStatus.ISSUED
    withdrawn = next_certificate_status(status, CertificateAction.WITHDRAW)
    for action in CertificateAction:
        with pytest.raises(IllegalTransition, match="withdrawn"):
            next_certificate_status(withdrawn, action)


def test_only_the_listed_moves_are_allowed() -> None:
    for status in CertificateStatus:
        for action in CertificateAction:
            if (status, action) in CERTIFICATE_TRANSITIONS:
                next_certificate_status(status, action)
            else:
                with pytest.raises(IllegalTransition):
                    next_certificate_status(status, action)


@pytest.mark.parametrize(
    ("status", "at", "expected"),
    [
        (CertificateStatus.ISSUED, ISSUED_AT, Standing.VALID),
        (CertificateStatus.ISSUED, valid_until(ISSUED_AT), Standing.EXPIRED),
        (CertificateStatus.SUSPENDED, ISSUED_AT, Standing.SUSPENDED),
        (CertificateStatus.WITHDRAWN, ISSUED_AT, Standing.WITHDRAWN),
        # withdrawal wins over expiry: a withdrawn certificate never reads as merely expired
        (CertificateStatus.WITHDRAWN, valid_until(ISSUED_AT), Standing.WITHDRAWN),
        (CertificateStatus.APPLIED, ISSUED_AT, Standing.NOT_ISSUED),
        (CertificateStatus.REFUSED, ISSUED_AT, Standing.NOT_ISSUED),
    ],
)
def test_what_the_public_sees(
    status: CertificateStatus, at: datetime.datetime, expected: Standing
) -> None:
    assert standing(status, valid_until(ISSUED_AT), at) is expected
