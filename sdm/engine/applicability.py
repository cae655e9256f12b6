"""Does a study's population fit this patient? Lookups built once per evidence base.

Shared by the engine (references, statuses) and the cells (each option x outcome).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..evidence.models import Estimate, EvidenceBase, Location, Population, Tier
from ..words import i18n
from .scenario import Scenario


@dataclass(frozen=True)
class Fit:
    level: str  # direct | indirect | none
    reasons: tuple[str, ...]
    too_old: bool = False  # one reason is that the clot is older than the study took (in any language)


@dataclass
class _Index:
    by_pair: dict[tuple[str, str], list[Estimate]]
    views: dict[tuple[str, str], list[Estimate]]  # other views of the same trials, by the outcome they sit beside
    findings: dict[tuple[str, str], list]
    finding_pops: dict[str, Population]
    gaps_general: dict[tuple[str, Location], list]
    gaps_outcome: dict[tuple[str, Location, str], list]
    sources: dict
    estimates: dict[str, Estimate]
    outcomes: dict
    location_labels: dict[Location, str]
    rows: dict[str, dict]  # outcome id -> the fields every cell of its row starts from (no figure yet)
    # Answers of pure functions of this evidence and small keys (an estimate, a reference figure, a tier, a
    # language), filled as the cells and references ask (see memo): finite, and dropped with the index.
    memo: dict = field(default_factory=dict)


_INDEXES: dict[int, tuple[EvidenceBase, _Index]] = {}


_LAST: list = [None, None]  # the most recent (base, index): almost every call asks for it


def index(base: EvidenceBase) -> _Index:
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
    views: dict[tuple[str, str], list[Estimate]] = {}
    for e in base.estimates:
        if e.shown_with is None:
            by_pair.setdefault((e.option.value, e.outcome), []).append(e)
        else:
            views.setdefault((e.option.value, e.shown_with), []).append(e)
    for lst in [*by_pair.values(), *views.values()]:
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
        views=views,
        findings=findings,
        finding_pops={f.id: Population(locations=f.locations, description="finding") for f in base.findings},
        gaps_general=gaps_general,
        gaps_outcome=gaps_outcome,
        sources={s.id: s for s in base.sources},
        estimates={e.id: e for e in base.estimates},
        outcomes={o.id: o for o in base.vocabulary.outcomes},
        location_labels=dict(base.vocabulary.locations),
        rows={o.id: dict(id=o.id, label=o.label, kind=o.kind, horizon=None, risk=None, risk_low=None, risk_high=None,
                         comparator_risk=None, certainty=None) for o in base.vocabulary.outcomes},
    )



def memo(base: EvidenceBase, key: tuple, make, cat: i18n.Catalogue | None = None):
    """`make()`, once per evidence base and key (_Index.memo): for words and arithmetic that follow from the
    evidence and small keys alone, never from the whole patient. Callers copy any list before handing it on.
    `cat` is the catalogue the words come from: another one (a test's own locales folder) works them out again."""
    found = index(base).memo
    hit = found.get(key)
    if hit is None or hit[0] is not cat:
        hit = found[key] = (cat, make())
    return hit[1]


def fit(pop: Population, scenario: Scenario, tier: Tier, base: EvidenceBase) -> Fit:
    """Does the patient belong to the population a study enrolled? The reasons are in the scenario's language."""
    idx = index(base)
    cat = i18n.catalogue(scenario.lang)
    loc = scenario.location
    reasons: list[str] = []
    if loc not in pop.locations:
        near = [n for n in base.rules.location_neighbours.get(loc, []) if n in pop.locations]
        if not near:
            return Fit("none", ())
        reasons.append(cat.t("engine.fit.neighbour", near=idx.location_labels[near[0]].lower(),
                             location=idx.location_labels[loc].lower()))
    too_old = pop.max_symptom_days is not None and scenario.symptom_days > pop.max_symptom_days
    if too_old:
        reasons.append(cat.t("engine.fit.too_old", max_days=pop.max_symptom_days, days=scenario.symptom_days))
    if tier not in pop.bleeding_tiers:
        reasons.append(cat.t("engine.fit.tier", tier=cat.t(f"engine.tier.{tier.value}")))
    if scenario.age is not None:
        if pop.age_min is not None and scenario.age < pop.age_min:
            reasons.append(cat.t("engine.fit.too_young", age_min=pop.age_min, age=scenario.age))
        if pop.age_max is not None and scenario.age > pop.age_max:
            reasons.append(cat.t("engine.fit.too_old_person", age_max=pop.age_max, age=scenario.age))
    if scenario.limb_threatening and not pop.limb_threat_included:
        reasons.append(cat.t("engine.fit.limb"))
    return Fit("indirect" if reasons else "direct", tuple(reasons), too_old)


def population(e: Estimate, base: EvidenceBase) -> Population:
    return e.population or index(base).sources[e.source].population



def gaps(base: EvidenceBase, option: str, scenario: Scenario, outcome: str | None) -> list:
    """The gap notes for an option (outcome None) or one of its outcomes, for this patient."""
    idx = index(base)
    loc = scenario.location
    found = idx.gaps_general.get((option, loc), []) if outcome is None else idx.gaps_outcome.get((option, loc, outcome), [])
    return [g for g in found if g.when == "always" or (g.when == "no_iliac_compression" and not scenario.iliac_compression)]

