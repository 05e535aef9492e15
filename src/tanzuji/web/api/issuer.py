"""What the certificate issuer publishes for anyone, outside ``/api/v1`` at the addresses the
credentials name: the status lists, the JSON-LD context of tanzuji's terms and the
deployment's ``did:web`` document with the issuer key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tanzuji.credentials.did_web import did_web_document
from tanzuji.credentials.pcf import context_url, credential_context
from tanzuji.web.api.certificates import service
from tanzuji.web.work import keys_of, settings_of, unit_of_work

__all__ = ["router"]

router = APIRouter(tags=["certificates"])


@router.get("/credentials/status/{purpose}")
def status_list(purpose: str, request: Request) -> dict[str, Any]:
    """The signed Bitstring Status List credential of ``revocation`` (withdrawn certificates)
    or ``suspension`` (suspended ones); the same bytes until a certificate's status changes."""
    with unit_of_work(request) as work:
        return service(request, work).status_list(purpose)


@router.get("/credentials/v1")
def context(request: Request) -> dict[str, Any]:
    """The JSON-LD context that defines the terms of tanzuji's certificates."""
    return credential_context(context_url(settings_of(request).public_url))


@router.get("/.well-known/did.json")
def did_document(request: Request) -> dict[str, Any]:
    """The deployment's DID document (``did:web``): the issuer key that signs certificates,
    also known as its ``did:key``."""
    return did_web_document(settings_of(request).public_url, keys_of(request).issuer.public_key())
