"""Teaching: each figure with its label and the row's one reference; the side-by-side tables."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.result import Comparison, OutcomeResult, ReferenceResult, Result, Status
from ..evidence import loader as evidence_mod
from ..evidence.models import EvidenceBase, Frozen, Verification
from ..words.wording import per100
from .vignettes import (
    TABLE_OUTCOMES,
)

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


