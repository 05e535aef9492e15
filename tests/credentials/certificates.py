"""A worked certificate for the credential tests: a fixed issuer key, claims and clock."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tanzuji.credentials import (
    CertificateClaims,
    StatusList,
    add_proof,
    certificate_status_entries,
    context_url,
    did_key,
    pcf_credential,
    status_list_credential,
    status_list_url,
    verification_method_id,
)
from tanzuji.uscc import check_character

PUBLIC_URL = "http://127.0.0.1:8000"
ISSUED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
EXPIRES = datetime(2028, 3, 1, 8, 0, tzinfo=UTC)
STATUS_INDEX = 4242
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
"""The issuer key of the tests: a fixed seed, so that signatures are the same every run."""
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
VECTORS = Path(__file__).parent / "vectors"


def uscc(serial: int) -> str:
    """A unified social credit code with a correct check character."""
    first17 = f"91520000MA{serial:07d}"
    return first17 + check_character(first17)


def claims(**changes: Any) -> CertificateClaims:
    """The claims of certificate GZ-PCF-2026-000001 for 1 kg of green tea at 0.92 kg CO2e."""
    worked = CertificateClaims(
        number="GZ-PCF-2026-000001",
        product_name="湄潭翠芽绿茶",
        product_name_en="Meitan Cuiya green tea",
        declared_unit="1 kg",
        footprint_value=0.92,
        boundary="cradle-to-gate",
        rule_id="tea.green",
        rule_version="2026.1",
        factor_set_version="CN-2026.1",
        gwp_version="AR6",
        enterprise_name="贵州湄潭示范茶业有限公司",
        enterprise_uscc=uscc(1),
        verifier_name="贵州示范核查中心",
        verifier_uscc=uscc(2),
        certification_body_name="贵州示范认证中心",
        certification_body_uscc=uscc(3),
        grade=2,
        benchmark_version="tea.green-2026.1",
        ledger_index=17,
        valid_from=ISSUED,
        valid_until=EXPIRES,
        verification_url=f"{PUBLIC_URL}/certificates/GZ-PCF-2026-000001",
        context_url=context_url(PUBLIC_URL),
        status_entries=certificate_status_entries(PUBLIC_URL, STATUS_INDEX),
    )
    return replace(worked, **changes)


def signed(key: Ed25519PrivateKey = ISSUER_KEY, **changes: Any) -> dict[str, Any]:
    """The certificate, signed by ``key`` at its issue."""
    unsigned = pcf_credential(
        claims(**changes), issuer_did=did_key(key.public_key()), issuer_name="贵州示范认证中心"
    )
    return add_proof(
        unsigned,
        key,
        verification_method=verification_method_id(key.public_key()),
        created=ISSUED,
    )


def status_lists(
    *,
    revoked: bool = False,
    suspended: bool = False,
    key: Ed25519PrivateKey = ISSUER_KEY,
    public_url: str = PUBLIC_URL,
) -> dict[str, dict[str, Any]]:
    """The two signed status lists of the deployment at ``public_url``, keyed by URL, with the
    certificate's bits as asked."""
    lists = {}
    for purpose, is_set in (("revocation", revoked), ("suspension", suspended)):
        bits = StatusList()
        bits.set(STATUS_INDEX, is_set)
        url = status_list_url(public_url, purpose)
        unsigned = status_list_credential(
            list_url=url,
            purpose=purpose,
            status_list=bits,
            issuer=did_key(key.public_key()),
            valid_from=ISSUED + timedelta(days=30),
        )
        lists[url] = add_proof(
            unsigned,
            key,
            verification_method=verification_method_id(key.public_key()),
            created=ISSUED + timedelta(days=30),
        )
    return lists


def vector(name: str) -> dict[str, Any]:
    """A published test vector stored under ``vectors/``."""
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data
