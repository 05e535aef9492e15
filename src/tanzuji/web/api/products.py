"""An enterprise's products."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from tanzuji.services.products import ProductService
from tanzuji.web.api.render import product_json
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["products"])


class ProductRequest(BaseModel):
    code: str
    name_zh: str
    name_en: str = ""
    rule_id: str


@router.get("/products")
def products(request: Request, organization_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The products the acting user may see."""
    with unit_of_work(request) as work:
        found = ProductService(work.session, work.context).products(organization_id)
        return {"items": [product_json(p) for p in found]}


@router.post("/products", status_code=201)
def create_product(body: ProductRequest, request: Request) -> dict[str, Any]:
    """Register a product of the acting enterprise under a product rule."""
    with unit_of_work(request) as work:
        made = ProductService(work.session, work.context).create(
            body.code, body.name_zh, body.rule_id, name_en=body.name_en
        )
        return product_json(made)


@router.get("/products/{product_id}")
def product(product_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """One product."""
    with unit_of_work(request) as work:
        return product_json(ProductService(work.session, work.context).get(product_id))
