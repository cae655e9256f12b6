"""Alternate views of the same numbers: an Option-Grid-style question table,
the clinician trade-off points, and the rows grouped by the patient's goals."""

from __future__ import annotations

from dataclasses import dataclass

from . import wording as w
from .grid import Row
from .models import EvidenceBase
from .result import OptionResult, Result

STATUS_ANSWER = {
    "studied": "Yes, in people like you.",
    "one_group": "Only in one group of treated people, with no comparison group.",
    "indirect": "Only in people who differ from you in some way.",
    "no_evidence": "No.",
    "contraindicated": "It is not safe for you.",
}


def _risk_answer(opt: OptionResult, outcome_id: str, per: int) -> str:
    o = opt.outcome(outcome_id)
    if o.risk is None:
        return o.finding or "No figure we could check."
    text = f"{w.of_n(o.risk, per)} ({o.horizon})"
    if o.comparator_risk is not None and o.comparison != "reference":
        text += f"; against {w.of_n(o.comparator_risk, per)} with blood thinners alone"
    elif o.comparison == "one_group":
        text += "; one group, no comparison"
    return text


def option_grid(result: Result, base: EvidenceBase, per: int = 100) -> list[dict[str, str]]:
    """Rows are the patient's questions, columns are options, answers are short and plain."""
    content = base.content
    questions = [
        ("What is it?", lambda o: content.options[o.id].plain),
        ("Has it been studied in people like me?",
         lambda o: " ".join([STATUS_ANSWER[o.status], *o.reasons[:1]])),
        ("Will pain and swelling ease faster?", lambda o: _risk_answer(o, "early_symptom_relief", per)),
        ("How many have serious bleeding?", lambda o: _risk_answer(o, "major_bleeding", per)),
        ("How many have moderate or severe leg problems later?", lambda o: _risk_answer(o, "pts_moderate_severe", per)),
        ("How many have any long-term leg problems?", lambda o: _risk_answer(o, "pts_any", per)),
        ("How many get another clot?", lambda o: _risk_answer(o, "recurrent_vte", per)),
        ("What is the hospital stay like?", lambda o: content.options[o.id].like["hospital_stay"]),
        ("What about blood thinners afterwards?", lambda o: content.options[o.id].like["blood_thinners_after"]),
    ]
    out = []
    for q, answer in questions:
        row = {"Question": q}
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

    def as_row(self) -> dict:
        return {
            "Option": self.label,
            "Extra serious bleeding per 100 (range)": f"{self.extra_bleeding:.1f} ({self.bleed_low:.1f} to {self.bleed_high:.1f})",
            "Fewer with leg problems per 100 (range)": f"{self.fewer_pts:.1f} ({self.pts_low:.1f} to {self.pts_high:.1f})",
            "Leg problems counted": self.pts_label,
            "Sources": self.sources,
        }


PTS_MEASURES = {"pts_any": "any PTS", "pts_moderate_severe": "moderate or severe PTS"}


def tradeoff_points(result: Result, pts_outcome: str = "pts_any") -> list[TradeoffPoint]:
    """Extra serious bleeding against fewer people with PTS (one PTS measure for every point),
    each option against blood thinners alone as the engine worked it out for this patient."""
    points = []
    pts_label = PTS_MEASURES[pts_outcome]
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
            sources=", ".join(dict.fromkeys(bleed.source_ids + pts.source_ids)),
        ))
    return points


def tradeoff_alt(points: list[TradeoffPoint]) -> str:
    parts = [
        f"{p.short}: {p.extra_bleeding:.1f} more with serious bleeding and {p.fewer_pts:.1f} fewer with "
        f"{p.pts_label} per 100 people"
        for p in points
    ]
    return "Trade-off chart. " + "; ".join(parts) + "."


def rows_by_goal(rows: list[Row], goals: list, base: EvidenceBase) -> list[tuple[str, list[Row]]]:
    outcome_goals = {o.id: o.goals for o in base.vocabulary.outcomes}
    out = []
    for g in goals:
        gid = getattr(g, "value", g)
        out.append((gid, [r for r in rows if gid in outcome_goals.get(r.outcome_id, [])]))
    return out


def no_numbers_for_goal(goal_id: str, result: Result) -> str:
    if goal_id == "save_limb":
        if result.scenario.limb_threatening:
            return ("The trials left out people whose clot threatened the leg, so there are no trial numbers. "
                    "See what the guidelines say below.")
        return "This matters when a clot threatens the leg. It does not apply to this clot as entered."
    return "No figures that we could check for this goal."
