"""Product models: stages, activity lines, co-products, networks and their files."""

from tanzuji.model.files import ModelFile, json_schema, load_models
from tanzuji.model.network import Network, Output
from tanzuji.model.product import (
    ActivityLine,
    Allocation,
    Amount,
    CoProduct,
    CutOff,
    ProductModel,
    ReferencePeriod,
)
from tanzuji.model.stages import Boundary, DataType, Stage

__all__ = [
    "ActivityLine",
    "Allocation",
    "Amount",
    "Boundary",
    "CoProduct",
    "CutOff",
    "DataType",
    "ModelFile",
    "Network",
    "Output",
    "ProductModel",
    "ReferencePeriod",
    "Stage",
    "json_schema",
    "load_models",
]
