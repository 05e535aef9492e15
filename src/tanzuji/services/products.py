"""An enterprise's products, each accounted under one product rule."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import InvalidInput, NotFound, PermissionDenied, RuleFileError
from tanzuji.rules import find_rule
from tanzuji.services.audit import record
from tanzuji.services.context import Actor, Context
from tanzuji.services.rows import add_unique
from tanzuji.store.models import Product

__all__ = ["ProductService"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")


class ProductService:
    """Products, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def create(self, code: str, name_zh: str, rule_id: str, *, name_en: str = "") -> Product:
        """A product of the acting enterprise (its admin registers it)."""
        actor = self.context.require(Permission.PRODUCT_MANAGE)
        if actor.organization_kind is not OrganizationKind.ENTERPRISE:
            raise PermissionDenied("only an enterprise registers products")
        if not _CODE.match(code):
            raise InvalidInput(
                "a product code starts with a letter or digit and holds letters, digits and "
                "._:/- (at most 100)",
                field="code",
            )
        if not name_zh.strip():
            raise InvalidInput("a product needs a Chinese name", field="name_zh")
        try:
            rule = find_rule(rule_id)
        except RuleFileError as exc:
            raise InvalidInput(str(exc.problems[0][2]), field="rule_id") from exc
        product = Product(
            organization_id=actor.organization_id,
            code=code,
            name_zh=name_zh.strip(),
            name_en=name_en.strip(),
            rule_id=rule.id,
            public=False,
            created_at=self.context.now(),
        )
        add_unique(self.session, product, "code", f"the enterprise has a product {code} already")
        record(self.session, self.context, "product.create", "product", product.id, code=code)
        return product

    def get(self, product_id: uuid.UUID) -> Product:
        """A product the acting user may see: its enterprise's own, or any for the regulator."""
        actor = self._reader()
        product = self.session.get(Product, product_id)
        if product is None or not self._may_see(actor, product):
            raise NotFound(f"no product {product_id}", field="product_id")
        return product

    def products(self, organization_id: uuid.UUID | None = None) -> list[Product]:
        """The products the acting user may see, optionally of one enterprise."""
        actor = self._reader()
        query = select(Product).order_by(Product.code)
        if Permission.OVERSIGHT_READ not in actor.permissions:
            query = query.where(Product.organization_id == actor.organization_id)
        if organization_id is not None:
            query = query.where(Product.organization_id == organization_id)
        return list(self.session.scalars(query))

    def _reader(self) -> Actor:
        actor = self.context.actor
        if actor is not None and Permission.OVERSIGHT_READ in actor.permissions:
            return actor
        return self.context.require(Permission.SUBMISSION_READ)

    @staticmethod
    def _may_see(actor: Actor, product: Product) -> bool:
        return (
            Permission.OVERSIGHT_READ in actor.permissions
            or product.organization_id == actor.organization_id
        )
