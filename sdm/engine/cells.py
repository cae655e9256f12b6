"""Each option x outcome cell for one patient, and each option's status.

Every figure is set against the row's one reference (sdm.reference): the cell
for blood thinners alone *is* the reference, and every compared cell carries it
as `comparator_risk`. Status tells a randomised comparison from pooled,
observational or single-group evidence. No ranking, no score.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..evidence.models import Design, Estimate, EvidenceBase, OptionId, Tier, Verification
from ..words import i18n
from ..words.wording import per100
from . import reference as refs
from . import risk as rk
from .applicability import Fit, fit, gaps, index, memo, population
from .result import OptionResult, Other, OutcomeResult, ReferenceResult
from .scenario import Scenario

RANDOMISED = {Design.rct, Design.rct_subgroup}
POOLED = {Design.meta_analysis, Design.guideline}


@dataclass(frozen=True)
class Basis:
    """What a cell's figure rests on, for the option's status."""

    fit: Fit
    kind: str  # randomised | pooled | observational | one_group | words


def _kind(e: Estimate, base: EvidenceBase) -> str:
    """What a figure from this estimate rests on (Basis.kind)."""
    design = index(base).sources[e.source].design
    one_group = e.baseline == "none" or (e.comparator is None and e.effect is None)
    if one_group:
        return "one_group"
    if design in RANDOMISED:
        return "randomised"
    return "pooled" if design in POOLED else "observational"


def _cat(scenario: Scenario) -> i18n.Catalogue:
    return i18n.catalogue(scenario.lang)


def __getattr__(name: str):
    """English words kept for callers that read them by key."""
    if name == "CERTAINTY_BY":
        return {k: i18n.catalogue("en").t(f"engine.certainty_by.{k}") for k in ("source", "guideline", "project")}
    if name == "NO_FIGURE":
        return i18n.catalogue("en").t("engine.no_figure")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _secondary(e, base: EvidenceBase) -> bool:
    return e.verification == Verification.V_sec or index(base).sources[e.source].verification == Verification.V_sec


def _other_text(e: Estimate, option_short: str, base: EvidenceBase, cat: i18n.Catalogue) -> str:
    src = index(base).sources[e.source]
    info = index(base).outcomes[e.outcome]
    arms = refs.trial_arms(e, option_short, src, cat=cat)
    if e.baseline == "difference":
        text, _ = refs.difference_words(e, info.event_words or cat.t("engine.had_it"), option_short, src, cat=cat,
                                        only_difference=False)
    elif arms is not None:
        text = arms.text
        r = refs.ratio(e)
        if r is not None and r.low is not None:
            text += " " + cat.t("engine.other_ratio", measure=refs.ratio_words(r.measure, cat).capitalize(),
                                value=f"{r.value:.2f}", low=f"{r.low:.2f}", high=f"{r.high:.2f}")
    else:
        text = cat.t("engine.one_group_other", cite=src.short_cite, horizon=e.horizon, p=per100(e.intervention.risk))
    if e.outcome != info.id or e.shown_with:
        text = f"{info.label}: {text}"
    if _secondary(e, base):
        text += " " + cat.t("engine.secondary")
    return text


def _other(e: Estimate, f: Fit, option_short: str, base: EvidenceBase, cat: i18n.Catalogue) -> Other:
    """Another study, or another view of the same trials, said on its own terms (never against the reference)."""
    text = memo(base, ("other", e.id, option_short, cat.lang), lambda: _other_text(e, option_short, base, cat), cat)
    return Other(estimate_id=e.id, source_id=e.source, horizon=e.horizon, text=text, applicability=f.level)


def reference_cell(outcome_id: str, ref: ReferenceResult | None, scenario: Scenario, tier: Tier,
                   base: EvidenceBase, too_old: bool = False) -> tuple[OutcomeResult, Basis | None]:
    """Blood thinners alone: the row's reference itself, or words where there is none.

    `too_old`: the reference's population took younger clots than this one (from the engine's fit)."""
    if ref is not None:
        cat = _cat(scenario)
        return OutcomeResult(
            **{**index(base).rows[outcome_id], "risk": ref.risk, "risk_low": ref.low, "risk_high": ref.high,
               "comparator_risk": ref.risk, "horizon": ref.horizon, "certainty": ref.certainty},
            certainty_by=cat.t(f"engine.certainty_by.{ref.certainty_by}"), range_note=ref.range_note,
            applicability=ref.applicability, comparison="reference", source_ids=list(ref.source_ids),
            reasons=list(ref.reasons), arithmetic=[*ref.arithmetic, cat.t("engine.why_figure", why=ref.why)],
            reference_id=ref.id, figure="published", secondary_source=ref.verification == Verification.V_sec.value,
        ), Basis(Fit(ref.applicability, tuple(ref.reasons), too_old), "reference")
    return _words_or_gap(OptionId.anticoagulation.value, outcome_id, scenario, tier, base)


def _words_or_gap(option: str, outcome_id: str, scenario: Scenario, tier: Tier, base: EvidenceBase):
    idx = index(base)
    empty = idx.rows[outcome_id]
    for fnd in idx.findings.get((option, outcome_id), ()):
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
                         reasons=gap_text or [_cat(scenario).t("engine.no_figure")]), None


def _figure(e: Estimate, ref: ReferenceResult | None, option_short: str, base: EvidenceBase,
            cat: i18n.Catalogue) -> dict:
    """The option's figure against the row's reference, by the estimate's baseline."""
    idx = index(base)
    src = idx.sources[e.source]
    info = idx.outcomes[e.outcome]
    one = e.intervention
    if e.baseline == "none":
        low, high, note = one.low, one.high, None
        if low is None and one.n is not None:
            low, high = rk.wilson(one.risk, one.n)
            note = cat.t("engine.range_wilson")
        return dict(risk=one.risk, low=low, high=high, comparison="one_group", figure="published", range_note=note,
                    arithmetic=[cat.t("engine.one_group_arithmetic", cite=src.short_cite)])
    if e.baseline == "difference":
        text, direction = refs.difference_words(e, info.event_words or cat.t("engine.had_it"), option_short, src,
                                                cat=cat)
        return dict(finding=text, comparison="difference", direction=direction)
    if e.baseline == "bleeding_tier" and ref is not None and ref.kind == "bleeding_tier":
        n = refs.added(e, ref, src, option_short, cat=cat)
        return dict(risk=n["risk"], low=n["low"], high=n["high"], comparison="added", figure="worked_out",
                    arithmetic=n["arithmetic"], range_note=n["range_note"], direction=n["direction"],
                    horizon=n["horizon"], comparator_risk=ref.risk)
    r = refs.ratio(e) if e.apply and e.baseline == "comparator" else None
    if r is None or ref is None:
        if e.intervention is not None and e.comparator is not None:
            tail = "engine.no_reference_row" if ref is None and e.apply else "engine.too_few"
            text, direction = refs.arms_words(e, info, option_short, src, cat=cat, tail=tail)
            return dict(finding=text, comparison="words", direction=direction)
        return dict(finding=None, comparison="none")
    n = refs.applied(e, ref, r, src, cat=cat)
    return dict(risk=n["risk"], low=n["low"], high=n["high"], comparison="relative", figure="worked_out",
                arithmetic=n["arithmetic"], direction=n["direction"], comparator_risk=ref.risk,
                range_note=None if r.method == "published" else
                cat.t("engine.effect_method", method=refs.method_words(r, cat)))


def _less_direct(e: Estimate, ref: ReferenceResult | None, kind: str, base: EvidenceBase,
                 cat: i18n.Catalogue) -> list[str]:
    """Why a figure applied to the reference is less direct than the trial result itself."""
    if ref is None or kind not in ("relative", "added"):
        return []
    src = index(base).sources[e.source]
    out = []
    if kind == "added":
        out.append(cat.t("engine.less_direct.added"))
        return out
    if e.horizon != ref.horizon:
        out.append(cat.t("engine.less_direct.horizon", horizon=e.horizon, reference_horizon=ref.horizon))
    if e.differs:
        out.append(e.differs)
    if ref.source_ids != [e.source]:
        ref_src = index(base).sources[ref.source_ids[0]]
        out.append(cat.t("engine.less_direct.sources", cite=src.short_cite, reference_cite=ref_src.short_cite))
    return out


def cell(option, outcome_id: str, scenario: Scenario, tier: Tier, base: EvidenceBase, blocked: list[str],
         ref: ReferenceResult | None) -> tuple[OutcomeResult, Basis | None]:
    """One procedure x outcome cell, and what it rests on."""
    idx = index(base)
    if blocked:
        return OutcomeResult(**idx.rows[outcome_id], applicability="none", comparison="none", source_ids=[],
                             reasons=blocked), None
    option_id = option.id.value
    fitted = []
    for e in idx.by_pair.get((option_id, outcome_id), ()):
        f = fit(population(e, base), scenario, tier, base)
        if f.level != "none":
            fitted.append((0 if f.level == "direct" else 1, e.priority, e.id, e, f))
    if not fitted:
        return _words_or_gap(option_id, outcome_id, scenario, tier, base)
    fitted.sort(key=lambda t: t[:3])
    cat = _cat(scenario)
    _, _, _, e, f = fitted[0]
    ref_key = None if ref is None else (ref.id, ref.kind, ref.risk, ref.horizon, tuple(ref.source_ids))
    # The figure and its arithmetic follow from the estimate and the reference figure alone: worked out once.
    fig = memo(base, ("figure", e.id, ref_key, option.short, cat.lang),
               lambda: _set_against(e, ref, option.short, base, cat), cat)
    views = [(v, fit(population(v, base), scenario, tier, base)) for v in idx.views.get((option_id, outcome_id), ())]
    others = [_other(oe, of, option.short, base, cat) for *_, oe, of in fitted[1:]]
    others += [_other(v, vf, option.short, base, cat) for v, vf in views if vf.level != "none"]
    reasons = list(dict.fromkeys([*f.reasons, *fig.less_direct]))
    if fig.with_reference_reasons:
        reasons += [r for r in ref.reasons if r not in reasons]
    fields = {**fig.fields, "source_ids": list(fig.source_ids), "arithmetic": list(fig.arithmetic), "reasons": reasons,
              "others": others, "applicability": "indirect" if reasons else "direct"}
    return OutcomeResult(**fields), Basis(f, fig.basis)


@dataclass(frozen=True)
class _Against:
    """What a cell says of one estimate against one reference figure, whoever the patient (memoised): the
    patient's own reasons, the other studies and the applicability are added per cell."""

    fields: dict  # the OutcomeResult fields (never changed: lists below are copied per cell)
    source_ids: tuple[str, ...]
    arithmetic: tuple[str, ...]
    less_direct: tuple[str, ...]  # why the figure is less direct than the trial result itself
    with_reference_reasons: bool  # the reference's own reasons follow (a figure applied to or added to it)
    basis: str  # Basis.kind


def _set_against(e: Estimate, ref: ReferenceResult | None, option_short: str, base: EvidenceBase,
                 cat: i18n.Catalogue) -> _Against:
    idx = index(base)
    n = _figure(e, ref, option_short, base, cat)
    applied = ref is not None and n["comparison"] in ("relative", "added")
    src_ids = [e.source] + ([s for s in ref.source_ids if s != e.source] if n.get("comparator_risk") is not None else [])
    arms = refs.trial_arms(e, option_short, idx.sources[e.source], cat=cat)
    arithmetic = list(n.get("arithmetic", []))
    if arms is not None and applied:
        arithmetic.append(arms.text)
    common = dict(
        certainty_by=cat.t(f"engine.certainty_by.{e.certainty_by}"), estimate_id=e.id, trial=arms,
        secondary_source=_secondary(e, base), direction=n.get("direction"), range_note=n.get("range_note"),
        reference_id=ref.id if n.get("comparator_risk") is not None else None, comparison=n["comparison"],
    )
    empty = idx.rows[e.outcome]  # the cell's own row (by_pair holds no other views)
    if n.get("risk") is None:
        fields = {**empty, "horizon": e.horizon, "certainty": e.certainty.value, **common, "finding": n.get("finding")}
    else:
        fields = {**empty, "horizon": n.get("horizon", e.horizon), "risk": n["risk"], "risk_low": n["low"],
                  "risk_high": n["high"], "comparator_risk": n.get("comparator_risk"), "certainty": e.certainty.value,
                  **common, "figure": n.get("figure")}
    return _Against(fields, tuple(src_ids), tuple(arithmetic), tuple(_less_direct(e, ref, n["comparison"], base, cat)),
                    applied, _kind(e, base))


def status(option, scenario: Scenario, bases: list[Basis], base: EvidenceBase) -> tuple[str, list[str]]:
    """An option's status for this patient, with its reasons: never a rank."""
    cat = _cat(scenario)
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
        reasons += [cat.t("engine.status.not_safe", condition=a) for a in absolute]
    elif blocking or not fits:
        st = "no_evidence"
        reasons += blocking or [cat.t("engine.status.no_evidence")]
    elif any(b.kind in ("randomised", "reference") and b.fit.level == "direct" for b in fits):
        st = "studied"
    elif compared:
        st = "indirect"
        if any(b.kind == "pooled" and b.fit.level == "direct" for b in compared):
            reasons.append(cat.t("engine.status.pooled_only"))
    else:
        st = "one_group"
    # Why the best evidence does not fit: the randomised trials' reasons (or, without any, the single groups').
    closest = [b for b in fits if b.kind in ("randomised", "reference")] or [b for b in fits if b.kind == "one_group"]
    if st != "studied" and closest and all(b.fit.level == "indirect" for b in closest):
        reasons += list(dict.fromkeys(r for b in closest for r in b.fit.reasons))
        if all(b.fit.too_old for b in closest):
            reasons.append(cat.t("engine.status.older"))
    reasons += [g.text for g in general if not g.blocks_status]
    reasons += [cat.t("engine.status.take_care", condition=r) for r in relative]
    return st, list(dict.fromkeys(reasons))


def option_result(opt, scenario: Scenario, tier: Tier, order: list[str], base: EvidenceBase,
                  references: dict[str, ReferenceResult], too_old: frozenset[str] = frozenset()) -> OptionResult:
    """One option's cells and status; `too_old` names the rows whose reference took younger clots."""
    blocking = [g.text for g in gaps(base, opt.id.value, scenario, None) if g.blocks_status]
    outcomes, bases = [], []
    for oid in order:
        if opt.id == OptionId.anticoagulation:
            res, b = reference_cell(oid, references.get(oid), scenario, tier, base, too_old=oid in too_old)
        else:
            res, b = cell(opt, oid, scenario, tier, base, blocking, references.get(oid))
        outcomes.append(res)
        if b is not None:
            bases.append(b)
    st, reasons = status(opt, scenario, bases, base)
    return OptionResult(id=opt.id.value, label=opt.label, short=opt.short, status=st, reasons=reasons,
                        outcomes=outcomes)
