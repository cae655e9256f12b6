"""The comparison grid as plain data: one row per outcome, one cell per option.

Built from an engine result; the dashboard turns it into HTML and the tests
read it directly. Options keep their fixed order (blood thinners alone first,
as the reference); outcomes follow the patient's goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.compute import localised
from ..engine.result import OptionResult, OutcomeResult, ReferenceResult, Result
from ..evidence.models import EvidenceBase, Source, Verification
from ..words import i18n
from ..words import wording as w
from . import icon_array as ia

STATUSES = ("studied", "one_group", "indirect", "no_evidence", "contraindicated")


def status_badge(status: str, cat: i18n.Catalogue | None = None) -> str:
    """The badge for an option's status ('' for studied): words, never a rank."""
    return (cat or i18n.catalogue("en")).t(f"grid.badge.{status}")


def __getattr__(name: str):
    """English words kept for callers that read them by key."""
    en = i18n.catalogue("en")
    if name == "STATUS_BADGE":
        return {s: status_badge(s, en) for s in STATUSES}
    if name == "VERIFICATION_WORDS":
        return {v: en.t(f"grid.verification.{v.name}") for v in (Verification.V, Verification.V_derived,
                                                                  Verification.V_sec)}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    lang: str = "en"  # the language of the words (sdm.html_views reads it)


@dataclass
class Row:
    outcome_id: str
    label: str
    horizon_note: str
    cells: list[Cell]
    reference: ReferenceResult | None = None  # the row's one blood-thinners-alone figure
    horizon: str | None = None  # the row's one time frame, when every box has the same
    lang: str = "en"


def provenance(src: Source, cat: i18n.Catalogue | None = None) -> Provenance:
    cat = cat or i18n.catalogue("en")
    sponsor = cat.t({True: "grid.sponsor.yes", False: "grid.sponsor.no"}.get(src.industry_sponsored,
                                                                            "grid.sponsor.unknown"))
    known = src.verification in (Verification.V, Verification.V_derived, Verification.V_sec)
    return Provenance(
        source_id=src.id,
        citation=src.citation,
        link=src.link,
        design=cat.t(f"grid.design.{src.design.name}"),
        patients=cat.t("grid.people", n=cat.number(src.patients)) if src.patients else cat.t("grid.people_unknown"),
        follow_up=src.follow_up,
        population=src.population.description,
        sponsorship=sponsor,
        verification=cat.t(f"grid.verification.{src.verification.name}") if known else src.verification.value,
        secondary=src.verification == Verification.V_sec,
    )


def _pictures(o: OutcomeResult, option: OptionResult, event: str, per: int, cat: i18n.Catalogue) -> list[Picture]:
    said = dict(option=option.short, of_n=w.of_n(o.risk, per, cat=cat), event=event, horizon=o.horizon)
    pics = [
        Picture(
            caption=cat.t("grid.caption_with", option=option.short) if option.id != "anticoagulation"
            else cat.t("grid.caption_alone"),
            counts=ia.counts(o.risk, o.risk_low, o.risk_high, per),
            label=cat.t("grid.picture_range", **said, low=w.count(o.risk_low, per), high=w.count(o.risk_high, per))
            if o.risk_low is not None else cat.t("grid.picture", **said),
        )
    ]
    if o.comparator_risk is not None and option.id != "anticoagulation":
        pics.append(
            Picture(
                caption=cat.t("grid.caption_reference"),
                counts=ia.counts(o.comparator_risk, o.comparator_low, o.comparator_high, per),
                label=cat.t("grid.picture_reference", of_n=w.of_n(o.comparator_risk, per, cat=cat), event=event,
                            horizon=o.horizon),
            )
        )
    return pics


def cell(o: OutcomeResult, option: OptionResult, base: EvidenceBase, per: int, sources: dict,
         cat: i18n.Catalogue | None = None) -> Cell:
    cat = cat or i18n.catalogue("en")
    info = next(x for x in base.vocabulary.outcomes if x.id == o.id)
    c = Cell(
        option_id=option.id,
        option_short=option.short,
        status=option.status,
        badge=status_badge(option.status, cat),
        horizon=o.horizon,
        applicability=o.applicability,
        reasons=list(o.reasons),
        arithmetic=list(o.arithmetic),
        sources=[provenance(sources[s], cat) for s in o.source_ids],
        secondary=o.secondary_source,
        range_note=o.range_note,
        certainty=cat.t("grid.certainty", words=w.certainty_words(o.certainty, cat), by=o.certainty_by)
        if o.certainty else None,
        lang=cat.lang,
    )
    if o.risk is not None:
        event = info.event_words or cat.t("engine.had_it")
        c.pictures = _pictures(o, option, event, per, cat)
        c.words.append(w.both_frames(o.risk, per, event, info.no_event_words or cat.t("wording.did_not"), cat=cat))
        c.words.append(w.range_words(o.risk_low, o.risk_high, per, cat=cat))
        if o.comparator_risk is not None and option.id != "anticoagulation":
            c.words.append(cat.t("grid.against", of_n=w.of_n(o.comparator_risk, per, cat=cat)))
        elif o.comparison == "one_group":
            c.words.append(cat.t("grid.one_group_only"))
    elif o.finding:
        c.finding = o.finding
    else:
        c.empty_text = o.reasons[0] if o.reasons else cat.t("engine.no_figure")
    if o.risk is not None or o.finding:
        c.others = [x.text for x in o.others]
    return c


def _has_row(base: EvidenceBase) -> set[str]:
    return {o.id for o in base.vocabulary.outcomes if o.own_row}


def unfigured(result: Result, base: EvidenceBase) -> list[str]:
    """Outcomes, in the patient's goal order, for which no option has a checked figure or finding for this patient."""
    base = localised(base, result.scenario.lang)
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    return [labels[oid] for oid in result.outcome_order if oid in _has_row(base)
            and not any(o.risk is not None or o.finding for o in (opt.outcome(oid) for opt in result.options))]


def rows(result: Result, base: EvidenceBase, per: int = 100, only: set[str] | None = None) -> list[Row]:
    """Rows with at least one number or finding, in the patient's goal order, in the result's language
    (`only`: just these outcomes, e.g. the few a summary shows)."""
    cat = i18n.catalogue(result.scenario.lang)
    base = localised(base, result.scenario.lang)
    sources = {s.id: s for s in base.sources}
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    own = _has_row(base)
    out = []
    for oid in result.outcome_order:
        outs = [(opt, opt.outcome(oid)) for opt in result.options]
        if oid not in own or (only is not None and oid not in only) or not any(
                o.risk is not None or o.finding for _, o in outs):
            continue
        cells = [cell(o, opt, base, per, sources, cat) for opt, o in outs]
        ref = result.reference(oid)
        if ref is not None:
            cells[0].context = list(ref.context)
        horizons = {c.horizon for c in cells if c.horizon and (c.pictures or c.finding)}
        one = horizons.pop() if len(horizons) == 1 else None
        note = cat.t("grid.time_frame", horizon=one) if one is not None else cat.t("grid.time_frames_differ")
        out.append(Row(outcome_id=oid, label=labels[oid], horizon_note=note, cells=cells, reference=ref, horizon=one,
                       lang=cat.lang))
    return out
