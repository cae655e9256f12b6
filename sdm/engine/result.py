"""What the scenario engine returns. Plain data, ready for JSON, the UI and the handout."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..evidence.models import Frozen, Probability
from .scenario import Scenario

Applicability = Literal["direct", "indirect", "none"]
Status = Literal["studied", "one_group", "indirect", "no_evidence", "contraindicated"]
# reference: this is the row's blood-thinners-alone figure; relative: a trial's relative effect applied to it;
# added: a procedure's extra risk added to it; difference: only a difference, in words; one_group: no comparison;
# words: a direction or the trial's arms in words; none: nothing checked.
Comparison = Literal["reference", "relative", "added", "difference", "one_group", "words", "none"]
Direction = Literal["lower", "higher", "no clear difference"]


class TrialArms(Frozen):
    """A trial's own two groups, exactly as stored in data/estimates.yaml."""

    intervention: Probability
    comparator: Probability
    intervention_n: int | None = None
    comparator_n: int | None = None
    text: str


class ReferenceResult(Frozen):
    """The one blood-thinners-alone risk an outcome row is compared with, for this patient."""

    id: str
    outcome: str
    kind: Literal["trial_control", "cohort", "bleeding_tier"]
    risk: Probability
    low: Probability | None
    high: Probability | None
    range_note: str | None = None
    horizon: str
    definition: str
    why: str
    certainty: str
    certainty_by: str
    source_ids: list[str]
    verification: str
    applicability: Applicability
    reasons: list[str] = Field(default_factory=list)
    arithmetic: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)  # what happens over time with blood thinners alone (cohorts)


class Other(Frozen):
    """Another study that fits this patient, or another view of the same trials, listed beside the one shown.

    It says what that study found on its own terms (its own arms or effect); it is never set against the row's
    reference."""

    estimate_id: str
    source_id: str
    horizon: str
    text: str
    applicability: Applicability


class OutcomeResult(Frozen):
    id: str
    label: str
    kind: str
    horizon: str | None
    risk: Probability | None
    risk_low: Probability | None
    risk_high: Probability | None
    comparator_risk: Probability | None
    comparator_low: Probability | None = None
    comparator_high: Probability | None = None
    range_note: str | None = None
    certainty: str | None
    certainty_by: str | None = None
    applicability: Applicability
    comparison: Comparison
    source_ids: list[str]
    estimate_id: str | None = None
    finding: str | None = None
    reasons: list[str] = Field(default_factory=list)
    arithmetic: list[str] = Field(default_factory=list)
    secondary_source: bool = False
    others: list[Other] = Field(default_factory=list)
    reference_id: str | None = None
    trial: TrialArms | None = None
    direction: Direction | None = None  # against the reference, as the option's own source found it
    figure: Literal["published", "worked_out"] | None = None


class OptionResult(Frozen):
    id: str
    label: str
    short: str
    status: Status
    reasons: list[str]
    outcomes: list[OutcomeResult]

    def outcome(self, outcome_id: str) -> OutcomeResult:
        for o in self.outcomes:
            if o.id == outcome_id:
                return o
        raise KeyError(outcome_id)


class GuidelineResult(Frozen):
    id: str
    body: str
    year: int
    statement: str
    strength: str
    certainty: str
    reference: str
    doi: str | None
    options: list[str]
    secondary_source: bool


class Bleeding(Frozen):
    tier: str
    method: Literal["entered", "chest_count", "vte_bleed", "both", "none_ticked"]
    explanation: list[str]
    chest_count: int
    vte_bleed_score: float
    source_ids: list[str]
    # A level entered together with a checklist: what each gave. The tier is the higher of the two.
    entered_tier: str | None = None
    checklist_tier: str | None = None
    unrecognised_factors: bool = False  # the link named a risk factor this tool does not know
    notices: list[str] = Field(default_factory=list)  # plain words for next to the bleeding input


class Result(Frozen):
    scenario: Scenario
    clot_age: str
    bleeding: Bleeding
    outcome_order: list[str]
    references: dict[str, ReferenceResult]
    options: list[OptionResult]
    guidelines: list[GuidelineResult]
    warnings: list[str]
    evidence_date: str

    def option(self, option_id: str) -> OptionResult:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)

    def reference(self, outcome_id: str) -> ReferenceResult | None:
        return self.references.get(outcome_id)
