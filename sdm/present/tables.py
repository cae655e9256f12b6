"""Alternate views of the same numbers: an Option-Grid-style question table,
the clinician trade-off points, and the rows grouped by the patient's goals."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.compute import localised
from ..engine.result import OptionResult, Result
from ..evidence.models import EvidenceBase
from ..words import i18n
from ..words import wording as w
from .grid import Row

STATUSES = ("studied", "one_group", "indirect", "no_evidence", "contraindicated")


def status_answer(status: str, cat: i18n.Catalogue | None = None) -> str:
    return (cat or i18n.catalogue("en")).t(f"tables.status_answer.{status}")


def pts_measures(cat: i18n.Catalogue | None = None) -> dict[str, str]:
    """The PTS measures the trade-off chart can count, id -> words."""
    cat = cat or i18n.catalogue("en")
    return {m: cat.t(f"tables.tradeoff.{m}") for m in ("pts_any", "pts_moderate_severe")}


def __getattr__(name: str):
    """English words kept for callers that read them by key."""
    if name == "STATUS_ANSWER":
        return {s: status_answer(s) for s in STATUSES}
    if name == "PTS_MEASURES":
        return pts_measures()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Questions(list):
    """The question table's rows (dicts keyed "Question" and each option's short name), with their language."""

    lang: str = "en"


def _risk_answer(opt: OptionResult, outcome_id: str, per: int, cat: i18n.Catalogue) -> str:
    o = opt.outcome(outcome_id)
    if o.risk is None:
        return o.finding or cat.t("tables.no_figure")
    said = dict(of_n=w.of_n(o.risk, per, cat=cat), horizon=o.horizon)
    if o.comparator_risk is not None and o.comparison != "reference":
        return cat.t("tables.risk_against", **said, reference=w.of_n(o.comparator_risk, per, cat=cat))
    if o.comparison == "one_group":
        return cat.t("tables.risk_one_group", **said)
    return cat.t("tables.risk", **said)


def option_grid(result: Result, base: EvidenceBase, per: int = 100) -> Questions:
    """Rows are the patient's questions, columns are options, answers are short and plain (result's language)."""
    cat = i18n.catalogue(result.scenario.lang)
    content = localised(base, result.scenario.lang).content

    def q(key: str) -> str:
        return cat.t(f"tables.questions.{key}")

    questions = [
        (q("what"), lambda o: content.options[o.id].plain),
        (q("studied"), lambda o: " ".join([status_answer(o.status, cat), *o.reasons[:1]])),
        (q("relief"), lambda o: _risk_answer(o, "early_symptom_relief", per, cat)),
        (q("bleeding"), lambda o: _risk_answer(o, "major_bleeding", per, cat)),
        (q("pts_moderate_severe"), lambda o: _risk_answer(o, "pts_moderate_severe", per, cat)),
        (q("pts_any"), lambda o: _risk_answer(o, "pts_any", per, cat)),
        (q("clot"), lambda o: _risk_answer(o, "recurrent_vte", per, cat)),
        (q("hospital"), lambda o: content.options[o.id].like["hospital_stay"]),
        (q("after"), lambda o: content.options[o.id].like["blood_thinners_after"]),
    ]
    out = Questions()
    out.lang = cat.lang
    for question, answer in questions:
        row = {"Question": question}
        for opt in result.options:
            row[opt.short] = answer(opt)
        out.append(row)
    return out


@dataclass(frozen=True)
class TradeoffPoint:
    option_id: str
    label: str
    short: str
    extra_bleeding: float  # per 100
    bleed_low: float
    bleed_high: float
    fewer_pts: float  # per 100
    pts_low: float
    pts_high: float
    pts_label: str
    sources: str
    lang: str = "en"

    def as_row(self) -> dict:
        cat = i18n.catalogue(self.lang)

        def value(v: float, low: float, high: float) -> str:
            return cat.t("tables.tradeoff.value", value=f"{v:.1f}", low=f"{low:.1f}", high=f"{high:.1f}")

        return {
            cat.t("tables.tradeoff.option"): self.label,
            cat.t("tables.tradeoff.bleeding"): value(self.extra_bleeding, self.bleed_low, self.bleed_high),
            cat.t("tables.tradeoff.pts"): value(self.fewer_pts, self.pts_low, self.pts_high),
            cat.t("tables.tradeoff.counted"): self.pts_label,
            cat.t("tables.tradeoff.sources"): self.sources,
        }


def tradeoff_points(result: Result, pts_outcome: str = "pts_any") -> list[TradeoffPoint]:
    """Extra serious bleeding against fewer people with PTS (one PTS measure for every point),
    each option against blood thinners alone as the engine worked it out for this patient."""
    points = []
    cat = i18n.catalogue(result.scenario.lang)
    pts_label = pts_measures(cat)[pts_outcome]
    for opt in result.options:
        if opt.id == "anticoagulation":
            continue
        bleed = opt.outcome("major_bleeding")
        pts = opt.outcome(pts_outcome)
        if None in (bleed.risk, bleed.comparator_risk, pts.risk, pts.comparator_risk):
            continue
        b = (bleed.risk - bleed.comparator_risk) * 100
        p = (pts.comparator_risk - pts.risk) * 100
        b_lo = ((bleed.risk_low if bleed.risk_low is not None else bleed.risk) - bleed.comparator_risk) * 100
        b_hi = ((bleed.risk_high if bleed.risk_high is not None else bleed.risk) - bleed.comparator_risk) * 100
        p_lo = (pts.comparator_risk - (pts.risk_high if pts.risk_high is not None else pts.risk)) * 100
        p_hi = (pts.comparator_risk - (pts.risk_low if pts.risk_low is not None else pts.risk)) * 100
        points.append(TradeoffPoint(
            option_id=opt.id, label=opt.label, short=opt.short, extra_bleeding=b, bleed_low=min(b_lo, b),
            bleed_high=max(b_hi, b), fewer_pts=p, pts_low=min(p_lo, p), pts_high=max(p_hi, p), pts_label=pts_label,
            sources=", ".join(dict.fromkeys(bleed.source_ids + pts.source_ids)), lang=cat.lang,
        ))
    return points


def tradeoff_alt(points: list[TradeoffPoint], cat: i18n.Catalogue | None = None) -> str:
    """The chart's text equivalent, in the points' language (or `cat`'s when there are none)."""
    cat = cat or i18n.catalogue(points[0].lang if points else i18n.DEFAULT)
    parts = [cat.t("tables.tradeoff.point", option=p.short, bleeding=f"{p.extra_bleeding:.1f}",
                   pts=f"{p.fewer_pts:.1f}", measure=p.pts_label) for p in points]
    return cat.t("tables.tradeoff.alt", points="; ".join(parts))


def rows_by_goal(rows: list[Row], goals: list, base: EvidenceBase) -> list[tuple[str, list[Row]]]:
    outcome_goals = {o.id: o.goals for o in base.vocabulary.outcomes}
    out = []
    for g in goals:
        gid = getattr(g, "value", g)
        out.append((gid, [r for r in rows if gid in outcome_goals.get(r.outcome_id, [])]))
    return out


def no_numbers_for_goal(goal_id: str, result: Result) -> str:
    cat = i18n.catalogue(result.scenario.lang)
    if goal_id == "save_limb":
        return cat.t("tables.goal.save_limb_threat" if result.scenario.limb_threatening else "tables.goal.save_limb")
    return cat.t("tables.goal.none")
