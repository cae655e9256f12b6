"""The scenario engine: for one patient, what the evidence says about each option.

It never ranks options, never adds outcomes into a score and never names a
best option. The patient's goals only change the order in which outcomes are
listed. Every outcome row has one blood-thinners-alone reference
(sdm.reference); each option's cell is set against it (sdm.cells). Every
figure comes from data/ through the evidence base.
"""

from __future__ import annotations

from ..evidence import loader as evidence_mod
from ..evidence import translate
from ..evidence.models import TIER_ORDER, EvidenceBase, Population, Tier, Verification
from ..words import i18n
from . import reference as refs
from .applicability import Fit, fit, index
from .cells import option_result
from .result import Bleeding, GuidelineResult, ReferenceResult, Result
from .scenario import Scenario

# ----------------------------------------------------------------- language

_LOCALISED: dict[int, tuple[EvidenceBase, str]] = {}  # id -> (a localised base, its language), kept alive here


def localised(base: EvidenceBase, lang: str) -> EvidenceBase:
    """The evidence base with its text in `lang`; a base that is already in `lang` comes back as it is.

    The grid, the summary and the tables call this with whatever base the page holds, so an English
    base and a Spanish result still give Spanish words, and a Spanish base is never translated twice."""
    if lang == translate.ENGLISH:
        return base
    hit = _LOCALISED.get(id(base))
    if hit is not None and hit[0] is base and hit[1] == lang:
        return base
    if any(done is base for _, done in translate._CACHE.values()):  # from translate.localise directly
        return base
    out = translate.localise(base, lang)
    if len(_LOCALISED) > 8:
        _LOCALISED.clear()
    _LOCALISED[id(out)] = (out, lang)
    return out


def _tier(cat: i18n.Catalogue, tier: Tier | str) -> str:
    return cat.t(f"engine.tier.{getattr(tier, 'value', tier)}")


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
    cat = i18n.catalogue(scenario.lang)
    count = len(scenario.chest_factors)
    score = sum(rules.vte_bleed_weights[f] for f in scenario.vte_bleed_factors)
    src = [rules.source]
    unknown = scenario.unrecognised_bleeding_factors
    unrecognised = [cat.t("engine.bleeding.unrecognised")] if unknown else []
    if scenario.bleeding_tier is not None:
        return Bleeding(
            tier=scenario.bleeding_tier.value,
            method="entered",
            explanation=[cat.t("engine.bleeding.entered", tier=_tier(cat, scenario.bleeding_tier)), *unrecognised],
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
        lines.append(cat.t("engine.bleeding.chest", count=count, names=names, tier=_tier(cat, chest_tier)))
    tier, method = chest_tier, "chest_count"
    if scenario.vte_bleed_factors:
        src.append(rules.vte_bleed_source)
        vte_tier = Tier.high if score >= rules.vte_bleed_high_at else Tier.low
        word = cat.t("engine.bleeding.vte_high" if vte_tier is Tier.high else "engine.bleeding.vte_not_high")
        lines.append(cat.t("engine.bleeding.vte", score=f"{score:g}", cut=f"{rules.vte_bleed_high_at:g}", word=word))
        if scenario.chest_factors:
            tier = max(chest_tier, vte_tier, key=TIER_ORDER.get)
            method = "both"
            lines.append(cat.t("engine.bleeding.higher", tier=_tier(cat, tier)))
        else:
            tier, method = vte_tier, "vte_bleed"
    if not lines:
        lines.append(cat.t("engine.bleeding.none_checklist" if floor is not None else "engine.bleeding.none"))
        method = "none_ticked"
    notices: list[str] = []
    checklist_tier = tier
    if floor is not None:
        tier = max(floor, checklist_tier, key=TIER_ORDER.get)
        if floor is checklist_tier:
            said = cat.t("engine.bleeding.floor_same", floor=_tier(cat, floor))
        else:
            said = cat.t("engine.bleeding.floor_differs", floor=_tier(cat, floor),
                         checklist=_tier(cat, checklist_tier), tier=_tier(cat, tier))
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


# ----------------------------------------------------------------- references


def references(scenario: Scenario, tier: Tier, order: list[str], base: EvidenceBase) -> dict[str, ReferenceResult]:
    """Each outcome row's one blood-thinners-alone risk for this patient, with what happens over time beside it."""
    return _references(scenario, tier, order, base)[0]


def _references(scenario: Scenario, tier: Tier, order: list[str],
                base: EvidenceBase) -> tuple[dict[str, ReferenceResult], frozenset[str]]:
    """The references, and the rows whose reference population took younger clots than this one."""
    idx = index(base)
    cat = i18n.catalogue(scenario.lang)
    neighbours = base.rules.location_neighbours.get(scenario.location, [])
    out: dict[str, ReferenceResult] = {}
    too_old: set[str] = set()
    for oid in order:
        r = refs.choose(base, oid, scenario.location, neighbours)
        if r is None:
            continue
        pop = r.population or idx.sources[r.source].population
        f = fit(pop, scenario, tier, base)
        if f.level == "none":
            f = fit(Population(locations=r.locations, description=pop.description), scenario, tier, base)
        if r.kind == "bleeding_tier":  # the tier is this patient's own: nothing about it is indirect
            f = Fit("direct", ())
        if f.too_old:
            too_old.add(oid)
        context = []
        for fnd in idx.findings.get(("anticoagulation", oid), []):
            if fit(idx.finding_pops[fnd.id], scenario, tier, base).level != "none":
                src = idx.sources[fnd.source]
                said = cat.t("engine.over_time", author=src.first_author, year=src.year, horizon=fnd.horizon,
                             text=fnd.text)
                if fnd.verification == Verification.V_sec:
                    said += " " + cat.t("engine.secondary")
                context.append(said)
        out[oid] = refs.reference_result(r, base, tier, f.level, list(f.reasons), cat=cat, context=context)
    return out, frozenset(too_old)


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


def warnings(scenario: Scenario, bleed: Bleeding, base: EvidenceBase) -> list[str]:
    cat = i18n.catalogue(scenario.lang)
    out = []
    labels = base.vocabulary.locations
    rules = base.rules.bleeding
    if scenario.iliac_compression and scenario.location not in base.rules.stent_locations:
        out.append(cat.t("engine.warning.iliac", location=labels[scenario.location].lower()))
    if scenario.limb_threatening:
        out.append(cat.t("engine.warning.limb"))
    if "no_anticoagulation" in scenario.contraindications:
        out.append(cat.t("engine.warning.no_anticoagulation"))
    if scenario.age is not None and scenario.age < 18:
        out.append(cat.t("engine.warning.young"))
    # An age the CHEST table counts, not counted in a low tier (entered as low, or a checklist without it).
    aged = [rules.chest_factors[f].lower() for f, years in rules.chest_age_over.items()
            if scenario.age is not None and scenario.age > years and f not in scenario.chest_factors]
    if aged and bleed.tier == Tier.low.value:
        out.append(cat.t("engine.warning.aged", factors=cat.join(aged)))
    if evidence_mod.is_stale(base):
        out.append(cat.t("engine.warning.stale"))
    return out


def run(scenario: Scenario, base: EvidenceBase | None = None) -> Result:
    """Everything the dashboard shows for one scenario, in the scenario's language (same numbers in every one).

    The chart note stays English for the record: give it `run(scenario.model_copy(update={"lang": "en"}))`."""
    base = localised(base or evidence_mod.default(), scenario.lang)
    bl = bleeding(scenario, base)
    tier = Tier(bl.tier)
    order = outcome_order(scenario, base)
    reference_rows, too_old = _references(scenario, tier, order, base)
    return Result(
        scenario=scenario,
        clot_age=clot_age(scenario.symptom_days, base),
        bleeding=bl,
        outcome_order=order,
        references=reference_rows,
        options=[option_result(o, scenario, tier, order, base, reference_rows, too_old)
                 for o in base.vocabulary.options],
        guidelines=guidelines(scenario, tier, base),
        warnings=warnings(scenario, bl, base),
        evidence_date=base.rules.evidence_date.isoformat(),
    )


def with_goals(result: Result, scenario: Scenario, base: EvidenceBase | None = None) -> Result:
    """The result for `scenario`, which differs from `result.scenario` in its goals alone: the same cells, in the
    order of the new goals (the goals change nothing else: see `outcome_order`). Equal to `run(scenario, base)`;
    cheaper, because no figure is worked out again. The cells are `result`'s own objects, not copies: treat both
    results as read-only (the pages do, sharing results between sessions)."""
    if scenario.model_dump(exclude={"goals"}) != result.scenario.model_dump(exclude={"goals"}):
        raise ValueError("with_goals: the scenarios differ in more than their goals")
    base = localised(base or evidence_mod.default(), scenario.lang)
    order = outcome_order(scenario, base)
    options = [o.model_copy(update={"outcomes": sorted(o.outcomes, key=lambda c: order.index(c.id))})
               for o in result.options]
    references = {oid: result.references[oid] for oid in order if oid in result.references}
    return result.model_copy(update={"scenario": scenario, "outcome_order": order, "references": references,
                                     "options": options})
