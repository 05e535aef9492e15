"""tanzuji (碳足迹): product carbon footprints by GB/T 24067-2024 / ISO 14067.

The domain core: units, GWP sets, emission factors, product models and the
matrix engine. It imports neither a database nor a web framework.
"""

from tanzuji.engine import Footprint, NetworkResults, calculate, monte_carlo
from tanzuji.errors import TanzujiError
from tanzuji.factors import EmissionFactor, FactorSet, bundled_factor_set
from tanzuji.model import Network, ProductModel, Stage, load_models

__version__ = "0.1.0"

__all__ = [
    "EmissionFactor",
    "FactorSet",
    "Footprint",
    "Network",
    "NetworkResults",
    "ProductModel",
    "Stage",
    "TanzujiError",
    "__version__",
    "bundled_factor_set",
    "calculate",
    "load_models",
    "monte_carlo",
]
