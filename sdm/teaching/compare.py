"""Teaching: what changed between two scenarios, listed in words (no ranking)."""

from __future__ import annotations

import math
from typing import Any, Literal

from ..engine.result import ReferenceResult, Result
from ..engine.scenario import Scenario
from ..evidence import loader as evidence_mod
from ..evidence.models import EvidenceBase, Frozen
from ..words.wording import per100
from .figures import _own_sources, source_name

# ----------------------------------------------------------------- side-by-side differences


ChangeKind = Literal["input", "clot_age", "bleeding_tier", "reference", "status", "risk", "source"]


class Change(Frozen):
    kind: ChangeKind
    field: str | None = None  # the scenario field, for inputs
    option: str | None = None
    outcome: str | None = None
    before: Any = None
    after: Any = None
    text: str


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=1e-12)


INPUT_LABELS = {
    "location": "Clot location",
    "symptom_days": "Days since symptoms began",
    "bleeding_tier": "Bleeding tier entered",
    "chest_factors": "CHEST bleeding risk factors",
    "vte_bleed_factors": "VTE-BLEED factors",
    "contraindications": "Reasons not to use clot-dissolving drugs",
    "limb_threatening": "Clot threatens the leg",
    "iliac_compression": "Suspected iliac vein compression",
    "age": "Age",
    "goals": "Goals, in order",
}


def _show(v: Any) -> str:
    if v is None or (isinstance(v, tuple | list) and not v):
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, tuple | list):
        return ", ".join(str(getattr(x, "value", x)) for x in v)
    return str(getattr(v, "value", v))


def _risk_words(p: float | None) -> str:
    return "no number" if p is None else f"{per100(p)} in 100"


# An option's status in words, the same on the whole teaching page (never a rank).
STATUS_WORDS = {"studied": "studied", "one_group": "one group", "indirect": "indirect", "no_evidence": "not studied",
                "contraindicated": "not safe"}


def _reference_words(ref: ReferenceResult | None, base: EvidenceBase) -> str:
    if ref is None:
        return "no blood-thinners-alone figure"
    return f"{per100(ref.risk)} in 100 ({', '.join(source_name(base, s) for s in ref.source_ids)})"


def diff_scenarios(a: Result, b: Result, base: EvidenceBase | None = None) -> list[Change]:
    """What changed from result a to result b: inputs, derived clot age and tier, each outcome
    row's reference (once per row, not once per option), option statuses, and each option's
    risk and own source."""
    base = base or evidence_mod.default()
    changes: list[Change] = []
    sa, sb = a.scenario, b.scenario
    for name in Scenario.model_fields:
        va, vb = getattr(sa, name), getattr(sb, name)
        if va != vb:
            changes.append(Change(kind="input", field=name, before=va, after=vb,
                                  text=f"{INPUT_LABELS.get(name, name)}: {_show(va)} before, {_show(vb)} after."))
    if a.clot_age != b.clot_age:
        changes.append(Change(kind="clot_age", before=a.clot_age, after=b.clot_age,
                              text=f"Clot age band: {a.clot_age} before, {b.clot_age} after."))
    if a.bleeding.tier != b.bleeding.tier:
        changes.append(Change(kind="bleeding_tier", before=a.bleeding.tier, after=b.bleeding.tier,
                              text=f"Bleeding tier: {a.bleeding.tier} before, {b.bleeding.tier} after."))
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    for oid in [*a.outcome_order, *(x for x in b.outcome_order if x not in a.outcome_order)]:
        ra, rb = a.reference(oid), b.reference(oid)
        risk_a, risk_b = (ra.risk if ra is not None else None), (rb.risk if rb is not None else None)
        same_id = (ra.id if ra is not None else None) == (rb.id if rb is not None else None)
        if not same_id or not _same(risk_a, risk_b):
            changes.append(Change(kind="reference", outcome=oid, before=risk_a, after=risk_b,
                                  text=f"{labels.get(oid, oid)}, blood thinners alone (the figure every option in "
                                       f"this row is compared with): {_reference_words(ra, base)} before, "
                                       f"{_reference_words(rb, base)} after."))
    after_options = {o.id: o for o in b.options}
    for oa in a.options:
        ob = after_options.get(oa.id)
        if ob is None:
            continue
        if oa.status != ob.status:
            changes.append(Change(kind="status", option=oa.id, before=oa.status, after=ob.status,
                                  text=f"{oa.short}: {STATUS_WORDS[oa.status]} before, "
                                       f"{STATUS_WORDS[ob.status]} after."))
        after_outcomes = {o.id: o for o in ob.outcomes}
        for xa in oa.outcomes:
            xb = after_outcomes.get(xa.id)
            if xb is None or "reference" in (xa.comparison, xb.comparison):
                continue  # the reference itself (or its going): said once for the row above
            if not _same(xa.risk, xb.risk):
                changes.append(Change(kind="risk", option=oa.id, outcome=xa.id, before=xa.risk, after=xb.risk,
                                      text=f"{xa.label} with {oa.short}: {_risk_words(xa.risk)} before, "
                                           f"{_risk_words(xb.risk)} after."))
            own_a, own_b = _own_sources(xa), _own_sources(xb)
            if own_a != own_b:
                changes.append(Change(kind="source", option=oa.id, outcome=xa.id, before=tuple(own_a),
                                      after=tuple(own_b),
                                      text=f"{xa.label} with {oa.short}: from {_show(own_a)} before, "
                                           f"from {_show(own_b)} after."))
    return changes


