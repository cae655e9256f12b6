"""What the methods page shows: the IPDAS checklist, a summary of the evidence
base, and the formulas the engine uses, in plain text.

Pure Python (no Streamlit). The IPDAS rows come from data/ipdas.yaml; the
evidence counts and every figure in the formulas text come from the evidence
base and sdm/risk.py, so this page cannot drift from what the engine does.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from ..engine import risk as rk
from ..evidence import loader as evidence_mod
from ..evidence.models import Certainty, Design, EvidenceBase, Frozen, Sentence, Verification, text

IPDAS_FILE = "ipdas.yaml"
IPDAS_SOURCE = "Joseph-Williams N, et al. Med Decis Making 2014;34(6):699-710 (IPDASi v4)."

Group = Literal["qualifying", "certification", "quality"]
IpdasStatus = Literal["met", "partly", "not"]
Feature = Literal[
    "consult page",
    "goals view",
    "comparison grid",
    "icon arrays",
    "option cards",
    "provenance",
    "methods page",
    "handout",
    "teaching page",
    "about panel",
    "readability test",
    "glossary",
    "questions to ask",
    "readiness check",
    "guidelines panel",
]

_PREFIX: dict[str, Group] = {"Q": "qualifying", "C": "certification", "QC": "quality"}
# The criteria that apply to a treatment decision (screening and test items left out).
EXPECTED_IDS: tuple[str, ...] = (
    tuple(f"Q{i}" for i in range(1, 7)) + tuple(f"C{i}" for i in range(1, 7)) + tuple(f"QC{i}" for i in range(1, 24))
)


class IpdasCriterion(Frozen):
    """One record of data/ipdas.yaml."""

    id: Annotated[str, Field(pattern=r"^(Q|C|QC)\d{1,2}$")]
    text: Sentence
    status: IpdasStatus
    where: list[Feature] = Field(default_factory=list)
    note: text(400) | None = None

    @model_validator(mode="after")
    def _where_when_met(self) -> IpdasCriterion:
        if self.status != "not" and not self.where:
            raise ValueError("say where the app meets this criterion")
        if len(set(self.where)) != len(self.where):
            raise ValueError("each place may appear only once")
        return self


class IpdasRow(Frozen):
    """A row of the methods-page table."""

    id: str
    group: Group
    text: str
    status: IpdasStatus
    where: list[Feature]
    note: str | None


def _group(criterion_id: str) -> Group:
    prefix = re.match(r"^[A-Z]+", criterion_id).group(0)  # type: ignore[union-attr]
    return _PREFIX[prefix]


def _fill(note: str | None, base: EvidenceBase) -> str | None:
    if note is None:
        return None
    values = {
        "evidence_date": base.rules.evidence_date.isoformat(),
        "review_every_days": str(base.rules.review_every_days),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), note)


def ipdas_table(base: EvidenceBase | None = None, directory: Path | str | None = None) -> list[IpdasRow]:
    """The IPDAS v4 rows for this tool, in criterion order, checked for completeness."""
    base = base or evidence_mod.default()
    folder = Path(directory) if directory is not None else evidence_mod.data_dir()
    raw = evidence_mod._read_yaml(folder / IPDAS_FILE)
    if not isinstance(raw, list):
        raise evidence_mod.EvidenceError(
            [evidence_mod.Problem(IPDAS_FILE, "(whole file)", "(file)", "expected a list of records")]
        )
    try:
        criteria = TypeAdapter(list[IpdasCriterion]).validate_python(raw)
    except ValidationError as exc:
        raise evidence_mod.EvidenceError(evidence_mod._problems_from(IPDAS_FILE, raw, exc, True)) from exc
    problems = []
    ids = [c.id for c in criteria]
    for cid, n in Counter(ids).items():
        if n > 1:
            problems.append(evidence_mod.Problem(IPDAS_FILE, cid, "id", "this id is used twice"))
    for cid in EXPECTED_IDS:
        if cid not in ids:
            problems.append(evidence_mod.Problem(IPDAS_FILE, cid, "id", "criterion is missing"))
    for cid in ids:
        if cid not in EXPECTED_IDS:
            problems.append(evidence_mod.Problem(IPDAS_FILE, cid, "id", "not a treatment-decision IPDAS v4 criterion"))
    if problems:
        raise evidence_mod.EvidenceError(problems)
    order = {cid: i for i, cid in enumerate(EXPECTED_IDS)}
    return [
        IpdasRow(id=c.id, group=_group(c.id), text=c.text, status=c.status, where=list(c.where),
                 note=_fill(c.note, base))
        for c in sorted(criteria, key=lambda c: order[c.id])
    ]


def ipdas_counts(rows: list[IpdasRow]) -> dict[Group, dict[IpdasStatus, int]]:
    """How many criteria in each group are met, partly met or not met."""
    out: dict[Group, dict[IpdasStatus, int]] = {g: {"met": 0, "partly": 0, "not": 0} for g in _PREFIX.values()}
    for r in rows:
        out[r.group][r.status] += 1
    return out


# ----------------------------------------------------------------- evidence summary


class EvidenceSummary(Frozen):
    sources: int
    sources_by_design: dict[str, int]
    industry_sponsored: int
    estimates: int
    estimates_by_verification: dict[str, int]
    estimates_by_certainty: dict[str, int]
    findings: int  # results reported only in words
    gaps: int
    gaps_blocking: int  # gaps that leave an option with no evidence for some clot locations
    guidelines: int
    guidelines_secondary: int  # guideline statements seen only in a secondary source
    evidence_date: date
    review_every_days: int
    stale: bool


def evidence_summary(base: EvidenceBase | None = None, today: date | None = None) -> EvidenceSummary:
    """Counts for the methods page: sources by design, estimates by verification mark and certainty, gaps."""
    base = base or evidence_mod.default()
    designs = Counter(s.design.value for s in base.sources)
    marks = Counter(e.verification.value for e in base.estimates)
    certainty = Counter(e.certainty.value for e in base.estimates)
    return EvidenceSummary(
        sources=len(base.sources),
        sources_by_design={d.value: designs.get(d.value, 0) for d in Design},
        industry_sponsored=sum(1 for s in base.sources if s.industry_sponsored),
        estimates=len(base.estimates),
        estimates_by_verification={v.value: marks.get(v.value, 0) for v in Verification},
        estimates_by_certainty={c.value: certainty.get(c.value, 0) for c in Certainty},
        findings=len(base.findings),
        gaps=len(base.gaps),
        gaps_blocking=sum(1 for g in base.gaps if g.blocks_status),
        guidelines=len(base.guidelines),
        guidelines_secondary=sum(1 for g in base.guidelines if g.verification == Verification.V_sec),
        evidence_date=base.rules.evidence_date,
        review_every_days=base.rules.review_every_days,
        stale=evidence_mod.is_stale(base, today),
    )


# ----------------------------------------------------------------- references

KIND_WORDS = {
    "trial_control": "blood-thinners-alone group of a randomised trial",
    "cohort": "cohort (no trial group fits)",
    "bleeding_tier": "the patient's bleeding tier",
}


def reference_table(base: EvidenceBase | None = None) -> list[dict[str, str]]:
    """Every row's blood-thinners-alone reference: outcome, clot locations, figure, source and why it was chosen."""
    base = base or evidence_mod.default()
    labels = {o.id: o.label for o in base.vocabulary.outcomes}
    sources = {s.id: s for s in base.sources}
    out = []
    for r in base.references:
        src = sources[r.source]
        figure = ("by tier: " + ", ".join(f"{t.tier.value} {t.risk * 100:g} in 100" for t in base.rules.bleeding.tiers)
                  if r.arm is None else f"{r.arm.risk * 100:g} in 100")
        out.append({"Outcome": labels[r.outcome], "Clots": ", ".join(loc.value for loc in r.locations),
                    "Figure": figure, "Time frame": r.horizon, "Kind": KIND_WORDS[r.kind],
                    "Source": f"{src.first_author} {src.year}", "Mark": r.verification.value, "Why": r.why})
    return out


# ----------------------------------------------------------------- formulas


class Formula(Frozen):
    id: str
    name: str
    used_for: str  # which estimates, by their `baseline` setting in data/estimates.yaml
    text: str


def formulas(base: EvidenceBase | None = None) -> list[Formula]:
    """The arithmetic of sdm/engine.py and sdm/risk.py, in plain text."""
    base = base or evidence_mod.default()
    z = f"{rk.Z95:.2f}"
    horizon = base.rules.bleeding.horizon
    return [
        Formula(
            id="tier_baseline",
            name="Blood thinners alone: risk from the bleeding tier",
            used_for="blood thinners alone, baseline: bleeding_tier",
            text=(
                "The patient's bleeding tier (entered, or worked out from the CHEST checklist and the "
                "VTE-BLEED score, taking the higher tier when both are filled in) gives the chance of serious "
                f"bleeding in the {horizon} on blood thinners, read from the CHEST table. "
                "No range is shown because the table gives none."
            ),
        ),
        Formula(
            id="row_reference",
            name="One blood-thinners-alone figure per row",
            used_for="every outcome row (data/references.yaml)",
            text=(
                "Each outcome row has one risk with blood thinners alone for this patient, chosen from "
                "data/references.yaml: the blood-thinners-alone group of the randomised trial that enrolled people "
                "most like the patient; a cohort only where no trial group fits; for serious bleeding, the "
                "patient's bleeding tier. Every option in the row is compared with that one figure, and the "
                "blood-thinners-alone box shows it. Cohorts that follow people on blood thinners over time (VETO, "
                "CACTUS-PTS, RIETE) are notes beside the figure, not the figure, unless nothing better fits (calf "
                "clots). Where no reference fits, no option is set against a number from other people."
            ),
        ),
        Formula(
            id="ratio_on_reference",
            name="A trial's relative effect applied to the row's figure",
            used_for="procedures, baseline: comparator (a randomised comparison)",
            text=(
                "risk = reference x RR for a risk ratio; for an odds ratio, odds = reference / (1 - reference) x OR "
                "and risk = odds / (1 + odds). The ratio is the published RR or OR with its 95% interval; else a "
                "published risk difference and its interval divided by the trial's own blood-thinners-alone risk "
                "(RR = 1 + RD / control risk); else an RR worked out from the trial's counts by the Katz log "
                "method (counts from the published percentages when only those were given). The range applies "
                "the ratio's 95% limits to the same reference. The trial's own two groups are shown beside the "
                "arithmetic. When the trial's time frame or outcome definition differs from the reference's, or "
                "the reference comes from another study, the figure is marked less direct and the reason given. "
                "When very few people had the outcome, the trial's own numbers are given in words instead."
            ),
        ),
        Formula(
            id="katz",
            name="Katz log interval for a risk ratio",
            used_for="ratios worked out by this project from a trial's counts",
            text=(
                f"RR = (a / n1) / (c / n0); se = sqrt(1/a - 1/n1 + 1/c - 1/n0); 95% range = RR x exp(-{z} x se) "
                f"to RR x exp({z} x se). When a group has no events, {rk.CONTINUITY:g} is added to each count first."
            ),
        ),
        Formula(
            id="bleeding_increment",
            name="Procedure: extra bleeding added to the tier",
            used_for="procedures, baseline: bleeding_tier",
            text=(
                "risk = tier baseline + (risk with the procedure - risk with blood thinners alone, in the trial). "
                "The range is tier baseline + the 95% interval of that difference, worked out by the Newcombe "
                "hybrid score method from the trial's group sizes (method 10: "
                "lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2), "
                "where d = p1 - p2 and l, u are each group's Wilson interval). "
                "When the source gives the extra risk directly as a risk difference (RD) with its interval, "
                "risk = tier baseline + RD and the range is tier baseline + the RD's interval. When a study has "
                "one group only, its whole rate is added, as if none of it would have happened anyway. "
                "The result is kept between 0 and 1, and the range is widened if needed so it holds the estimate. "
                f"The time frame says both parts: the {horizon} on blood thinners, plus the extra bleeding in the "
                "time the trial measured (for example within 10 days of the procedure)."
            ),
        ),
        Formula(
            id="difference_only",
            name="Only a difference published",
            used_for="baseline: difference",
            text=(
                "When a source gives only an absolute difference (per 1,000) and no reference fits the patient, "
                "the difference is said in words with its range; no risk is shown for either side."
            ),
        ),
        Formula(
            id="one_group",
            name="One group only",
            used_for="baseline: none (registries and case series)",
            text=(
                "The risk is the share of treated people who had the outcome; there is no comparison group, so "
                "the figure is shown alone, labelled 'one group, no comparison', and never set against the row's "
                "blood-thinners-alone figure. The range is the published one, or a Wilson score interval from the "
                "group size."
            ),
        ),
        Formula(
            id="wilson",
            name="Wilson score interval for a single group",
            used_for="ranges worked out by this project from a group size",
            text=(
                f"For a share p seen in n people, with z = {z} (the 97.5th centile of the standard normal "
                "distribution): centre = (p + z^2 / 2n) / (1 + z^2 / n); "
                "half-width = z x sqrt(p(1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n); "
                "range = centre - half-width to centre + half-width, kept between 0 and 1."
            ),
        ),
        Formula(
            id="display",
            name="How numbers are shown",
            used_for="every number",
            text=(
                "Risks are shown as people out of 100: with one decimal below 10, as whole numbers above. "
                "A harm that rounds to 0 of 100 is shown as 'fewer than 1 of 100'. Outcomes are never added "
                "together, weighted or turned into a score, and options are never ranked."
            ),
        ),
    ]
