"""What the certificate issuer publishes for anyone, outside ``/api/v1`` at the addresses the
credentials name: the status lists, the JSON-LD context of tanzuji's terms and the
deployment's ``did:web`` document with the issuer key (at ``/.well-known/did.json``, and, for
a deployment whose public URL has a path, also at ``{path}/did.json``, where the did:web
method resolves ``did:web:host:path``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from tanzuji.credentials.did_web import did_web_document, did_web_document_url
from tanzuji.credentials.pcf import context_url, credential_context
from tanzuji.errors import NotFound
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


@router.get("/{path:path}/did.json")
def did_document_under_path(path: str, request: Request) -> dict[str, Any]:
    """The same DID document at ``{path}/did.json`` when the public URL is
    ``https://host/{path}`` (did:web: ``did:web:host:path`` resolves to
    ``https://host/path/did.json``); any other path is not found."""
    public_url = settings_of(request).public_url
    if urlsplit(did_web_document_url(public_url)).path != f"/{path}/did.json":
        raise NotFound(f"path: no DID document at /{path}/did.json", field="path")
    return did_web_document(public_url, keys_of(request).issuer.public_key())
