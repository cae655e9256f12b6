"""The comparison grid as plain data: one row per outcome, one cell per option.

Built from an engine result; the dashboard turns it into HTML and the tests
read it directly. Options keep their fixed order (blood thinners alone first,
as the reference); outcomes follow the patient's goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import icon_array as ia
from . import wording as w
from .models import EvidenceBase, Source, Verification
from .result import OptionResult, OutcomeResult, ReferenceResult, Result

STATUS_BADGE = {
    "studied": "",
    "one_group": "One treated group, no comparison",
    "indirect": "Evidence from other patients",
    "no_evidence": "Not studied for this patient",
    "contraindicated": "Not safe for this patient",
}
VERIFICATION_WORDS = {
    Verification.V: "checked in the published paper or its abstract",
    Verification.V_derived: "worked out from figures checked in the paper",
    Verification.V_sec: "secondary source: seen only in a summary of the paper, not the paper itself",
}
DESIGN_WORDS = {
    "RCT": "randomised trial",
    "RCT subgroup": "part of a randomised trial (subgroup)",
    "meta-analysis": "pooled analysis of several studies",
    "registry": "registry (one treated group, no comparison)",
    "observational": "observational study (groups not chosen by chance)",
    "guideline": "guideline panel",
}


@dataclass(frozen=True)
class Picture:
    caption: str
    counts: ia.IconCounts
    label: str  # the text equivalent, also the SVG's aria-label


@dataclass(frozen=True)
class Provenance:
    source_id: str
    citation: str
    link: str | None
    design: str
    patients: str
    follow_up: str
    population: str
    sponsorship: str
    verification: str
    secondary: bool


@dataclass
class Cell:
    option_id: str
    option_short: str
    status: str
    badge: str
    horizon: str | None
    pictures: list[Picture] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    finding: str | None = None
    empty_text: str | None = None
    certainty: str | None = None
    applicability: str = "none"
    reasons: list[str] = field(default_factory=list)
    arithmetic: list[str] = field(default_factory=list)
    sources: list[Provenance] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    secondary: bool = False
    range_note: str | None = None
    context: list[str] = field(default_factory=list)  # what happens over time with blood thinners alone


@dataclass
class Row:
    outcome_id: str
    label: str
    horizon_note: str
    cells: list[Cell]
    reference: ReferenceResult | None = None  # the row's one blood-thinners-alone figure


def provenance(src: Source) -> Provenance:
    sponsor = {True: "Yes: paid for by a company that makes the device or drug", False: "No"}.get(
        src.industry_sponsored, "Not recorded in this project's evidence file"
    )
    return Provenance(
        source_id=src.id,
        citation=src.citation,
        link=src.link,
        design=DESIGN_WORDS[src.design.value],
        patients=f"{src.patients:,} people" if src.patients else "not stated",
        follow_up=src.follow_up,
        population=src.population.description,
        sponsorship=sponsor,
        verification=VERIFICATION_WORDS.get(src.verification, src.verification.value),
        secondary=src.verification == Verification.V_sec,
    )


def _pictures(o: OutcomeResult, option: OptionResult, event: str, per: int) -> list[Picture]:
    pics = [
        Picture(
            caption=f"With {option.short}" if option.id != "anticoagulation" else "Blood thinners alone",
            counts=ia.counts(o.risk, o.risk_low, o.risk_high, per),
            label=f"{option.short}: {w.of_n(o.risk, per)} people {event}"
            + (f", could be {w.count(o.risk_low, per)} to {w.count(o.risk_high, per)}" if o.risk_low is not None else "")
            + f" ({o.horizon}).",
        )
    ]
    if o.comparator_risk is not None and option.id != "anticoagulation":
        pics.append(
            Picture(
                caption="Blood thinners alone (this row's figure)",
                counts=ia.counts(o.comparator_risk, o.comparator_low, o.comparator_high, per),
                label=f"Blood thinners alone: {w.of_n(o.comparator_risk, per)} people {event} ({o.horizon}).",
            )
        )
    return pics


def cell(o: OutcomeResult, option: OptionResult, base: EvidenceBase, per: int, sources: dict) -> Cell:
    info = next(x for x in base.vocabulary.outcomes if x.id == o.id)
    c = Cell(
        option_id=option.id,
        option_short=option.short,
        status=option.status,
        badge=STATUS_BADGE[option.status],
        horizon=o.horizon,
        applicability=o.applicability,
        reasons=list(o.reasons),
        arithmetic=list(o.arithmetic),
        sources=[provenance(sources[s]) for s in o.source_ids],
        secondary=o.secondary_source,
        range_note=o.range_note,
        certainty=(w.CERTAINTY_WORDS[o.certainty] + f" ({o.certainty_by})") if o.certainty else None,
    )
    if o.risk is not None:
        event = info.event_words or "had it"
        c.pictures = _pictures(o, option, event, per)
        c.words.append(w.both_frames(o.risk, per, event, info.no_event_words or "did not"))
        c.words.append(w.range_words(o.risk_low, o.risk_high, per))
        if o.comparator_risk is not None and option.id != "anticoagulation":
            c.words.append(f"Against {w.of_n(o.comparator_risk, per)} with blood thinners alone (this row's figure).")
        elif o.comparison == "one_group":
            c.words.append("One group only: there was no comparison group.")
    elif o.finding:
        c.finding = o.finding
    else:
        c.empty_text = o.reasons[0] if o.reasons else "No checked figure."
    if o.risk is not None or o.finding:
        c.others = [x.text for x in o.others]
    return c


def _has_row(base: EvidenceBase) -> set[str]:
    return {o.id for o in base.vocabulary.outcomes if o.own_row}


def unfigured(result: Result, base: EvidenceBase) -> list[str]:
    """Outcomes, in the patient's goal order, for which no option has a checked figure or finding for this patient."""
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    return [labels[oid] for oid in result.outcome_order if oid in _has_row(base)
            and not any(o.risk is not None or o.finding for o in (opt.outcome(oid) for opt in result.options))]


def rows(result: Result, base: EvidenceBase, per: int = 100) -> list[Row]:
    """Rows with at least one number or finding, in the patient's goal order."""
    sources = {s.id: s for s in base.sources}
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    own = _has_row(base)
    out = []
    for oid in result.outcome_order:
        outs = [(opt, opt.outcome(oid)) for opt in result.options]
        if oid not in own or not any(o.risk is not None or o.finding for _, o in outs):
            continue
        cells = [cell(o, opt, base, per, sources) for opt, o in outs]
        ref = result.reference(oid)
        if ref is not None:
            cells[0].context = list(ref.context)
        horizons = {c.horizon for c in cells if c.horizon and (c.pictures or c.finding)}
        note = (
            f"Time frame: {horizons.pop()}"
            if len(horizons) == 1
            else "Time frames differ between studies: each box gives its own."
        )
        out.append(Row(outcome_id=oid, label=labels[oid], horizon_note=note, cells=cells, reference=ref))
    return out
