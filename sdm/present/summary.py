"""The summary at the top of the consult screen: the patient's top goals, every option, one reference a row.

Plain data built from an engine result; sdm.summary_html draws it and the tests
read it. An option that does not apply gives its reason once (its column), rows
where no option has a checked figure fold into one line, and everything else
(certainty, time frame, caveats, sources, arithmetic) is one click away. No
ranking, no score, no reordering of options.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.compute import localised
from ..engine.result import OptionResult, Result
from ..evidence.models import EvidenceBase
from ..words import i18n
from ..words import wording as w
from . import grid

DEFAULT_TOP = 3  # how many of the patient's goals the summary shows
GREYED = ("no_evidence", "contraindicated")


@dataclass(frozen=True)
class Column:
    """One option: its name, its status and, once, why it does or does not apply."""

    option_id: str
    short: str
    name: str
    status: str
    badge: str
    reasons: list[str]
    greyed: bool


@dataclass
class SummaryCell:
    option_id: str
    short: str
    greyed: bool
    headline: str | None = None  # "18 in 100 with PCDT, 28 in 100 with blood thinners alone"
    number: str | None = None  # "18 in 100"
    who: str | None = None  # "with PCDT"
    versus: str | None = None  # "28 in 100 with blood thinners alone": the row's one reference
    range_text: str | None = None  # "could be 13 to 26"
    words: str | None = None  # a result said only in words, or "No checked figure."
    note: str | None = None  # "one group, no comparison"
    detail: grid.Cell | None = None  # the full cell: certainty, time frame, caveats, sources, arithmetic


@dataclass
class SummaryRow:
    outcome_id: str
    label: str
    goal_label: str
    horizon_note: str
    cells: list[SummaryCell]


@dataclass
class Summary:
    columns: list[Column]
    rows: list[SummaryRow]
    folded: list[tuple[str, list[str]]] = field(default_factory=list)  # (outcome label, what each option says)
    per: int = 100
    lang: str = "en"  # the language of the words (sdm.summary_html reads it)


def no_figure(cat: i18n.Catalogue | None = None) -> str:
    """The words a cell with no checked figure carries ('No checked figure.')."""
    return (cat or i18n.catalogue("en")).t("engine.no_figure")


def __getattr__(name: str):
    if name == "NO_FIGURE":  # the English words, for callers that compare with them
        return no_figure()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def summary_outcomes(result: Result, base: EvidenceBase, top: int = DEFAULT_TOP) -> list[tuple[str, str]]:
    """(outcome id, goal label) for the patient's top goals, in their order; each goal names its summary rows."""
    base = localised(base, result.scenario.lang)
    goals = {g.id: g for g in base.vocabulary.goals}
    out: list[tuple[str, str]] = []
    for g in list(result.scenario.goals)[:top]:
        info = goals[g.value]
        out += [(oid, info.label) for oid in info.summary if oid not in {o for o, _ in out}]
    return out


def _column(opt: OptionResult, base: EvidenceBase, cat: i18n.Catalogue) -> Column:
    return Column(option_id=opt.id, short=opt.short, name=base.content.options[opt.id].name, status=opt.status,
                  badge=grid.status_badge(opt.status, cat) or cat.t("summary.studied"), reasons=list(opt.reasons),
                  greyed=opt.status in GREYED)


def _parts(o, option: OptionResult, base: EvidenceBase, per: int,
           cat: i18n.Catalogue) -> tuple[str, str, str | None]:
    """('18 in 100', 'with PCDT', '28 in 100 with blood thinners alone' or None)."""
    names = {x.id.value: x.with_words for x in base.vocabulary.options}
    versus = None
    if option.id != "anticoagulation" and o.comparator_risk is not None:
        versus = f"{w.in_n(o.comparator_risk, per, cat=cat)} {names['anticoagulation']}"
    return w.in_n(o.risk, per, cat=cat), names[option.id], versus


def _range(o, per: int, cat: i18n.Catalogue) -> str | None:
    if o.risk_low is None or o.risk_high is None:
        return None
    lo, hi = w.count(o.risk_low, per), w.count(o.risk_high, per)
    if lo != hi:
        return cat.t("summary.range", low=cat.number(lo), high=cat.number(hi))
    return cat.t("summary.close_to", low=cat.number(lo))


def build(result: Result, base: EvidenceBase, per: int = 100, top: int = DEFAULT_TOP) -> Summary:
    """The summary in the result's language (the base is put in that language if it is not)."""
    cat = i18n.catalogue(result.scenario.lang)
    base = localised(base, result.scenario.lang)
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    columns = [_column(opt, base, cat) for opt in result.options]
    rows, folded = [], []
    shown = list(summary_outcomes(result, base, top))
    details = {r.outcome_id: r for r in grid.rows(result, base, per, only={oid for oid, _ in shown})}
    for oid, goal_label in shown:
        outs = [(opt, opt.outcome(oid)) for opt in result.options]
        if oid not in details:  # no option has a checked figure or finding for this patient
            said = [o.reasons[0] for (_, o), col in zip(outs, columns, strict=True) if o.reasons and not col.greyed]
            folded.append((labels[oid], list(dict.fromkeys(said)) or [no_figure(cat)]))
            continue
        row = details[oid]
        cells = []
        for (opt, o), col, c in zip(outs, columns, row.cells, strict=True):
            cell = SummaryCell(option_id=opt.id, short=opt.short, greyed=col.greyed)
            if col.greyed:
                pass  # the column says why, once
            elif o.risk is not None:
                cell.number, cell.who, cell.versus = _parts(o, opt, base, per, cat)
                cell.headline = f"{cell.number} {cell.who}" + (f", {cell.versus}" if cell.versus else "")
                cell.range_text, cell.detail = _range(o, per, cat), c
                if o.comparison == "one_group":
                    cell.note = cat.t("summary.one_group")
            elif o.finding:
                cell.words, cell.detail = o.finding, c
            else:
                cell.words = no_figure(cat)
            cells.append(cell)
        note = row.horizon_note if row.horizon is not None else cat.t("summary.horizons_differ")
        rows.append(SummaryRow(outcome_id=oid, label=labels[oid], goal_label=goal_label, horizon_note=note,
                               cells=cells))
    return Summary(columns=columns, rows=rows, folded=folded, per=per, lang=cat.lang)


def folded_elsewhere(result: Result, base: EvidenceBase, summary: Summary) -> list[str]:
    """Outcomes outside the summary with no checked figure for any option: one folded line on the page."""
    shown = {r.outcome_id for r in summary.rows} | {label for label, _ in summary.folded}
    return [label for label in grid.unfigured(result, base) if label not in shown]
