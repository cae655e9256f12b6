"""Each option x outcome cell for one patient, and each option's status.

Every figure is set against the row's one reference (sdm.reference): the cell
for blood thinners alone *is* the reference, and every compared cell carries it
as `comparator_risk`. Status tells a randomised comparison from pooled,
observational or single-group evidence. No ranking, no score.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import reference as refs
from . import risk as rk
from .applicability import Fit, fit, gaps, index, population
from .models import Design, Estimate, EvidenceBase, OptionId, Tier, Verification
from .result import OptionResult, Other, OutcomeResult, ReferenceResult
from .scenario import Scenario
from .wording import per100

CERTAINTY_BY = {
    "source": "rated by the study authors",
    "guideline": "rated by the guideline panel (GRADE)",
    "project": "this project's own judgement",
}
NO_FIGURE = "No checked figure."
RANDOMISED = {Design.rct, Design.rct_subgroup}
POOLED = {Design.meta_analysis, Design.guideline}


@dataclass(frozen=True)
class Basis:
    """What a cell's figure rests on, for the option's status."""

    fit: Fit
    kind: str  # randomised | pooled | observational | one_group | words


def _basis(e: Estimate, f: Fit, base: EvidenceBase) -> Basis:
    design = index(base).sources[e.source].design
    one_group = e.baseline == "none" or (e.comparator is None and e.effect is None)
    if one_group:
        return Basis(f, "one_group")
    if design in RANDOMISED:
        return Basis(f, "randomised")
    return Basis(f, "pooled" if design in POOLED else "observational")


def _empty(outcome_id: str, base: EvidenceBase) -> dict:
    info = index(base).outcomes[outcome_id]
    return dict(id=outcome_id, label=info.label, kind=info.kind, horizon=None, risk=None, risk_low=None,
                risk_high=None, comparator_risk=None, certainty=None)


def _secondary(e, base: EvidenceBase) -> bool:
    return e.verification == Verification.V_sec or index(base).sources[e.source].verification == Verification.V_sec


def _other(e: Estimate, f: Fit, option_short: str, base: EvidenceBase) -> Other:
    """Another study, or another view of the same trials, said on its own terms (never against the reference)."""
    src = index(base).sources[e.source]
    info = index(base).outcomes[e.outcome]
    arms = refs.trial_arms(e, option_short, src)
    if e.baseline == "difference":
        text, _ = refs.difference_words(e, info.event_words or "had it", option_short, src)
        text = text.split(". No checked figure")[0] + "."
    elif arms is not None:
        text = arms.text
        r = refs.ratio(e)
        if r is not None and r.low is not None:
            text += f" {refs.RATIO_WORDS[r.measure].capitalize()} {r.value:.2f} (95% interval {r.low:.2f} to {r.high:.2f})."
    else:
        text = f"In {src.first_author} {src.year} ({e.horizon}): {per100(e.intervention.risk)} in 100, one group with no comparison."
    if e.outcome != info.id or e.shown_with:
        text = f"{info.label}: {text}"
    if _secondary(e, base):
        text += " Secondary source."
    return Other(estimate_id=e.id, source_id=e.source, horizon=e.horizon, text=text, applicability=f.level)


def reference_cell(outcome_id: str, ref: ReferenceResult | None, scenario: Scenario, tier: Tier,
                   base: EvidenceBase) -> tuple[OutcomeResult, Basis | None]:
    """Blood thinners alone: the row's reference itself, or words where there is none."""
    empty = _empty(outcome_id, base)
    if ref is not None:
        return OutcomeResult(
            **{**empty, "risk": ref.risk, "risk_low": ref.low, "risk_high": ref.high, "comparator_risk": ref.risk,
               "horizon": ref.horizon, "certainty": ref.certainty},
            certainty_by=CERTAINTY_BY[ref.certainty_by], range_note=ref.range_note,
            applicability=ref.applicability, comparison="reference", source_ids=list(ref.source_ids),
            reasons=list(ref.reasons), arithmetic=[*ref.arithmetic, f"Why this figure: {ref.why}"],
            reference_id=ref.id, figure="published", secondary_source=ref.verification == Verification.V_sec.value,
        ), Basis(Fit(ref.applicability, tuple(ref.reasons)), "reference")
    return _words_or_gap(OptionId.anticoagulation.value, outcome_id, scenario, tier, base)


def _words_or_gap(option: str, outcome_id: str, scenario: Scenario, tier: Tier, base: EvidenceBase):
    idx = index(base)
    empty = _empty(outcome_id, base)
    for fnd in idx.findings.get((option, outcome_id), []):
        f = fit(idx.finding_pops[fnd.id], scenario, tier, base)
        if f.level != "none":
            src = idx.sources[fnd.source]
            reasons = list(dict.fromkeys(f.reasons + fit(src.population, scenario, tier, base).reasons))
            return OutcomeResult(
                **{**empty, "horizon": fnd.horizon}, applicability="indirect" if reasons else "direct",
                comparison="words", source_ids=[fnd.source], finding=fnd.text, reasons=reasons,
                secondary_source=fnd.verification == Verification.V_sec or src.verification == Verification.V_sec,
            ), Basis(Fit("indirect" if reasons else "direct", tuple(reasons)), "words")
    gap_text = [g.text for g in gaps(base, option, scenario, outcome_id)]
    return OutcomeResult(**empty, applicability="none", comparison="none", source_ids=[],
                         reasons=gap_text or [NO_FIGURE]), None


def _figure(e: Estimate, ref: ReferenceResult | None, option_short: str, base: EvidenceBase) -> dict:
    """The option's figure against the row's reference, by the estimate's baseline."""
    idx = index(base)
    src = idx.sources[e.source]
    info = idx.outcomes[e.outcome]
    one = e.intervention
    if e.baseline == "none":
        low, high, note = one.low, one.high, None
        if low is None and one.n is not None:
            low, high = rk.wilson(one.risk, one.n)
            note = "range worked out by this project from the group size (Wilson score interval)"
        return dict(risk=one.risk, low=low, high=high, comparison="one_group", figure="published", range_note=note,
                    arithmetic=[f"One group of treated people, no comparison group ({src.first_author} {src.year})."])
    if e.baseline == "difference":
        text, direction = refs.difference_words(e, info.event_words or "had it", option_short, src)
        return dict(finding=text, comparison="difference", direction=direction)
    if e.baseline == "bleeding_tier" and ref is not None and ref.kind == "bleeding_tier":
        n = refs.added(e, ref, src, option_short)
        return dict(risk=n["risk"], low=n["low"], high=n["high"], comparison="added", figure="worked_out",
                    arithmetic=n["arithmetic"], range_note=n["range_note"], direction=n["direction"],
                    horizon=n["horizon"], comparator_risk=ref.risk)
    r = refs.ratio(e) if e.apply and e.baseline == "comparator" else None
    if r is None or ref is None:
        if e.intervention is not None and e.comparator is not None:
            text, direction = refs.arms_words(e, info, option_short, src)
            if ref is None and e.apply:
                text = text.replace(" Too few people had it to work out a figure for this patient.",
                                    " No blood-thinners-alone figure for this patient's row to set it against.")
            return dict(finding=text, comparison="words", direction=direction)
        return dict(finding=None, comparison="none")
    n = refs.applied(e, ref, r, src)
    return dict(risk=n["risk"], low=n["low"], high=n["high"], comparison="relative", figure="worked_out",
                arithmetic=n["arithmetic"], direction=n["direction"], comparator_risk=ref.risk,
                range_note=None if r.method == "as published" else f"effect {r.method}")


def _less_direct(e: Estimate, ref: ReferenceResult | None, kind: str, base: EvidenceBase) -> list[str]:
    """Why a figure applied to the reference is less direct than the trial result itself."""
    if ref is None or kind not in ("relative", "added"):
        return []
    src = index(base).sources[e.source]
    out = []
    if kind == "added":
        out.append("Worked out for this patient with the arithmetic shown, so it is less direct than a trial result.")
        return out
    if e.horizon != ref.horizon:
        out.append(f"The trial measured this at {e.horizon}; the blood-thinners-alone figure is for {ref.horizon}.")
    if e.differs:
        out.append(e.differs)
    if ref.source_ids != [e.source]:
        ref_src = index(base).sources[ref.source_ids[0]]
        out.append(f"The effect comes from {src.first_author} {src.year}; the blood-thinners-alone figure from "
                   f"{ref_src.first_author} {ref_src.year}.")
    return out


def cell(option, outcome_id: str, scenario: Scenario, tier: Tier, base: EvidenceBase, blocked: list[str],
         ref: ReferenceResult | None) -> tuple[OutcomeResult, Basis | None]:
    """One procedure x outcome cell, and what it rests on."""
    idx = index(base)
    empty = _empty(outcome_id, base)
    if blocked:
        return OutcomeResult(**empty, applicability="none", comparison="none", source_ids=[], reasons=blocked), None
    fitted = []
    for e in idx.by_pair.get((option.id.value, outcome_id), []):
        f = fit(population(e, base), scenario, tier, base)
        if f.level != "none":
            fitted.append((0 if f.level == "direct" else 1, e.priority, e.id, e, f))
    fitted.sort(key=lambda t: t[:3])
    if not fitted:
        return _words_or_gap(option.id.value, outcome_id, scenario, tier, base)
    _, _, _, e, f = fitted[0]
    n = _figure(e, ref, option.short, base)
    views = [(v, fit(population(v, base), scenario, tier, base)) for v in idx.views.get((option.id.value, outcome_id), [])]
    others = [_other(oe, of, option.short, base) for *_, oe, of in fitted[1:]]
    others += [_other(v, vf, option.short, base) for v, vf in views if vf.level != "none"]
    reasons = list(dict.fromkeys([*f.reasons, *_less_direct(e, ref, n["comparison"], base)]))
    if ref is not None and n["comparison"] in ("relative", "added"):
        reasons += [r for r in ref.reasons if r not in reasons]
    src_ids = [e.source] + ([s for s in ref.source_ids if s != e.source] if n.get("comparator_risk") is not None else [])
    arms = refs.trial_arms(e, option.short, idx.sources[e.source])
    arithmetic = list(n.get("arithmetic", []))
    if arms is not None and n["comparison"] in ("relative", "added"):
        arithmetic.append(arms.text)
    common = dict(
        certainty=e.certainty.value, certainty_by=CERTAINTY_BY[e.certainty_by], source_ids=src_ids,
        estimate_id=e.id, reasons=reasons, arithmetic=arithmetic, others=others, trial=arms,
        secondary_source=_secondary(e, base), direction=n.get("direction"), range_note=n.get("range_note"),
        reference_id=ref.id if n.get("comparator_risk") is not None else None,
    )
    if n.get("risk") is None:
        return OutcomeResult(
            **{**empty, "horizon": e.horizon, "certainty": e.certainty.value},
            **{k: v for k, v in common.items() if k != "certainty"}, applicability="indirect" if reasons else "direct", comparison=n["comparison"], finding=n.get("finding"),
        ), _basis(e, f, base)
    return OutcomeResult(
        **{**empty, "horizon": n.get("horizon", e.horizon), "risk": n["risk"], "risk_low": n["low"],
           "risk_high": n["high"], "comparator_risk": n.get("comparator_risk"), "certainty": e.certainty.value},
        **{k: v for k, v in common.items() if k != "certainty"},
        applicability="indirect" if reasons else "direct", comparison=n["comparison"], figure=n.get("figure"),
    ), _basis(e, f, base)


def status(option, scenario: Scenario, bases: list[Basis], base: EvidenceBase) -> tuple[str, list[str]]:
    """An option's status for this patient, with its reasons: never a rank."""
    cis = {c.id: c for c in base.rules.contraindications}
    absolute = [cis[c].label for c in scenario.contraindications
                if cis[c].kind == "absolute" and option.id in cis[c].options]
    relative = [cis[c].label for c in scenario.contraindications
                if cis[c].kind == "relative" and option.id in cis[c].options]
    general = gaps(base, option.id.value, scenario, None)
    blocking = [g.text for g in general if g.blocks_status]
    numeric = [b for b in bases if b.kind != "words"]
    fits = numeric or bases
    compared = [b for b in fits if b.kind in ("randomised", "pooled", "observational", "reference", "words")]
    reasons: list[str] = []
    if absolute:
        st = "contraindicated"
        reasons += [f"Not safe with: {a}." for a in absolute]
    elif blocking or not fits:
        st = "no_evidence"
        reasons += blocking or ["No published evidence that we could check applies to this patient."]
    elif any(b.kind in ("randomised", "reference") and b.fit.level == "direct" for b in fits):
        st = "studied"
    elif compared:
        st = "indirect"
        if any(b.kind == "pooled" and b.fit.level == "direct" for b in compared):
            reasons.append("Only pooled results from several kinds of catheter treatment include this clot, "
                           "not a trial of this option alone.")
    else:
        st = "one_group"
    # Why the best evidence does not fit: the randomised trials' reasons (or, without any, the single groups').
    closest = [b for b in fits if b.kind in ("randomised", "reference")] or [b for b in fits if b.kind == "one_group"]
    if st != "studied" and closest and all(b.fit.level == "indirect" for b in closest):
        reasons += list(dict.fromkeys(r for b in closest for r in b.fit.reasons))
        if all(any("days old" in r for r in b.fit.reasons) for b in closest):
            reasons.append("This clot is older than any clot in the studies of this option.")
    reasons += [g.text for g in general if not g.blocks_status]
    reasons += [f"Take care: {r}." for r in relative]
    return st, list(dict.fromkeys(reasons))


def option_result(opt, scenario: Scenario, tier: Tier, order: list[str], base: EvidenceBase,
                  references: dict[str, ReferenceResult]) -> OptionResult:
    blocking = [g.text for g in gaps(base, opt.id.value, scenario, None) if g.blocks_status]
    outcomes, bases = [], []
    for oid in order:
        if opt.id == OptionId.anticoagulation:
            res, b = reference_cell(oid, references.get(oid), scenario, tier, base)
        else:
            res, b = cell(opt, oid, scenario, tier, base, blocking, references.get(oid))
        outcomes.append(res)
        if b is not None:
            bases.append(b)
    st, reasons = status(opt, scenario, bases, base)
    return OptionResult(id=opt.id.value, label=opt.label, short=opt.short, status=st, reasons=reasons,
                        outcomes=outcomes)
