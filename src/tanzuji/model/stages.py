"""Life-cycle stages and system boundaries of GB/T 24067-2024 / ISO 14067:2018."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Boundary", "DataType", "Stage"]


class Stage(StrEnum):
    """A life-cycle stage (GB/T 24067-2024, ISO 14067:2018).

    The standard's raw material acquisition stage is split here into the
    acquisition itself and the transport of raw materials to the plant, as the
    Guizhou plan's green-tea example counts them apart.
    """

    RAW_MATERIAL_ACQUISITION = "raw_material_acquisition"
    TRANSPORT = "transport"
    PRODUCTION = "production"
    DISTRIBUTION = "distribution"
    USE = "use"
    END_OF_LIFE = "end_of_life"

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    Stage.RAW_MATERIAL_ACQUISITION: ("原材料获取", "raw material acquisition"),
    Stage.TRANSPORT: ("原材料运输", "raw material transport"),
    Stage.PRODUCTION: ("生产", "production"),
    Stage.DISTRIBUTION: ("分销", "distribution"),
    Stage.USE: ("使用", "use"),
    Stage.END_OF_LIFE: ("寿命终止", "end of life"),
}


class Boundary(StrEnum):
    """The system boundary of a (partial) product carbon footprint."""

    CRADLE_TO_GATE = "cradle-to-gate"
    CRADLE_TO_GRAVE = "cradle-to-grave"
    GATE_TO_GATE = "gate-to-gate"

    @property
    def stages(self) -> frozenset[Stage]:
        """The stages whose lines the boundary takes in."""
        return _BOUNDARY_STAGES[self]

    @property
    def label_zh(self) -> str:
        return {
            "cradle-to-gate": "从摇篮到大门",
            "cradle-to-grave": "从摇篮到坟墓",
            "gate-to-gate": "从大门到大门",
        }[self.value]


_BOUNDARY_STAGES = {
    Boundary.CRADLE_TO_GATE: frozenset(
        {Stage.RAW_MATERIAL_ACQUISITION, Stage.TRANSPORT, Stage.PRODUCTION}
    ),
    Boundary.CRADLE_TO_GRAVE: frozenset(Stage),
    Boundary.GATE_TO_GATE: frozenset({Stage.PRODUCTION}),
}


class DataType(StrEnum):
    """Whether an activity amount was measured at the site (primary data, GB/T 24067-2024)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
