"""The public address of a certificate: its verification page.

``{public_url}/v/{number}`` is the page that shows certificate ``number`` to anyone; it is the
credential's ``id`` and what the label's QR code encodes. ``public_url`` is the deployment's
base address (``settings.public_url``, e.g. ``https://pcf.example.cn``). The status lists and
the JSON-LD context are at the addresses :mod:`tanzuji.credentials.pcf` gives.

>>> verification_url("https://pcf.example.cn", "GZ-PCF-2026-000001")
'https://pcf.example.cn/v/GZ-PCF-2026-000001'
"""

from __future__ import annotations

from tanzuji.errors import TanzujiError

__all__ = ["verification_url"]


def verification_url(public_url: str, number: str) -> str:
    """The public page that shows certificate ``number``."""
    if not public_url.startswith(("http://", "https://")):
        raise TanzujiError(
            f"the deployment's public address {public_url!r} is not an http(s) URL: "
            "set TANZUJI_PUBLIC_URL"
        )
    return f"{public_url.rstrip('/')}/v/{number}"
