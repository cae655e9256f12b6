"""One blood-thinners-alone reference per outcome row, and each option's figure set against it.

Every option in a row is compared with the same reference risk, the one the
row shows for blood thinners alone (data/references.yaml):
- a randomised comparison's relative effect is applied to the reference;
- a procedure's extra bleeding is added to the patient's bleeding tier;
- a published risk difference with no reference is said as a difference;
- a single group (a registry) is shown alone, never set up as compared.
The trial's own arms stay visible beside the arithmetic. Pure functions on the
evidence base: no clinical figures live here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import risk as rk
from .models import Estimate, EvidenceBase, Reference, Tier
from .result import ReferenceResult, TrialArms
from .wording import per100

RATIO_WORDS = {"RR": "risk ratio", "OR": "odds ratio"}
NULL = {"RR": 1.0, "OR": 1.0, "RD": 0.0}


@dataclass(frozen=True)
class Ratio:
    """A relative effect ready to apply: the measure, its value and 95% interval, and where it came from."""

    measure: str
    value: float
    low: float | None
    high: float | None
    method: str


def choose(base: EvidenceBase, outcome: str, location, neighbours: list) -> Reference | None:
    """The row's reference: one naming this location first, else one naming a neighbouring location."""
    mine = [r for r in base.references if r.outcome == outcome and location in r.locations]
    if not mine:
        mine = [r for r in base.references if r.outcome == outcome and any(n in r.locations for n in neighbours)]
    return min(mine, key=lambda r: (r.priority, r.id)) if mine else None


def reference_result(r: Reference, base: EvidenceBase, tier: Tier, fit_level: str, reasons: list[str]) -> ReferenceResult:
    """The reference risk for this patient, with its range and the sentence saying where it comes from."""
    src = {s.id: s for s in base.sources}[r.source]
    note = None
    if r.kind == "bleeding_tier":
        fig = next(t for t in base.rules.bleeding.tiers if t.tier == tier)
        risk, low, high = fig.risk, None, None
        said = f"Bleeding tier {fig.label}: {per100(risk)} in 100 ({src.first_author}, {src.journal} {src.year})."
    else:
        risk = r.arm.risk
        low, high = r.arm.low, r.arm.high
        if low is None and r.arm.n is not None:
            low, high = rk.wilson(r.arm.risk, r.arm.n)
            note = "range worked out by this project from the group size (Wilson score interval)"
        said = f"{per100(risk)} in 100 with blood thinners alone ({src.first_author} {src.year}, {r.horizon})."
    return ReferenceResult(
        id=r.id, outcome=r.outcome, kind=r.kind, risk=risk, low=low, high=high, range_note=note,
        horizon=base.rules.bleeding.horizon if r.kind == "bleeding_tier" else r.horizon,
        definition=r.definition, why=r.why, certainty=r.certainty.value, certainty_by=r.certainty_by,
        source_ids=[r.source], verification=r.verification.value,
        applicability="indirect" if fit_level == "indirect" else "direct", reasons=reasons, arithmetic=[said],
    )


def _counts(arm) -> tuple[float, float, bool]:
    """Events and group size; events worked out from the percentage when only that was published."""
    if arm.events is not None:
        return arm.events, arm.n, False
    return round(arm.risk * arm.n), arm.n, True


def ratio(e: Estimate) -> Ratio | None:
    """The trial's relative effect: published RR or OR; a published risk difference set against the trial's
    own control risk; or a risk ratio worked out from the arms (Katz log method)."""
    eff, i, c = e.effect, e.intervention, e.comparator
    if eff is not None and eff.measure in RATIO_WORDS:
        return Ratio(eff.measure, eff.value, eff.low, eff.high, "as published")
    if i is None or c is None or c.risk <= 0:
        return None
    if eff is not None and eff.measure == "RD" and eff.low is not None:
        return Ratio("RR", i.risk / c.risk, 1 + eff.low / c.risk, 1 + eff.high / c.risk,
                     "the published risk difference and its 95% interval, divided by the trial's "
                     "blood-thinners-alone risk")
    if i.n is None or c.n is None:
        return Ratio("RR", i.risk / c.risk, None, None, "worked out from the two groups' risks")
    e1, n1, d1 = _counts(i)
    e0, n0, d0 = _counts(c)
    value, low, high = rk.risk_ratio(e1, n1, e0, n0)
    derived = " (counts worked out from the published percentages)" if (d1 or d0) else ""
    return Ratio("RR", i.risk / c.risk, low, high, f"worked out from the trial's counts by the Katz log method{derived}")


def trial_arms(e: Estimate, option_short: str, src) -> TrialArms | None:
    """The trial's own result, exactly as stored, in words."""
    i, c = e.intervention, e.comparator
    if i is None or c is None:
        return None
    text = (f"In the trial ({src.first_author} {src.year}, {e.horizon}): {per100(i.risk)} in 100 with {option_short}, "
            f"{per100(c.risk)} in 100 with blood thinners alone.")
    return TrialArms(intervention=i.risk, comparator=c.risk, intervention_n=i.n, comparator_n=c.n, text=text)


def applied(e: Estimate, ref: ReferenceResult, r: Ratio, src) -> dict:
    """The relative effect applied to the row's reference, with the arithmetic."""
    base = ref.risk
    risk = rk.apply_ratio(r.measure, r.value, base)
    low = high = None
    if r.low is not None:
        low, high = rk.ordered(rk.apply_ratio(r.measure, r.low, base), risk, rk.apply_ratio(r.measure, r.high, base))
    ci = f" (95% interval {r.low:.2f} to {r.high:.2f})" if r.low is not None else ""
    lines = [
        f"Blood thinners alone for this patient: {per100(base)} in 100 ({ref.horizon}; the row's reference).",
        f"Effect in {src.first_author} {src.year}: {RATIO_WORDS[r.measure]} {r.value:.2f}{ci}, {r.method}.",
    ]
    if r.measure == "RR":
        calc = f"{per100(base)} x {r.value:.2f} = {per100(risk)} in 100"
        if low is not None:
            calc += f" (range {per100(base)} x {r.low:.2f} = {per100(low)} to {per100(base)} x {r.high:.2f} = {per100(high)})"
    else:
        calc = (f"odds {per100(base)} to {per100(1 - base)}, times {r.value:.2f}, gives {per100(risk)} in 100"
                + (f" (range {per100(low)} to {per100(high)})" if low is not None else ""))
    lines.append(f"For this patient: {calc}.")
    lo_hi = (rk.direction(r.low, r.high, NULL[r.measure]))
    return dict(risk=risk, low=low, high=high, arithmetic=lines, direction=lo_hi)


def added(e: Estimate, ref: ReferenceResult, src, option_short: str) -> dict:
    """A procedure's extra risk added to the bleeding tier, with the arithmetic."""
    base = ref.risk
    notes: list[str] = []
    eff, i, c = e.effect, e.intervention, e.comparator
    if eff is not None and eff.measure == "RD":
        inc, lo, hi = eff.value, eff.low, eff.high
        said = f"Extra serious bleeding with {option_short} ({src.first_author} {src.year}): {per100(inc)} more in 100 ({e.horizon})."
    elif c is not None:
        inc, lo, hi = i.risk - c.risk, None, None
        if i.n and c.n:
            lo, hi = rk.newcombe_difference(i.risk, i.n, c.risk, c.n)
            notes.append("range of the extra risk worked out by this project from the trial's group sizes (Newcombe)")
        said = (f"In the {src.first_author} {src.year} trial, {per100(i.risk)} in 100 with {option_short} and "
                f"{per100(c.risk)} in 100 with blood thinners alone had serious bleeding {e.horizon}: "
                f"{per100(inc)} more in 100.")
    else:
        inc, lo, hi = i.risk, None, None
        if i.n:
            lo, hi = rk.wilson(i.risk, i.n)
            notes.append("range worked out by this project from the group size (Wilson score interval)")
        said = (f"In {src.first_author} {src.year}, {per100(i.risk)} in 100 had serious bleeding {e.horizon}. There was "
                "no comparison group, so all of it is counted as extra.")
    risk = rk.clip(base + inc)
    low = high = None
    lines = [f"Blood thinners alone for this patient: {per100(base)} in 100 ({ref.horizon}; the row's reference).", said]
    if lo is not None:
        low, high = rk.ordered(base + lo, risk, base + hi)
        lines.append(f"For this patient: {per100(base)} + {per100(inc)} = {per100(risk)} in 100 "
                     f"(range {per100(low)} to {per100(high)}).")
    else:
        lines.append(f"For this patient: {per100(base)} + {per100(inc)} = {per100(risk)} in 100.")
    return dict(risk=risk, low=low, high=high, arithmetic=lines, range_note="; ".join(notes) or None,
                direction=rk.direction(lo, hi, 0.0) if lo is not None else ("higher" if inc > 0 else "no clear difference"),
                horizon=f"{ref.horizon} on blood thinners, plus the extra bleeding {e.horizon}")


def difference_words(e: Estimate, event_words: str, option_short: str, src) -> tuple[str, str]:
    """A published risk difference in words (per 1,000), and its direction."""
    eff = e.effect

    def said(v: float) -> str:
        k = round(abs(v) * 1000)
        if k == 0:
            return "no difference"
        return f"{k} {'more' if v > 0 else 'fewer'}"

    text = (f"Compared with blood thinners alone, {said(eff.value)} in 1,000 people {event_words} with {option_short}"
            + (f" (could be from {said(eff.low)} to {said(eff.high)})" if eff.low is not None else "")
            + f", {e.horizon} ({src.first_author} {src.year}). No checked figure gives the risk with blood thinners "
            "alone for this patient, so only the difference is given.")
    return text, rk.direction(eff.low, eff.high, 0.0)


def arms_words(e: Estimate, info, option_short: str, src) -> tuple[str, str]:
    """The trial's arms in words when too few events make a ratio meaningless, and their direction."""
    i, c = e.intervention, e.comparator
    who = info.event_words or "had it"
    if i.events is not None and c.events is not None:
        text = (f"In {src.first_author} {src.year}, {i.events} of {i.n} people with {option_short} and {c.events} of "
                f"{c.n} with blood thinners alone {who} ({e.horizon}).")
    else:
        text = (f"In {src.first_author} {src.year}, {per100(i.risk)} in 100 with {option_short} and {per100(c.risk)} "
                f"in 100 with blood thinners alone {who} ({e.horizon}).")
    text += " Too few people had it to work out a figure for this patient."
    r = ratio(e)
    return text, rk.direction(r.low, r.high, 1.0) if r is not None else "no clear difference"
