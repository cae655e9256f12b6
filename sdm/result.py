"""What the scenario engine returns. Plain data, ready for JSON, the UI and the handout."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .models import Frozen, Probability
from .scenario import Scenario

Applicability = Literal["direct", "indirect", "none"]
Status = Literal["studied", "indirect", "no_evidence", "contraindicated"]
Comparison = Literal["same_study", "one_group", "adjusted", "words", "none"]


class Other(Frozen):
    """Another study that fits this patient, listed beside the one shown."""

    estimate_id: str
    source_id: str
    horizon: str
    risk: Probability
    comparator_risk: Probability | None
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
    options: list[OptionResult]
    guidelines: list[GuidelineResult]
    warnings: list[str]
    evidence_date: str

    def option(self, option_id: str) -> OptionResult:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)
