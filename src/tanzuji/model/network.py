"""A supply-chain network: product models that point to each other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tanzuji.errors import ModelError, UnknownProduct
from tanzuji.model.product import ProductModel
from tanzuji.units import DeclaredUnit

__all__ = ["Network", "Output"]


@dataclass(frozen=True)
class Output:
    """A product the network can supply: a model's main product or one of its co-products.

    ``declared_unit`` is what one unit of it is (the model's declared unit for the main
    product, one unit of the amount for a co-product).
    """

    id: str
    name: str
    model: ProductModel
    declared_unit: DeclaredUnit


class Network:
    """Product models whose lines may point at each other's outputs (cycles allowed)."""

    def __init__(self, models: Iterable[ProductModel]) -> None:
        self.models: tuple[ProductModel, ...] = tuple(models)
        outputs: dict[str, Output] = {}
        for model in self.models:
            candidates = [Output(model.id, model.name_en, model, model.declared_unit)]
            candidates += [
                Output(c.id, c.name, model, DeclaredUnit(unit=c.unit, description=c.name))
                for c in model.co_products
            ]
            for output in candidates:
                if output.id in outputs:
                    raise ModelError(
                        f"product id {output.id!r} is used by both {outputs[output.id].model.id!r} "
                        f"and {model.id!r}; product ids must be unique in a network"
                    )
                outputs[output.id] = output
        self.outputs = outputs
        missing = [
            (model.id, line.name, line.product)
            for model in self.models
            for _, line in model.lines()
            if line.product and line.product not in outputs
        ]
        if missing:
            details = "; ".join(f"{m}: line {n!r} needs product {p!r}" for m, n, p in missing)
            raise UnknownProduct(
                f"{len(missing)} line(s) point to products that no model provides: {details}. "
                "Add the supplier's model (or its co-product) to the network, or use a factor."
            )

    def __len__(self) -> int:
        return len(self.outputs)

    def __iter__(self) -> Iterator[ProductModel]:
        return iter(self.models)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self.outputs

    def output(self, product_id: str) -> Output:
        """The output called ``product_id``; :class:`UnknownProduct` if there is none."""
        try:
            return self.outputs[product_id]
        except KeyError:
            raise UnknownProduct(
                f"no product {product_id!r} in the network; it has "
                f"{', '.join(list(self.outputs)[:10])}{' …' if len(self.outputs) > 10 else ''}"
            ) from None
