"""Teaching mode: case vignettes, a sensitivity grid, scenario diffs, a
guess-first exercise and discussion prompts.

Pure Python (no Streamlit). Every figure a learner sees comes from the engine
run on the evidence in data/; this module only arranges and compares it. It
never ranks options, adds outcomes into a score or names a best option: the
only thing scored here is how close a learner's guesses came to the
engine's figures.

Every comparison here uses the row's one blood-thinners-alone reference
(`Result.reference`): the side-by-side tables show it next to each option,
the "what changed" list names it once per row, and guess-first says whether
each answer is a published figure or one worked out from a study's effect
applied to that reference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from . import engine
from . import evidence as evidence_mod
from .models import Certainty, Doi, EvidenceBase, Frozen, Id, Label, Location, Text, Tier, Verification, text
from .result import Comparison, OutcomeResult, ReferenceResult, Result, Status
from .scenario import Scenario, make
from .wording import per100

VIGNETTES_FILE = "vignettes.yaml"
PROMPTS_FILE = "teaching_prompts.yaml"

# Outcomes shown in the sensitivity grid and offered in the guess-first exercise.
GRID_OUTCOMES = ("major_bleeding", "pts_moderate_severe", "pts_any")
GUESS_OUTCOMES = ("major_bleeding", "pts_moderate_severe")
# Outcomes in the side-by-side tables, each shown with the row's reference.
TABLE_OUTCOMES = ("major_bleeding", "pts_moderate_severe")

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


# ----------------------------------------------------------------- each figure and the row's reference


REFERENCE_KIND_WORDS = {
    "trial_control": "the blood-thinners-alone group in",
    "cohort": "people on blood thinners alone followed in",
    "bleeding_tier": "the bleeding risk for this tier in",
}


def source_name(base: EvidenceBase, source_id: str) -> str:
    """'Comerota AJ 2019' for a source id; the journal when the first author is not recorded;
    the id itself if the base does not hold it."""
    src = next((s for s in base.sources if s.id == source_id), None)
    if src is None:
        return source_id
    who = src.journal if src.first_author.startswith("(") else src.first_author
    return f"{who} {src.year}"


def _own_sources(o: OutcomeResult) -> list[str]:
    """The option's own study for a cell set against the reference (the reference's sources follow it)."""
    if o.reference_id is not None and o.comparison in ("relative", "added"):
        return o.source_ids[:1]
    return list(o.source_ids)


def reference_of(result: Result, o: OutcomeResult) -> ReferenceResult | None:
    """The reference a cell is set against: the row's one reference, or None when the cell is not compared."""
    if o.comparator_risk is None:
        return None
    return result.reference(o.id)


def figure_label(result: Result, o: OutcomeResult, base: EvidenceBase) -> str:
    """Where a figure comes from, in plain words.

    Only a figure the engine marks "published" (a trial or registry group, or the
    reference itself) is called published; a figure worked out by applying a
    study's effect to the row's reference says so and names both sources."""
    ref = result.reference(o.id)
    own = ", ".join(source_name(base, s) for s in _own_sources(o)) or "no named source"
    if o.figure == "published":
        if o.comparison == "reference" and ref is not None:
            derived = ref.verification == Verification.V_derived.value
            counted = " (this project counted it from the paper's figures)" if derived else ""
            return f"Published: {REFERENCE_KIND_WORDS[ref.kind]} {source_name(base, ref.source_ids[0])}{counted}"
        if o.comparison == "one_group":
            return f"Published: one treated group in {own}, with no comparison group"
        return f"Published: {own}"
    if o.figure == "worked_out" and ref is not None:
        ref_name = ", ".join(source_name(base, s) for s in ref.source_ids)
        if o.comparison == "added":
            return (f"Worked out from the extra bleeding in {own}, added to "
                    f"{REFERENCE_KIND_WORDS[ref.kind]} {ref_name}")
        return f"Worked out from the effect in {own}, applied to {REFERENCE_KIND_WORDS[ref.kind]} {ref_name}"
    return f"From {own}"


def working(o: OutcomeResult) -> str | None:
    """The engine's own sum for a worked-out figure (reference times effect, or tier plus extra), if it gave one."""
    lead = "For this patient: "
    return next((a[len(lead):] for a in o.arithmetic if a.startswith(lead)), None)


class TableCell(Frozen):
    """One option's figure for one outcome, with the row's reference it is set against."""

    option: str
    outcome: str
    risk: float | None
    reference: float | None  # the row's blood-thinners-alone risk, when this figure is set against it
    comparison: Comparison
    text: str


class TableRow(Frozen):
    option: str
    short: str
    status: Status
    cells: list[TableCell]


class ReferenceLine(Frozen):
    """The one blood-thinners-alone figure of an outcome row, and where it comes from."""

    outcome: str
    label: str
    reference_id: str | None
    risk: float | None
    text: str


_CELL_WORDS = {
    "difference": "a difference only, in words",
    "words": "in words only",
    "none": "no checked figure",
}


def _cell_text(o: OutcomeResult, ref: ReferenceResult | None) -> str:
    if o.risk is None:
        return _CELL_WORDS.get(o.comparison, "no checked figure")
    if o.comparison == "reference":
        return f"{per100(o.risk)} (the reference)"
    if o.comparison == "one_group":
        return f"{per100(o.risk)} (one group, no comparison)"
    if ref is not None:
        return f"{per100(o.risk)} vs {per100(ref.risk)}"
    return per100(o.risk)


def side_table(result: Result, outcomes: Sequence[str] = TABLE_OUTCOMES) -> list[TableRow]:
    """One row per option: each figure with the row's reference beside it ("18 vs 28"), never a
    comparison risk from another study. Figures are people per 100."""
    rows = []
    for opt in result.options:
        cells = []
        for oid in outcomes:
            o = opt.outcome(oid)
            ref = reference_of(result, o)
            cells.append(TableCell(option=opt.id, outcome=oid, risk=o.risk, reference=ref.risk if ref else None,
                                   comparison=o.comparison, text=_cell_text(o, ref)))
        rows.append(TableRow(option=opt.id, short=opt.short, status=opt.status, cells=cells))
    return rows


def reference_lines(result: Result, base: EvidenceBase | None = None,
                    outcomes: Sequence[str] = TABLE_OUTCOMES) -> list[ReferenceLine]:
    """Each outcome row's one reference, said once for the whole row."""
    base = base or evidence_mod.default()
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    out = []
    for oid in outcomes:
        ref = result.reference(oid)
        if ref is None:
            out.append(ReferenceLine(outcome=oid, label=labels[oid], reference_id=None, risk=None,
                                     text=f"{labels[oid]}: no checked blood-thinners-alone figure, so no option "
                                          "is set against one."))
            continue
        names = ", ".join(source_name(base, s) for s in ref.source_ids)
        out.append(ReferenceLine(
            outcome=oid, label=labels[oid], reference_id=ref.id, risk=ref.risk,
            text=f"{labels[oid]}: {per100(ref.risk)} in 100 with blood thinners alone, {ref.horizon} "
                 f"({REFERENCE_KIND_WORDS[ref.kind]} {names}).",
        ))
    return out


# ----------------------------------------------------------------- side-by-side differences


ChangeKind = Literal["input", "clot_age", "bleeding_tier", "reference", "status", "risk", "source"]


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


# An option's status in words, the same on the whole teaching page (never a rank).
STATUS_WORDS = {"studied": "studied", "one_group": "one group", "indirect": "indirect", "no_evidence": "not studied",
                "contraindicated": "not safe"}


def _reference_words(ref: ReferenceResult | None, base: EvidenceBase) -> str:
    if ref is None:
        return "no blood-thinners-alone figure"
    return f"{per100(ref.risk)} in 100 ({', '.join(source_name(base, s) for s in ref.source_ids)})"


def diff_scenarios(a: Result, b: Result, base: EvidenceBase | None = None) -> list[Change]:
    """What changed from result a to result b: inputs, derived clot age and tier, each outcome
    row's reference (once per row, not once per option), option statuses, and each option's
    risk and own source."""
    base = base or evidence_mod.default()
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
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    for oid in [*a.outcome_order, *(x for x in b.outcome_order if x not in a.outcome_order)]:
        ra, rb = a.reference(oid), b.reference(oid)
        risk_a, risk_b = (ra.risk if ra is not None else None), (rb.risk if rb is not None else None)
        same_id = (ra.id if ra is not None else None) == (rb.id if rb is not None else None)
        if not same_id or not _same(risk_a, risk_b):
            changes.append(Change(kind="reference", outcome=oid, before=risk_a, after=risk_b,
                                  text=f"{labels.get(oid, oid)}, blood thinners alone (the figure every option in "
                                       f"this row is compared with): {_reference_words(ra, base)} before, "
                                       f"{_reference_words(rb, base)} after."))
    after_options = {o.id: o for o in b.options}
    for oa in a.options:
        ob = after_options.get(oa.id)
        if ob is None:
            continue
        if oa.status != ob.status:
            changes.append(Change(kind="status", option=oa.id, before=oa.status, after=ob.status,
                                  text=f"{oa.short}: {STATUS_WORDS[oa.status]} before, "
                                       f"{STATUS_WORDS[ob.status]} after."))
        after_outcomes = {o.id: o for o in ob.outcomes}
        for xa in oa.outcomes:
            xb = after_outcomes.get(xa.id)
            if xb is None or "reference" in (xa.comparison, xb.comparison):
                continue  # the reference itself (or its going): said once for the row above
            if not _same(xa.risk, xb.risk):
                changes.append(Change(kind="risk", option=oa.id, outcome=xa.id, before=xa.risk, after=xb.risk,
                                      text=f"{xa.label} with {oa.short}: {_risk_words(xa.risk)} before, "
                                           f"{_risk_words(xb.risk)} after."))
            own_a, own_b = _own_sources(xa), _own_sources(xb)
            if own_a != own_b:
                changes.append(Change(kind="source", option=oa.id, outcome=xa.id, before=tuple(own_a),
                                      after=tuple(own_b),
                                      text=f"{xa.label} with {oa.short}: from {_show(own_a)} before, "
                                           f"from {_show(own_b)} after."))
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
    figure: Literal["published", "worked_out"] | None = None  # as the engine marks it
    label: str  # where the answer comes from: "Published: ..." only for a published figure
    working: str | None = None  # the engine's sum, for a worked-out figure
    reference_id: str | None = None
    reference: float | None = Field(default=None, ge=0.0, le=1.0)  # the row's reference it is set against


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


def _question_when(o: OutcomeResult, ref: ReferenceResult | None, base: EvidenceBase) -> str:
    """The time span of a question. Extra bleeding added to the tier is asked over the tier's span,
    counting the procedure's extra bleeding over the span the study measured it."""
    if o.comparison == "added" and ref is not None and o.estimate_id is not None:
        e = next((x for x in base.estimates if x.id == o.estimate_id), None)
        if e is not None:
            return f"{_when(ref.horizon)}, counting the extra bleeding {e.horizon}"
    return _when(o.horizon)


def guess_items(result: Result, base: EvidenceBase | None = None,
                outcomes: Sequence[str] = GUESS_OUTCOMES) -> list[GuessItem]:
    """The outcome risks a learner can estimate for this scenario: every option
    that is not ruled out and has a number for these outcomes. Each carries the
    row's reference it is set against and says whether it is published or worked out."""
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
            ref = reference_of(result, o)
            question = (f"Out of {DENOMINATOR} people like this {_who(opt.id, opt.short)}, how many "
                        f"{_happen(info[oid].event_words)}{_question_when(o, ref, base)}?")
            items.append(GuessItem(id=f"{opt.id}.{oid}", option=opt.id, outcome=oid, question=question,
                                   truth=o.risk, horizon=o.horizon, source_ids=list(o.source_ids),
                                   certainty=o.certainty, figure=o.figure, label=figure_label(result, o, base),
                                   working=working(o) if o.figure == "worked_out" else None,
                                   reference_id=ref.id if ref is not None else None,
                                   reference=ref.risk if ref is not None else None))
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
        "exact": "every guess matched the number.",
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
