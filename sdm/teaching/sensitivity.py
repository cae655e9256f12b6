"""Teaching: the sensitivity grid — the engine run over locations, clot ages and bleeding tiers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..engine import compute as engine
from ..engine.result import Result, Status
from ..engine.scenario import make
from ..evidence import loader as evidence_mod
from ..evidence.models import EvidenceBase, Frozen, Location, Tier
from .vignettes import (
    DEFAULT_GRID_DAYS,
    GRID_OUTCOMES,
)

# ----------------------------------------------------------------- sensitivity grid


class GridCell(Frozen):
    """One option for one combination of location, clot age and bleeding tier, as the engine reports it."""

    location: Location
    days: int
    tier: Tier
    clot_age: str
    option: str
    status: Status
    major_bleeding: float | None
    major_bleeding_comparator: float | None
    pts_moderate_severe: float | None
    pts_moderate_severe_comparator: float | None
    pts_any: float | None
    pts_any_comparator: float | None


def grid_cells(result: Result) -> list[GridCell]:
    """The grid rows for one engine result (one per option)."""
    s = result.scenario
    tier = Tier(result.bleeding.tier)
    cells = []
    for opt in result.options:
        risks: dict[str, float | None] = {}
        for oid in GRID_OUTCOMES:
            o = opt.outcome(oid)
            risks[oid] = o.risk
            risks[f"{oid}_comparator"] = o.comparator_risk
        cells.append(GridCell(location=s.location, days=s.symptom_days, tier=tier, clot_age=result.clot_age,
                              option=opt.id, status=opt.status, **risks))
    return cells


def sensitivity_grid(
    base: EvidenceBase | None = None,
    days: Sequence[int] = DEFAULT_GRID_DAYS,
    tiers: Sequence[str] = ("low", "moderate", "high"),
    locations: Sequence[str] | None = None,
    limb: bool = False,
) -> list[GridCell]:
    """sdm.run for every location x days x tier, flattened to one cell per option."""
    base = base or evidence_mod.default()
    locs = list(locations) if locations is not None else [loc.value for loc in Location]
    cells: list[GridCell] = []
    for loc in locs:
        for d in days:
            for t in tiers:
                sc = make(base.rules, location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
                cells += grid_cells(engine.run(sc, base))
    return cells


def arrange(cells: Iterable[GridCell], option: str, tier: str) -> tuple[list[Location], list[int], list[list[GridCell]]]:
    """One option and tier of the grid as rows (clot locations, in vocabulary order) by columns (days)."""
    mine = {(c.location, c.days): c for c in cells if c.option == option and c.tier.value == tier}
    locations = [loc for loc in Location if any(k[0] == loc for k in mine)]
    days = sorted({k[1] for k in mine})
    return locations, days, [[mine[(loc, d)] for d in days] for loc in locations]


def to_frame(cells: Iterable[GridCell]):
    """The grid as a pandas DataFrame (pandas is imported only here)."""
    import pandas as pd

    return pd.DataFrame([c.model_dump(mode="json") for c in cells])


