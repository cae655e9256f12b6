"""Teaching mode: case vignettes, a sensitivity grid, scenario diffs, a
guess-first exercise and discussion prompts.

Pure Python (no Streamlit). Every figure a learner sees comes from the engine
run on the evidence in data/; this module only arranges and compares it. It
never ranks options, adds outcomes into a score or names a best option: the
only thing scored here is how close a learner's guesses came to the
published figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from . import engine
from . import evidence as evidence_mod
from .models import Certainty, Doi, EvidenceBase, Frozen, Id, Label, Location, Text, Tier, text
from .result import Result, Status
from .scenario import Scenario, make
from .wording import per100

VIGNETTES_FILE = "vignettes.yaml"
PROMPTS_FILE = "teaching_prompts.yaml"

# Outcomes shown in the sensitivity grid and offered in the guess-first exercise.
GRID_OUTCOMES = ("major_bleeding", "pts_moderate_severe", "pts_any")
GUESS_OUTCOMES = ("major_bleeding", "pts_moderate_severe")

# Example inputs for the grid, one in each clot-age window that matters to the
# trials (not clinical figures: the engine applies the windows from data/).
DEFAULT_GRID_DAYS = (3, 10, 18, 40)

# The exercise is told "out of 100 people"; the tolerance is a teaching
# convention for "close", in people per 100.
DENOMINATOR = 100
CLOSE_PER_100 = 5.0


# ----------------------------------------------------------------- vignettes


class TeachingPoint(Frozen):
    text: Text
    evidence: list[Id] = Field(default_factory=list)  # ids in sources.yaml or guidelines.yaml


class Vignette(Frozen):
    id: Id
    title: Label
    story: Text
    teaching_points: list[TeachingPoint] = Field(min_length=2, max_length=3)
    scenario: Scenario


def _read_list(directory: Path | str | None, name: str) -> list[Any]:
    folder = Path(directory) if directory is not None else evidence_mod.data_dir()
    return evidence_mod.read_records(folder / name)


def _known_ids(base: EvidenceBase) -> set[str]:
    return {s.id for s in base.sources} | {g.id for g in base.guidelines}


def load_vignettes(base: EvidenceBase | None = None, directory: Path | str | None = None) -> list[Vignette]:
    """Read data/vignettes.yaml; each scenario is built with sdm.make against the base's rules."""
    base = base or evidence_mod.default()
    raw = _read_list(directory, VIGNETTES_FILE)
    known = _known_ids(base)
    out: list[Vignette] = []
    problems: list[evidence_mod.Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, f"item {i + 1}", "(record)", "expected a mapping"))
            continue
        fields = item.get("scenario")
        if not isinstance(fields, dict):
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, evidence_mod.record_name(item, i), "scenario",
                                                 "expected a mapping"))
            continue
        try:
            scenario = make(base.rules, **fields)
            v = Vignette.model_validate({**item, "scenario": scenario})
        except ValidationError as exc:
            problems += evidence_mod.record_problems(VIGNETTES_FILE, item, i, exc)
            continue
        if v.id in seen:
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, v.id, "id", "this id is used twice"))
        seen.add(v.id)
        for tp in v.teaching_points:
            for ev in tp.evidence:
                if ev not in known:
                    problems.append(evidence_mod.Problem(VIGNETTES_FILE, v.id, "teaching_points.evidence",
                                                         f"no source or guideline with id '{ev}'"))
        out.append(v)
    if problems:
        raise evidence_mod.EvidenceError(problems)
    return out


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


# ----------------------------------------------------------------- side-by-side differences


ChangeKind = Literal["input", "clot_age", "bleeding_tier", "status", "risk", "comparator_risk", "source"]


class Change(Frozen):
    kind: ChangeKind
    field: str | None = None  # the scenario field, for inputs
    option: str | None = None
    outcome: str | None = None
    before: Any = None
    after: Any = None
    text: str


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=1e-12)


INPUT_LABELS = {
    "location": "Clot location",
    "symptom_days": "Days since symptoms began",
    "bleeding_tier": "Bleeding tier entered",
    "chest_factors": "CHEST bleeding risk factors",
    "vte_bleed_factors": "VTE-BLEED factors",
    "contraindications": "Reasons not to use clot-dissolving drugs",
    "limb_threatening": "Clot threatens the leg",
    "iliac_compression": "Suspected iliac vein compression",
    "age": "Age",
    "goals": "Goals, in order",
}


def _show(v: Any) -> str:
    if v is None or (isinstance(v, tuple | list) and not v):
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, tuple | list):
        return ", ".join(str(getattr(x, "value", x)) for x in v)
    return str(getattr(v, "value", v))


def _risk_words(p: float | None) -> str:
    return "no number" if p is None else f"{per100(p)} in 100"


def diff_scenarios(a: Result, b: Result) -> list[Change]:
    """What changed from result a to result b: inputs, derived clot age and tier,
    option statuses, and each outcome's risk, comparison risk and source."""
    changes: list[Change] = []
    sa, sb = a.scenario, b.scenario
    for name in Scenario.model_fields:
        va, vb = getattr(sa, name), getattr(sb, name)
        if va != vb:
            changes.append(Change(kind="input", field=name, before=va, after=vb,
                                  text=f"{INPUT_LABELS.get(name, name)}: {_show(va)} before, {_show(vb)} after."))
    if a.clot_age != b.clot_age:
        changes.append(Change(kind="clot_age", before=a.clot_age, after=b.clot_age,
                              text=f"Clot age band: {a.clot_age} before, {b.clot_age} after."))
    if a.bleeding.tier != b.bleeding.tier:
        changes.append(Change(kind="bleeding_tier", before=a.bleeding.tier, after=b.bleeding.tier,
                              text=f"Bleeding tier: {a.bleeding.tier} before, {b.bleeding.tier} after."))
    after_options = {o.id: o for o in b.options}
    for oa in a.options:
        ob = after_options.get(oa.id)
        if ob is None:
            continue
        if oa.status != ob.status:
            changes.append(Change(kind="status", option=oa.id, before=oa.status, after=ob.status,
                                  text=f"{oa.short}: {oa.status.replace('_', ' ')} before, "
                                       f"{ob.status.replace('_', ' ')} after."))
        after_outcomes = {o.id: o for o in ob.outcomes}
        for xa in oa.outcomes:
            xb = after_outcomes.get(xa.id)
            if xb is None:
                continue
            if not _same(xa.risk, xb.risk):
                changes.append(Change(kind="risk", option=oa.id, outcome=xa.id, before=xa.risk, after=xb.risk,
                                      text=f"{xa.label} with {oa.short}: {_risk_words(xa.risk)} before, "
                                           f"{_risk_words(xb.risk)} after."))
            if not _same(xa.comparator_risk, xb.comparator_risk):
                changes.append(Change(kind="comparator_risk", option=oa.id, outcome=xa.id,
                                      before=xa.comparator_risk, after=xb.comparator_risk,
                                      text=f"{xa.label}, compared group for {oa.short}: "
                                           f"{_risk_words(xa.comparator_risk)} before, "
                                           f"{_risk_words(xb.comparator_risk)} after."))
            if xa.source_ids != xb.source_ids:
                changes.append(Change(kind="source", option=oa.id, outcome=xa.id, before=tuple(xa.source_ids),
                                      after=tuple(xb.source_ids),
                                      text=f"{xa.label} with {oa.short}: from {_show(xa.source_ids)} before, "
                                           f"from {_show(xb.source_ids)} after."))
    return changes


# ----------------------------------------------------------------- guess first


class GuessItem(Frozen):
    id: str  # "<option>.<outcome>"
    option: str
    outcome: str
    question: str
    truth: float = Field(ge=0.0, le=1.0)
    horizon: str | None
    source_ids: list[str]
    certainty: Certainty | None = None


_WHO = {
    "anticoagulation": "who take blood thinners alone",
    "stenting": "who have a stent",
}


def _who(option_id: str, short: str) -> str:
    return _WHO.get(option_id, f"who have {short}")


def _when(horizon: str | None) -> str:
    if not horizon:
        return ""
    h = horizon.strip()
    first = h.split(" ", 1)[0].lower()
    if first == "first":
        return f" in the {h}"
    if first in ("within", "during", "around", "in", "at", "after", "before"):
        return f" {h}"
    return f" over {h}"


def _happen(event_words: str) -> str:
    words = event_words.strip()
    if words.startswith("had "):
        return "have " + words[4:]
    return words


def guess_items(result: Result, base: EvidenceBase | None = None,
                outcomes: Sequence[str] = GUESS_OUTCOMES) -> list[GuessItem]:
    """The outcome risks a learner can estimate for this scenario: every option
    that is not ruled out and has a number for these outcomes."""
    base = base or evidence_mod.default()
    info = {o.id: o for o in base.vocabulary.outcomes}
    items = []
    for opt in result.options:
        if opt.status in ("no_evidence", "contraindicated"):
            continue
        for oid in outcomes:
            o = opt.outcome(oid)
            if o.risk is None or not info[oid].event_words:
                continue
            question = (f"Out of {DENOMINATOR} people like this {_who(opt.id, opt.short)}, how many "
                        f"{_happen(info[oid].event_words)}{_when(o.horizon)}?")
            items.append(GuessItem(id=f"{opt.id}.{oid}", option=opt.id, outcome=oid, question=question,
                                   truth=o.risk, horizon=o.horizon, source_ids=list(o.source_ids),
                                   certainty=o.certainty))
    return items


def truths(items: Iterable[GuessItem]) -> dict[str, float]:
    return {i.id: i.truth for i in items}


class ItemScore(Frozen):
    id: str
    guess: float
    truth: float
    error_per_100: float = Field(ge=0.0)  # absolute error, in people per 100
    signed_per_100: float  # guess minus truth, in people per 100
    close: bool


class Calibration(Frozen):
    items: list[ItemScore]
    skipped: list[str]  # items with a true value but no guess
    mean_error_per_100: float = Field(ge=0.0)
    within: int = Field(ge=0)  # how many within the tolerance
    tolerance_per_100: float
    direction: Literal["overestimate", "underestimate", "mixed", "exact"]
    summary: str


def _proportion(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name}: expected a proportion between 0 and 1, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a proportion between 0 and 1, got {value!r}")
    return float(value)


def _n(x: float) -> str:
    r = round(x, 1)
    return f"{r:g}"


def score_guesses(guesses: Mapping[str, float], truths: Mapping[str, float],
                  tolerance_per_100: float = CLOSE_PER_100) -> Calibration:
    """How close guesses (proportions) came to the true values (proportions).

    Errors are in people per 100. Guesses for unknown items are an error;
    items with no guess are listed as skipped."""
    unknown = sorted(set(guesses) - set(truths))
    if unknown:
        raise ValueError(f"no true value for: {', '.join(unknown)}")
    scored = [k for k in truths if k in guesses]
    if not scored:
        raise ValueError("no guesses to score")
    eps = 1e-9
    items = []
    for k in scored:
        g = _proportion(f"guess {k}", guesses[k])
        t = _proportion(f"true value {k}", truths[k])
        signed = (g - t) * DENOMINATOR
        err = abs(signed)
        items.append(ItemScore(id=k, guess=g, truth=t, error_per_100=err, signed_per_100=signed,
                               close=err <= tolerance_per_100 + eps))
    mean = sum(i.error_per_100 for i in items) / len(items)
    within = sum(i.close for i in items)
    over = sum(i.signed_per_100 > eps for i in items)
    under = sum(i.signed_per_100 < -eps for i in items)
    if over == 0 and under == 0:
        direction = "exact"
    elif under == 0:
        direction = "overestimate"
    elif over == 0:
        direction = "underestimate"
    else:
        direction = "mixed"
    lean = {
        "exact": "every guess matched the published number.",
        "overestimate": "you tended to guess too high.",
        "underestimate": "you tended to guess too low.",
        "mixed": "some guesses were too high and some too low.",
    }[direction]
    summary = (f"Your guesses were off by {_n(mean)} in {DENOMINATOR} on average, {within} of {len(items)} "
               f"came within {_n(tolerance_per_100)} in {DENOMINATOR}, and {lean}")
    return Calibration(items=items, skipped=[k for k in truths if k not in guesses], mean_error_per_100=mean,
                       within=within, tolerance_per_100=tolerance_per_100, direction=direction, summary=summary)


# ----------------------------------------------------------------- discussion prompts


class Prompt(Frozen):
    id: Id
    title: Label
    text: text(1200)
    sources: list[Id] = Field(default_factory=list)
    guidelines: list[Id] = Field(default_factory=list)
    reference: Text | None = None  # a paper outside the tool's evidence sources
    doi: Doi | None = None

    @model_validator(mode="after")
    def _has_source(self) -> Prompt:
        if not (self.sources or self.guidelines or self.reference):
            raise ValueError("a prompt needs a source, a guideline or a reference")
        if self.doi and not self.reference:
            raise ValueError("a DOI needs the reference it belongs to")
        return self

    @property
    def link(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


def discussion_prompts(base: EvidenceBase | None = None, directory: Path | str | None = None) -> list[Prompt]:
    """Read data/teaching_prompts.yaml and check every id it cites."""
    base = base or evidence_mod.default()
    raw = _read_list(directory, PROMPTS_FILE)
    sources = {s.id for s in base.sources}
    guides = {g.id for g in base.guidelines}
    out: list[Prompt] = []
    problems: list[evidence_mod.Problem] = []
    for i, item in enumerate(raw):
        try:
            p = Prompt.model_validate(item)
        except ValidationError as exc:
            problems += evidence_mod.record_problems(PROMPTS_FILE, item, i, exc)
            continue
        problems += [evidence_mod.Problem(PROMPTS_FILE, p.id, "sources", f"no source with id '{s}'")
                     for s in p.sources if s not in sources]
        problems += [evidence_mod.Problem(PROMPTS_FILE, p.id, "guidelines", f"no guideline with id '{g}'")
                     for g in p.guidelines if g not in guides]
        if any(q.id == p.id for q in out):
            problems.append(evidence_mod.Problem(PROMPTS_FILE, p.id, "id", "this id is used twice"))
        out.append(p)
    if problems:
        raise evidence_mod.EvidenceError(problems)
    return out
