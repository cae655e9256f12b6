"""The scenario engine: for one patient, what the evidence says about each option.

It never ranks options, never adds outcomes into a score and never names a
best option. The patient's goals only change the order in which outcomes are
listed. Every figure comes from data/ through the evidence base.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import evidence as evidence_mod
from . import risk as rk
from .models import (
    TIER_ORDER,
    Estimate,
    EvidenceBase,
    Location,
    OptionId,
    Population,
    Tier,
    Verification,
)
from .result import (
    Bleeding,
    GuidelineResult,
    OptionResult,
    Other,
    OutcomeResult,
    Result,
)
from .scenario import Scenario
from .wording import per100

CERTAINTY_BY = {
    "source": "rated by the study authors",
    "guideline": "rated by the guideline panel (GRADE)",
    "project": "this project's own judgement",
}


@dataclass(frozen=True)
class Fit:
    level: str  # direct | indirect | none
    reasons: tuple[str, ...]


@dataclass
class _Index:
    by_pair: dict[tuple[str, str], list[Estimate]]
    findings: dict[tuple[str, str], list]
    finding_pops: dict[str, Population]
    gaps_general: dict[tuple[str, Location], list]
    gaps_outcome: dict[tuple[str, Location, str], list]
    sources: dict
    estimates: dict[str, Estimate]
    outcomes: dict
    location_labels: dict[Location, str]


_INDEXES: dict[int, tuple[EvidenceBase, _Index]] = {}


_LAST: list = [None, None]  # the most recent (base, index): almost every call asks for it


def _index(base: EvidenceBase) -> _Index:
    """Lookups built once per evidence base (frozen models with lists are not hashable)."""
    if _LAST[0] is base:
        return _LAST[1]
    hit = _INDEXES.get(id(base))
    if hit is not None and hit[0] is base:
        _LAST[:] = [base, hit[1]]
        return hit[1]
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    built = _build_index(base)
    _INDEXES[id(base)] = (base, built)
    _LAST[:] = [base, built]
    return built


def _build_index(base: EvidenceBase) -> _Index:
    by_pair: dict[tuple[str, str], list[Estimate]] = {}
    for e in base.estimates:
        by_pair.setdefault((e.option.value, e.outcome), []).append(e)
    for lst in by_pair.values():
        lst.sort(key=lambda e: (e.priority, e.id))
    findings: dict[tuple[str, str], list] = {}
    for f in base.findings:
        findings.setdefault((f.option.value, f.outcome), []).append(f)
    gaps_general: dict[tuple[str, Location], list] = {}
    gaps_outcome: dict[tuple[str, Location, str], list] = {}
    for g in base.gaps:
        for o in g.options:
            for loc in g.locations:
                if g.outcomes:
                    for oc in g.outcomes:
                        gaps_outcome.setdefault((o.value, loc, oc), []).append(g)
                else:
                    gaps_general.setdefault((o.value, loc), []).append(g)
    return _Index(
        by_pair=by_pair,
        findings=findings,
        finding_pops={f.id: Population(locations=f.locations, description="finding") for f in base.findings},
        gaps_general=gaps_general,
        gaps_outcome=gaps_outcome,
        sources={s.id: s for s in base.sources},
        estimates={e.id: e for e in base.estimates},
        outcomes={o.id: o for o in base.vocabulary.outcomes},
        location_labels=dict(base.vocabulary.locations),
    )


# ----------------------------------------------------------------- inputs


def clot_age(days: int, base: EvidenceBase) -> str:
    for band in base.rules.age_bands:
        if band.max_days is None or days <= band.max_days:
            return band.id
    return base.rules.age_bands[-1].id


def bleeding(scenario: Scenario, base: EvidenceBase) -> Bleeding:
    """The bleeding tier, entered or derived from a checklist, with the derivation.

    A level entered together with a checklist (bleeding_floor, from a link) never lowers: the
    higher of the two is used, and the disagreement is put in plain words. A factor the link named
    but this tool does not know is not counted and lowers nothing; that is said too."""
    rules = base.rules.bleeding
    count = len(scenario.chest_factors)
    score = sum(rules.vte_bleed_weights[f] for f in scenario.vte_bleed_factors)
    src = [rules.source]
    unknown = scenario.unrecognised_bleeding_factors
    unrecognised = (
        ["A bleeding risk factor in the link was not recognised. It was not counted, and it lowers nothing. "
         "Please check the checklist."] if unknown else []
    )
    if scenario.bleeding_tier is not None:
        return Bleeding(
            tier=scenario.bleeding_tier.value,
            method="entered",
            explanation=[f"Bleeding risk entered as {scenario.bleeding_tier.value}.", *unrecognised],
            chest_count=0,
            vte_bleed_score=0.0,
            source_ids=src,
            unrecognised_factors=unknown,
            notices=unrecognised,
        )
    floor = scenario.bleeding_floor
    chest_tier = max((t for t, cut in rules.chest_cutoffs.items() if count >= cut), key=TIER_ORDER.get)
    lines = []
    if scenario.chest_factors:
        names = ", ".join(rules.chest_factors[f].lower() for f in scenario.chest_factors)
        lines.append(f"CHEST risk factors ticked: {count} ({names}), which puts the risk in the {chest_tier.value} tier.")
    tier, method = chest_tier, "chest_count"
    if scenario.vte_bleed_factors:
        src.append(rules.vte_bleed_source)
        vte_tier = Tier.high if score >= rules.vte_bleed_high_at else Tier.low
        word = "high" if vte_tier is Tier.high else "not high"
        lines.append(
            f"VTE-BLEED score: {score:g} (high from {rules.vte_bleed_high_at:g}), so bleeding risk is {word} by this score."
        )
        if scenario.chest_factors:
            tier = max(chest_tier, vte_tier, key=TIER_ORDER.get)
            method = "both"
            lines.append(f"The higher of the two is used: {tier.value}.")
        else:
            tier, method = vte_tier, "vte_bleed"
    if not lines:
        lines.append("No bleeding risk factors ticked, so the checklist gives the low tier." if floor is not None
                     else "No bleeding risk factors ticked, so the low tier is used.")
        method = "none_ticked"
    notices: list[str] = []
    checklist_tier = tier
    if floor is not None:
        tier = max(floor, checklist_tier, key=TIER_ORDER.get)
        if floor is checklist_tier:
            said = f"Bleeding risk was entered as {floor.value}, and the checklist gives the same level."
        else:
            said = (f"Bleeding risk was entered as {floor.value}, and the checklist gives {checklist_tier.value}. "
                    f"The higher level, {tier.value}, is used.")
        lines.append(said)
        notices.append(said)
    lines += unrecognised
    notices += unrecognised
    lines.append(rules.note)
    return Bleeding(
        tier=tier.value, method=method, explanation=lines, chest_count=count, vte_bleed_score=score, source_ids=src,
        entered_tier=floor.value if floor is not None else None,
        checklist_tier=checklist_tier.value if floor is not None else None,
        unrecognised_factors=unknown, notices=notices,
    )


def outcome_order(scenario: Scenario, base: EvidenceBase) -> list[str]:
    """Outcomes in the order of the patient's goals; this is the only use of goals."""
    rank = {g.value: i for i, g in enumerate(scenario.goals)}
    last = len(rank) + 1
    outcomes = base.vocabulary.outcomes
    key = {o.id: min((rank.get(g, last) for g in o.goals), default=last + 1) for o in outcomes}
    return [o.id for o in sorted(outcomes, key=lambda o: key[o.id])]


# ----------------------------------------------------------------- applicability


def fit(pop: Population, scenario: Scenario, tier: Tier, base: EvidenceBase) -> Fit:
    """Does the patient belong to the population a study enrolled?"""
    idx = _index(base)
    loc = scenario.location
    reasons: list[str] = []
    if loc not in pop.locations:
        near = [n for n in base.rules.location_neighbours.get(loc, []) if n in pop.locations]
        if not near:
            return Fit("none", ())
        reasons.append(
            f"Studied in clots of the {idx.location_labels[near[0]].lower()}; "
            f"not studied separately in clots that go {idx.location_labels[loc].lower()}."
        )
    if pop.max_symptom_days is not None and scenario.symptom_days > pop.max_symptom_days:
        reasons.append(
            f"The study took clots up to {pop.max_symptom_days} days old; this clot is {scenario.symptom_days} days old."
        )
    if tier not in pop.bleeding_tiers:
        reasons.append(f"The study left out people at {tier.value} bleeding risk.")
    if scenario.age is not None:
        if pop.age_min is not None and scenario.age < pop.age_min:
            reasons.append(f"The study took people aged {pop.age_min} and over; this patient is {scenario.age}.")
        if pop.age_max is not None and scenario.age > pop.age_max:
            reasons.append(f"The study took people up to age {pop.age_max}; this patient is {scenario.age}.")
    if scenario.limb_threatening and not pop.limb_threat_included:
        reasons.append("People whose clot threatened the leg (phlegmasia) were not in the study.")
    return Fit("indirect" if reasons else "direct", tuple(reasons))


def _population(e: Estimate, base: EvidenceBase) -> Population:
    return e.population or _index(base).sources[e.source].population


# ----------------------------------------------------------------- numbers


def _arm_range(arm, note_list: list[str]) -> tuple[float | None, float | None]:
    if arm.low is not None:
        return arm.low, arm.high
    if arm.n is not None:
        note_list.append("range worked out by this project from the group size")
        return rk.wilson(arm.risk, arm.n)
    return None, None


def _numbers(e: Estimate, base: EvidenceBase, tier: Tier) -> dict:
    """Risk with the option, its range, and the comparison risk, with the arithmetic."""
    idx = _index(base)
    src = idx.sources[e.source]
    notes: list[str] = []
    arithmetic: list[str] = []
    comp_low = comp_high = None
    if e.baseline == "bleeding_tier":
        rules = base.rules.bleeding
        tier_fig = next(t for t in rules.tiers if t.tier == tier)
        baseline = tier_fig.risk
        tier_src = idx.sources[rules.source]
        arithmetic.append(
            f"Bleeding tier {tier_fig.label}: {per100(baseline)} in 100 have serious bleeding in the "
            f"{rules.horizon} on blood thinners ({tier_src.first_author}, {tier_src.journal} {tier_src.year})."
        )
        if e.option == OptionId.anticoagulation:
            return dict(
                risk=baseline, low=None, high=None, comp=None, comp_low=None, comp_high=None,
                range_note="The source table gives no range for these figures.",
                comparison="one_group", arithmetic=arithmetic, horizon=rules.horizon,
            )
        if e.effect is not None and e.effect.measure == "RD":
            inc, inc_low, inc_high = e.effect.value, e.effect.low, e.effect.high
            arithmetic.append(
                f"Extra serious bleeding with the procedure ({src.first_author}, {src.year}): "
                f"{per100(inc)} more in 100 ({e.horizon})."
            )
        else:
            i, c = e.intervention, e.comparator
            inc = i.risk - c.risk
            inc_low = inc_high = None
            if i.n and c.n:
                inc_low, inc_high = rk.newcombe_difference(i.risk, i.n, c.risk, c.n)
                notes.append("range of the extra risk worked out by this project from the trial's group sizes")
            arithmetic.append(
                f"In the {src.first_author} {src.year} trial, {per100(i.risk)} in 100 with the procedure and "
                f"{per100(c.risk)} in 100 with blood thinners alone had serious bleeding {e.horizon}: "
                f"{per100(inc)} more in 100."
            )
        risk = rk.clip(baseline + inc)
        if inc_low is not None:
            low, high = rk.ordered(baseline + inc_low, risk, baseline + inc_high)
            arithmetic.append(
                f"For this patient: {per100(baseline)} + {per100(inc)} = {per100(risk)} in 100 "
                f"(range {per100(low)} to {per100(high)})."
            )
        else:
            low = high = None
            arithmetic.append(f"For this patient: {per100(baseline)} + {per100(inc)} = {per100(risk)} in 100.")
        return dict(
            risk=risk, low=low, high=high, comp=baseline, comp_low=None, comp_high=None,
            range_note="; ".join(notes) or None, comparison="adjusted", arithmetic=arithmetic,
            horizon=rules.horizon,
        )
    if e.baseline.startswith("estimate:"):
        ref = idx.estimates[e.baseline.split(":", 1)[1]]
        ref_src = idx.sources[ref.source]
        comp = ref.comparator.risk
        eff = e.effect
        risk = rk.apply_ratio(eff.measure, eff.value, comp)
        low = high = None
        if eff.low is not None:
            low, high = rk.ordered(rk.apply_ratio(eff.measure, eff.low, comp), risk,
                                   rk.apply_ratio(eff.measure, eff.high, comp))
        arithmetic.append(
            f"{src.first_author} {src.year} reports only a {eff.measure} of {eff.value:g}"
            + (f" (95% CI {eff.low:g} to {eff.high:g})" if eff.low is not None else "")
            + f". Applied to the blood-thinners-alone group of {ref_src.first_author} {ref_src.year} "
            f"({per100(comp)} in 100): {per100(comp)} x {eff.value:g} = {per100(risk)} in 100."
        )
        return dict(
            risk=risk, low=low, high=high, comp=comp, comp_low=None, comp_high=None, range_note=None,
            comparison="adjusted", arithmetic=arithmetic, horizon=e.horizon,
        )
    i = e.intervention
    low, high = _arm_range(i, notes) if (i.low is not None or e.effect is None or e.comparator is None) else (None, None)
    comp = e.comparator.risk if e.comparator is not None else None
    if e.comparator is not None:
        comp_low, comp_high = _arm_range(e.comparator, [])
        if low is None and e.effect is not None and e.effect.low is not None:
            eff = e.effect
            low, high = rk.ordered(rk.apply_ratio(eff.measure, eff.low, comp), i.risk,
                                   rk.apply_ratio(eff.measure, eff.high, comp))
            notes.append(f"range worked out from the published {eff.measure} and its 95% confidence interval")
        elif low is None and i.n is not None:
            low, high = _arm_range(i, notes)
    return dict(
        risk=i.risk, low=low, high=high, comp=comp, comp_low=comp_low, comp_high=comp_high,
        range_note="; ".join(dict.fromkeys(notes)) or None,
        comparison="same_study" if comp is not None else "one_group", arithmetic=arithmetic, horizon=e.horizon,
    )


# ----------------------------------------------------------------- per option


def _gaps(base: EvidenceBase, option: str, loc: Location, outcome: str | None) -> list:
    idx = _index(base)
    if outcome is None:
        return idx.gaps_general.get((option, loc), [])
    return idx.gaps_outcome.get((option, loc, outcome), [])


def _outcome(option: str, outcome_id: str, scenario: Scenario, tier: Tier, base: EvidenceBase, blocked: list[str]):
    """One option x outcome cell, and the population fit it rests on."""
    idx = _index(base)
    info = idx.outcomes[outcome_id]
    empty = dict(id=outcome_id, label=info.label, kind=info.kind, horizon=None, risk=None, risk_low=None,
                 risk_high=None, comparator_risk=None, certainty=None)
    if blocked:
        return OutcomeResult(**empty, applicability="none", comparison="none", source_ids=[], reasons=blocked), None
    fitted = []
    for e in idx.by_pair.get((option, outcome_id), []):
        f = fit(_population(e, base), scenario, tier, base)
        if f.level != "none":
            fitted.append((0 if f.level == "direct" else 1, e.priority, e.id, e, f))
    fitted.sort(key=lambda t: t[:3])
    if fitted:
        _, _, _, e, f = fitted[0]
        n = _numbers(e, base, tier)
        src = idx.sources[e.source]
        adjusted = n["comparison"] == "adjusted"
        reasons = list(f.reasons)
        if adjusted:
            reasons.append("Adjusted to this patient with the arithmetic shown, so it is less direct than a trial result.")
        others = []
        for _, _, _, oe, of in fitted[1:]:
            on = _numbers(oe, base, tier)
            others.append(Other(estimate_id=oe.id, source_id=oe.source, horizon=on["horizon"], risk=on["risk"],
                                comparator_risk=on["comp"], applicability=of.level))
        source_ids = [e.source]
        if e.baseline == "bleeding_tier":
            source_ids = list(dict.fromkeys([base.rules.bleeding.source, e.source]))
        elif e.baseline.startswith("estimate:"):
            source_ids.append(idx.estimates[e.baseline.split(":", 1)[1]].source)
        return OutcomeResult(
            id=outcome_id, label=info.label, kind=info.kind, horizon=n["horizon"], risk=n["risk"],
            risk_low=n["low"], risk_high=n["high"], comparator_risk=n["comp"], comparator_low=n["comp_low"],
            comparator_high=n["comp_high"], range_note=n["range_note"], certainty=e.certainty.value,
            certainty_by=CERTAINTY_BY[e.certainty_by],
            applicability="indirect" if (adjusted or f.level == "indirect") else "direct",
            comparison=n["comparison"], source_ids=source_ids, estimate_id=e.id, reasons=reasons,
            arithmetic=n["arithmetic"], others=others,
            secondary_source=e.verification == Verification.V_sec or src.verification == Verification.V_sec,
        ), (f, True)
    for fnd in idx.findings.get((option, outcome_id), []):
        f = fit(idx.finding_pops[fnd.id], scenario, tier, base)
        if f.level != "none":
            src = idx.sources[fnd.source]
            pop_fit = fit(src.population, scenario, tier, base)
            reasons = list(dict.fromkeys(f.reasons + pop_fit.reasons))
            return OutcomeResult(
                **{**empty, "horizon": fnd.horizon}, applicability="indirect" if reasons else "direct",
                comparison="words", source_ids=[fnd.source], finding=fnd.text, reasons=reasons,
                secondary_source=fnd.verification == Verification.V_sec or src.verification == Verification.V_sec,
            ), (Fit("indirect" if reasons else "direct", tuple(reasons)), False)
    gap_text = [g.text for g in _gaps(base, option, scenario.location, outcome_id)]
    return OutcomeResult(**empty, applicability="none", comparison="none", source_ids=[],
                         reasons=gap_text or ["No published figure that we could check."]), None


def _option(opt, scenario: Scenario, tier: Tier, order: list[str], base: EvidenceBase) -> OptionResult:
    cis = {c.id: c for c in base.rules.contraindications}
    absolute = [cis[c].label for c in scenario.contraindications
                if cis[c].kind == "absolute" and opt.id in cis[c].options]
    relative = [cis[c].label for c in scenario.contraindications
                if cis[c].kind == "relative" and opt.id in cis[c].options]
    blocking = [g.text for g in _gaps(base, opt.id.value, scenario.location, None) if g.blocks_status]
    general = [g.text for g in _gaps(base, opt.id.value, scenario.location, None) if not g.blocks_status]
    outcomes, numeric, worded = [], [], []
    for oid in order:
        res, fitted = _outcome(opt.id.value, oid, scenario, tier, base, blocking)
        outcomes.append(res)
        if fitted is not None:
            (numeric if fitted[1] else worded).append(fitted[0])
    # Status rests on the studies that gave numbers; findings in words count only when there are none.
    fits = numeric or worded
    reasons: list[str] = []
    if absolute:
        status = "contraindicated"
        reasons += [f"Not safe with: {a}." for a in absolute]
    elif blocking or not fits:
        status = "no_evidence"
        reasons += blocking or ["No published evidence that we could check applies to this patient."]
    elif any(f.level == "direct" for f in fits):
        status = "studied"
    else:
        status = "indirect"
    if status in ("indirect", "contraindicated") and fits and all(f.level == "indirect" for f in fits):
        reasons += list(dict.fromkeys(r for f in fits for r in f.reasons))
        if any("days old" in r for f in fits for r in f.reasons) and all(
            any("days old" in r for r in f.reasons) for f in fits
        ):
            reasons.append("This clot is older than any clot in the studies of this option.")
    reasons += general
    reasons += [f"Take care: {r}." for r in relative]
    return OptionResult(id=opt.id.value, label=opt.label, short=opt.short, status=status,
                        reasons=list(dict.fromkeys(reasons)), outcomes=outcomes)


# ----------------------------------------------------------------- guidelines and warnings


def guidelines(scenario: Scenario, tier: Tier, base: EvidenceBase) -> list[GuidelineResult]:
    out = []
    for g in base.guidelines:
        s = g.scope
        if scenario.location not in s.locations or tier not in s.bleeding_tiers:
            continue
        if s.max_symptom_days is not None and scenario.symptom_days > s.max_symptom_days:
            continue
        if s.min_symptom_days is not None and scenario.symptom_days < s.min_symptom_days:
            continue
        if s.limb_threat == "only" and not scenario.limb_threatening:
            continue
        if s.limb_threat == "excluded" and scenario.limb_threatening:
            continue
        out.append(GuidelineResult(
            id=g.id, body=g.body, year=g.year, statement=g.statement, strength=g.strength, certainty=g.certainty,
            reference=g.reference, doi=g.doi, options=[o.value for o in g.options],
            secondary_source=g.verification == Verification.V_sec,
        ))
    return out


def warnings(scenario: Scenario, base: EvidenceBase) -> list[str]:
    out = []
    labels = base.vocabulary.locations
    if scenario.iliac_compression and scenario.location not in base.rules.stent_locations:
        out.append(
            f"Suspected iliac vein compression does not fit a clot in the {labels[scenario.location].lower()}. "
            "Please check the clot location."
        )
    if scenario.limb_threatening:
        out.append("A clot that threatens the leg is an emergency. This tool is not built for urgent decisions.")
    if "no_anticoagulation" in scenario.contraindications:
        out.append("Blood thinners cannot be used: see what the guidelines say about a vena cava filter.")
    if scenario.age is not None and scenario.age < 18:
        out.append("Most of the studies took adults only.")
    if evidence_mod.is_stale(base):
        out.append("The evidence may be out of date: it has not been reviewed within the update policy.")
    return out


def run(scenario: Scenario, base: EvidenceBase | None = None) -> Result:
    """Everything the dashboard shows for one scenario."""
    base = base or evidence_mod.default()
    bl = bleeding(scenario, base)
    tier = Tier(bl.tier)
    order = outcome_order(scenario, base)
    return Result(
        scenario=scenario,
        clot_age=clot_age(scenario.symptom_days, base),
        bleeding=bl,
        outcome_order=order,
        options=[_option(o, scenario, tier, order, base) for o in base.vocabulary.options],
        guidelines=guidelines(scenario, tier, base),
        warnings=warnings(scenario, base),
        evidence_date=base.rules.evidence_date.isoformat(),
    )
