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

from ..evidence.models import Estimate, EvidenceBase, Reference, Tier
from ..words import i18n
from ..words.wording import per100
from . import risk as rk
from .applicability import index, memo
from .result import ReferenceResult, TrialArms

RATIOS = ("RR", "OR")
NULL = {"RR": 1.0, "OR": 1.0, "RD": 0.0}


def _en() -> i18n.Catalogue:
    return i18n.catalogue("en")


def ratio_words(measure: str, cat: i18n.Catalogue | None = None) -> str:
    """'risk ratio' for RR, 'odds ratio' for OR."""
    return (cat or _en()).t(f"engine.ratio.{measure}")


def __getattr__(name: str):
    """The English ratio words, for callers that read them by measure."""
    if name == "RATIO_WORDS":
        return {m: ratio_words(m) for m in RATIOS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Ratio:
    """A relative effect ready to apply: the measure, its value and 95% interval, and where it came from.

    `method` names how it was found: published | difference | risks | katz | katz_derived (see method_words)."""

    measure: str
    value: float
    low: float | None
    high: float | None
    method: str


def method_words(r: Ratio, cat: i18n.Catalogue | None = None) -> str:
    return (cat or _en()).t(f"engine.method.{r.method}")


def choose(base: EvidenceBase, outcome: str, location, neighbours: list) -> Reference | None:
    """The row's reference: one naming this location first, else one naming a neighbouring location."""
    key = ("choose", outcome, location, tuple(neighbours))
    return memo(base, key, lambda: _choose(base, outcome, location, neighbours))


def _choose(base: EvidenceBase, outcome: str, location, neighbours: list) -> Reference | None:
    mine = [r for r in base.references if r.outcome == outcome and location in r.locations]
    if not mine:
        mine = [r for r in base.references if r.outcome == outcome and any(n in r.locations for n in neighbours)]
    return min(mine, key=lambda r: (r.priority, r.id)) if mine else None


def reference_result(r: Reference, base: EvidenceBase, tier: Tier, fit_level: str, reasons: list[str],
                     cat: i18n.Catalogue | None = None, context: list[str] | None = None) -> ReferenceResult:
    """The reference risk for this patient, with its range and the sentence saying where it comes from
    (and `context`: what happens over time with blood thinners alone)."""
    cat = cat or _en()
    # The figure depends on the patient only through the tier (a bleeding tier reference).
    key = ("reference", r.id, tier if r.kind == "bleeding_tier" else None, cat.lang)
    risk, low, high, note, said = memo(base, key, lambda: _reference_figure(r, base, tier, cat), cat)
    return ReferenceResult(
        id=r.id, outcome=r.outcome, kind=r.kind, risk=risk, low=low, high=high, range_note=note,
        horizon=base.rules.bleeding.horizon if r.kind == "bleeding_tier" else r.horizon,
        definition=r.definition, why=r.why, certainty=r.certainty.value, certainty_by=r.certainty_by,
        source_ids=[r.source], verification=r.verification.value,
        applicability="indirect" if fit_level == "indirect" else "direct", reasons=reasons, arithmetic=[said],
        **({"context": context} if context is not None else {}),
    )


def _reference_figure(r: Reference, base: EvidenceBase, tier: Tier, cat: i18n.Catalogue) -> tuple:
    """(risk, low, high, range note, the sentence saying where it comes from)."""
    src = index(base).sources[r.source]
    note = None
    if r.kind == "bleeding_tier":
        fig = next(t for t in base.rules.bleeding.tiers if t.tier == tier)
        risk, low, high = fig.risk, None, None
        said = cat.t("engine.reference.tier", label=fig.label, p=per100(risk), author=src.first_author,
                     journal=src.journal, year=src.year)
    else:
        risk = r.arm.risk
        low, high = r.arm.low, r.arm.high
        if low is None and r.arm.n is not None:
            low, high = rk.wilson(r.arm.risk, r.arm.n)
            note = cat.t("engine.range_wilson")
        said = cat.t("engine.reference.arm", p=per100(risk), cite=src.short_cite, horizon=r.horizon)
    return risk, low, high, note, said


def _counts(arm) -> tuple[float, float, bool]:
    """Events and group size; events worked out from the percentage when only that was published."""
    if arm.events is not None:
        return arm.events, arm.n, False
    return round(arm.risk * arm.n), arm.n, True


def ratio(e: Estimate) -> Ratio | None:
    """The trial's relative effect: published RR or OR; a published risk difference set against the trial's
    own control risk; or a risk ratio worked out from the arms (Katz log method)."""
    eff, i, c = e.effect, e.intervention, e.comparator
    if eff is not None and eff.measure in RATIOS:
        return Ratio(eff.measure, eff.value, eff.low, eff.high, "published")
    if i is None or c is None or c.risk <= 0:
        return None
    if eff is not None and eff.measure == "RD" and eff.low is not None:
        return Ratio("RR", i.risk / c.risk, 1 + eff.low / c.risk, 1 + eff.high / c.risk, "difference")
    if i.n is None or c.n is None:
        return Ratio("RR", i.risk / c.risk, None, None, "risks")
    e1, n1, d1 = _counts(i)
    e0, n0, d0 = _counts(c)
    value, low, high = rk.risk_ratio(e1, n1, e0, n0)
    return Ratio("RR", i.risk / c.risk, low, high, "katz_derived" if (d1 or d0) else "katz")


def trial_arms(e: Estimate, option_short: str, src, cat: i18n.Catalogue | None = None) -> TrialArms | None:
    """The trial's own result, exactly as stored, in words."""
    i, c = e.intervention, e.comparator
    if i is None or c is None:
        return None
    text = (cat or _en()).t("engine.reference.trial_arms", cite=src.short_cite, horizon=e.horizon,
                            p_option=per100(i.risk), option=option_short, p_alone=per100(c.risk))
    return TrialArms(intervention=i.risk, comparator=c.risk, intervention_n=i.n, comparator_n=c.n, text=text)


def applied(e: Estimate, ref: ReferenceResult, r: Ratio, src, cat: i18n.Catalogue | None = None) -> dict:
    """The relative effect applied to the row's reference, with the arithmetic."""
    cat = cat or _en()
    base = ref.risk
    risk = rk.apply_ratio(r.measure, r.value, base)
    low = high = None
    if r.low is not None:
        low, high = rk.ordered(rk.apply_ratio(r.measure, r.low, base), risk, rk.apply_ratio(r.measure, r.high, base))
    effect = dict(cite=src.short_cite, measure=ratio_words(r.measure, cat), value=f"{r.value:.2f}",
                  method=method_words(r, cat))
    lines = [
        cat.t("engine.reference.base", p=per100(base), horizon=ref.horizon),
        cat.t("engine.reference.effect_interval", **effect, low=f"{r.low:.2f}", high=f"{r.high:.2f}")
        if r.low is not None else cat.t("engine.reference.effect", **effect),
    ]
    if r.measure == "RR":
        calc = dict(base=per100(base), value=f"{r.value:.2f}", p=per100(risk))
        lines.append(cat.t("engine.reference.calc_rr_range", **calc, low=f"{r.low:.2f}", p_low=per100(low),
                           high=f"{r.high:.2f}", p_high=per100(high))
                     if low is not None else cat.t("engine.reference.calc_rr", **calc))
    else:
        calc = dict(base=per100(base), rest=per100(1 - base), value=f"{r.value:.2f}", p=per100(risk))
        lines.append(cat.t("engine.reference.calc_or_range", **calc, p_low=per100(low), p_high=per100(high))
                     if low is not None else cat.t("engine.reference.calc_or", **calc))
    lo_hi = (rk.direction(r.low, r.high, NULL[r.measure]))
    return dict(risk=risk, low=low, high=high, arithmetic=lines, direction=lo_hi)


def added(e: Estimate, ref: ReferenceResult, src, option_short: str, cat: i18n.Catalogue | None = None) -> dict:
    """A procedure's extra risk added to the bleeding tier, with the arithmetic."""
    cat = cat or _en()
    base = ref.risk
    notes: list[str] = []
    eff, i, c = e.effect, e.intervention, e.comparator
    if eff is not None and eff.measure == "RD":
        inc, lo, hi = eff.value, eff.low, eff.high
        said = cat.t("engine.reference.extra_rd", option=option_short, cite=src.short_cite, p=per100(inc),
                     horizon=e.horizon)
    elif c is not None:
        inc, lo, hi = i.risk - c.risk, None, None
        if i.n and c.n:
            lo, hi = rk.newcombe_difference(i.risk, i.n, c.risk, c.n)
            notes.append(cat.t("engine.range_newcombe"))
        said = cat.t("engine.reference.extra_arms", cite=src.short_cite, p_option=per100(i.risk),
                     option=option_short, p_alone=per100(c.risk), horizon=e.horizon, p=per100(inc))
    else:
        inc, lo, hi = i.risk, None, None
        if i.n:
            lo, hi = rk.wilson(i.risk, i.n)
            notes.append(cat.t("engine.range_wilson"))
        said = cat.t("engine.reference.extra_one_group", cite=src.short_cite, p_option=per100(i.risk),
                     horizon=e.horizon)
    risk = rk.clip(base + inc)
    low = high = None
    lines = [cat.t("engine.reference.base", p=per100(base), horizon=ref.horizon), said]
    total = dict(base=per100(base), extra=per100(inc), p=per100(risk))
    if lo is not None:
        low, high = rk.ordered(base + lo, risk, base + hi)
        lines.append(cat.t("engine.reference.sum_range", **total, p_low=per100(low), p_high=per100(high)))
    else:
        lines.append(cat.t("engine.reference.sum", **total))
    return dict(risk=risk, low=low, high=high, arithmetic=lines, range_note="; ".join(notes) or None,
                direction=rk.direction(lo, hi, 0.0) if lo is not None else ("higher" if inc > 0 else "no clear difference"),
                horizon=cat.t("engine.reference.added_horizon", horizon=ref.horizon, extra_horizon=e.horizon))


def difference_words(e: Estimate, event_words: str, option_short: str, src, cat: i18n.Catalogue | None = None,
                     only_difference: bool = True) -> tuple[str, str]:
    """A published risk difference in words (per 1,000), and its direction.

    `only_difference` adds the sentence saying that no reference figure is given for this patient."""
    cat = cat or _en()
    eff = e.effect

    def said(v: float) -> str:
        k = round(abs(v) * 1000)
        if k == 0:
            return cat.t("engine.reference.no_difference")
        return cat.t("engine.reference.more" if v > 0 else "engine.reference.fewer", k=k)

    fields = dict(difference=said(eff.value), thousand=cat.number(1000), event=event_words, option=option_short,
                  horizon=e.horizon, cite=src.short_cite)
    if eff.low is not None:
        text = cat.t("engine.reference.difference_range", **fields, low=said(eff.low), high=said(eff.high))
    else:
        text = cat.t("engine.reference.difference", **fields)
    if only_difference:
        text += " " + cat.t("engine.reference.only_difference")
    return text, rk.direction(eff.low, eff.high, 0.0)


def arms_words(e: Estimate, info, option_short: str, src, cat: i18n.Catalogue | None = None,
               tail: str = "engine.too_few") -> tuple[str, str]:
    """The trial's arms in words when too few events make a ratio meaningless, and their direction.

    `tail` is the catalogue key of the sentence that says why no figure is worked out."""
    cat = cat or _en()
    i, c = e.intervention, e.comparator
    who = info.event_words or cat.t("engine.had_it")
    common = dict(cite=src.short_cite, option=option_short, event=who, horizon=e.horizon)
    if i.events is not None and c.events is not None:
        text = cat.t("engine.reference.arms_counts", **common, events_option=i.events, n_option=i.n,
                     events_alone=c.events, n_alone=c.n)
    else:
        text = cat.t("engine.reference.arms_risks", **common, p_option=per100(i.risk), p_alone=per100(c.risk))
    text += " " + cat.t(tail)
    r = ratio(e)
    return text, rk.direction(r.low, r.high, 1.0) if r is not None else "no clear difference"
