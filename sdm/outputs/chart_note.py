"""A plain-text note for the medical record, for the clinician to copy.

It records what was entered, how the bleeding tier was set, the patient's goals
in order, each option's status (options in their fixed order, never ranked)
with the numbers shown and their sources. It holds no name or other
identifying field. Every figure comes from the engine's Result.

The note is in English for the record, whatever the language of the patient's
materials, and says which language those were in: a result in another language
is worked out again in English from the same scenario and the English evidence
base (the numbers are the same in every language).
"""

from __future__ import annotations

from datetime import date

from ..engine.compute import run
from ..engine.result import Bleeding, OutcomeResult, Result
from ..evidence.models import EvidenceBase
from ..words.wording import per100

NOT_A_RECOMMENDATION = "Decision aid used to support shared decision making; it does not recommend a treatment."
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}  # the note is English: each language named in English

STATUS = {
    "studied": "studied in patients like this one",
    "one_group": "single-group evidence only (registry or case series, no comparison group)",
    "indirect": "evidence only from patients who differ from this one (indirect)",
    "no_evidence": "no applicable evidence",
    "contraindicated": "contraindicated by an entered condition",
}

COMPARISON = {
    "reference": "this row's anticoagulation-alone reference",
    "relative": "anticoagulation alone (this row's reference; trial relative effect applied)",
    "added": "anticoagulation alone (this row's reference; procedure's extra risk added)",
}


def _source_label(sid: str, sources: dict) -> str:
    s = sources.get(sid)
    if s is None:
        return sid
    ids = ", ".join(x for x in (f"DOI {s.doi}" if s.doi else "", f"PMID {s.pmid}" if s.pmid else "") if x)
    return f"{sid} ({ids})" if ids else sid


def _number(o: OutcomeResult, sources: dict) -> str:
    rng = f" (range {per100(o.risk_low)}-{per100(o.risk_high)})" if o.risk_low is not None else " (no range published)"
    if o.comparison == "reference":
        comp = "; anticoagulation-alone reference for this row"
    elif o.comparator_risk is not None:
        comp = f"; vs {per100(o.comparator_risk)} per 100 with {COMPARISON.get(o.comparison, 'anticoagulation alone')}"
    elif o.comparison == "one_group":
        comp = "; one group, no comparison"
    else:
        comp = ""
    extra = "; secondary source only" if o.secondary_source else ""
    src = "; ".join(_source_label(s, sources) for s in o.source_ids)
    return (
        f"{o.label}, {o.horizon}: {per100(o.risk)} per 100{rng}{comp}; certainty {o.certainty}; "
        f"applicability {o.applicability}{extra}. Source: {src}."
    )


def _bleeding_how(b: Bleeding) -> str:
    """How the tier was set; a level and a checklist that disagree, or an unknown factor, are recorded."""
    if b.entered_tier is None:
        parts = [f"method: {b.method.replace('_', ' ')}"]
    else:
        parts = [f"entered as {b.entered_tier}", f"checklist gives {b.checklist_tier}"]
    if b.unrecognised_factors:
        parts.append("a bleeding risk factor in the link was not recognised and was not counted")
    if b.entered_tier is not None and b.entered_tier != b.checklist_tier:
        parts.append("the higher is used")
    return "; ".join(parts)


def chart_note(result: Result, base: EvidenceBase, today: date | None = None) -> str:
    """The note as plain text (no patient name or identifier). `base` is the English evidence base."""
    materials = result.scenario.lang  # the language of the patient's screen and handout
    if materials != "en":
        result = run(result.scenario.model_copy(update={"lang": "en"}), base)
    sc = result.scenario
    sources = {s.id: s for s in base.sources}
    cis = {c.id: c for c in base.rules.contraindications}
    goals = {g.id: g.label for g in base.vocabulary.goals}
    band = next(a for a in base.rules.age_bands if a.id == result.clot_age)
    day = today or date.today()

    lines = [
        "DVT treatment: shared decision making note",
        f"Date: {day.isoformat()}. Evidence date: {result.evidence_date}.",
        f"Patient materials (screen and handout) were in {LANGUAGE_NAMES[materials]}.",
        "",
        "Inputs:",
        f"- Clot location: {base.vocabulary.locations[sc.location]} ({sc.location.value}).",
        f"- Symptom duration: {sc.symptom_days} days ({band.label}).",
        f"- Limb-threatening (phlegmasia): {'yes' if sc.limb_threatening else 'no'}.",
        f"- Suspected iliac vein compression: {'yes' if sc.iliac_compression else 'no'}.",
        f"- Age: {sc.age if sc.age is not None else 'not entered'}.",
    ]
    if sc.contraindications:
        lines.append("- Contraindications entered: "
                     + "; ".join(f"{cis[c].label} ({cis[c].kind})" for c in sc.contraindications) + ".")
    else:
        lines.append("- Contraindications entered: none.")
    lines += ["", f"Bleeding risk tier: {result.bleeding.tier} ({_bleeding_how(result.bleeding)})."]
    lines += [f"  {e}" for e in result.bleeding.explanation]
    lines.append("  Source: " + "; ".join(_source_label(s, sources) for s in result.bleeding.source_ids) + ".")
    lines += ["", "Patient goals, in the patient's order:"]
    lines += [f"  {i}. {goals[g.value]}" for i, g in enumerate(sc.goals, 1)]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"- {w}" for w in result.warnings]

    lines += ["", "Options (fixed order, not ranked):"]
    for opt in result.options:
        lines.append(f"- {opt.label} ({opt.short}): {STATUS[opt.status]}.")
        lines += [f"    Reason: {r}" for r in opt.reasons]
        by_id = {o.id: o for o in opt.outcomes}
        for oid in result.outcome_order:
            o = by_id.get(oid)
            if o is None:
                continue
            if o.risk is not None:
                lines.append(f"    {_number(o, sources)}")
            elif o.finding:
                src = "; ".join(_source_label(s, sources) for s in o.source_ids)
                lines.append(f"    {o.label}, {o.horizon} (in words): {o.finding} Source: {src}.")

    if result.guidelines:
        lines += ["", "Guideline statements shown (paraphrased, attributed):"]
        for g in result.guidelines:
            ref = f"{g.reference}" + (f", DOI {g.doi}" if g.doi else "")
            sec = " Secondary source only." if g.secondary_source else ""
            lines.append(f"- {g.statement} ({g.strength}; {g.certainty}). {ref}.{sec}")

    lines += ["", NOT_A_RECOMMENDATION]
    return "\n".join(lines) + "\n"
