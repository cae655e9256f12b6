"""Evidence records, validated on load.

Every model is frozen and forbids unknown fields, so a typo in a data file is an
error that names the field instead of a silently ignored value.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .content import (
    LIKE_KEYS as LIKE_KEYS,
)
from .content import (
    About as About,
)
from .content import (
    Content as Content,
)
from .content import (
    GoalInfo as GoalInfo,
)
from .content import (
    OptionContent as OptionContent,
)
from .content import (
    OptionInfo as OptionInfo,
)
from .content import (
    OutcomeInfo as OutcomeInfo,
)
from .content import (
    Vocabulary as Vocabulary,
)
from .fields import (
    DISPLAYABLE as DISPLAYABLE,
)
from .fields import (
    TIER_ORDER as TIER_ORDER,
)
from .fields import (
    Certainty as Certainty,
)
from .fields import (
    Design as Design,
)
from .fields import (
    Doi as Doi,
)
from .fields import (
    Frozen as Frozen,
)
from .fields import (
    Id as Id,
)
from .fields import (
    Label as Label,
)
from .fields import (
    Location as Location,
)
from .fields import (
    OptionId as OptionId,
)
from .fields import (
    Probability as Probability,
)
from .fields import (
    Sentence as Sentence,
)
from .fields import (
    Text as Text,
)
from .fields import (
    Tier as Tier,
)
from .fields import (
    Verification as Verification,
)
from .fields import (
    Words as Words,
)
from .fields import (
    text as text,
)


class Population(Frozen):
    """Who a study enrolled. None on a limit means the study set no such limit."""

    locations: list[Location] = Field(min_length=1)
    max_symptom_days: int | None = Field(default=None, ge=0, le=3650)
    bleeding_tiers: list[Tier] = Field(default_factory=lambda: list(Tier), min_length=1)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    limb_threat_included: bool = False
    description: Text

    @model_validator(mode="after")
    def _ages_ordered(self) -> Population:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min is greater than age_max")
        return self


class Source(Frozen):
    id: Id
    citation: Text
    first_author: Label
    journal: Label
    year: int = Field(ge=1950, le=2100)
    doi: Doi | None = None
    pmid: Annotated[str, Field(pattern=r"^\d{6,9}$")] | None = None
    registration: Label | None = None
    design: Design
    population: Population
    patients: int | None = Field(default=None, ge=1)
    follow_up: Label
    industry_sponsored: bool | None = None
    checked: date
    verification: Verification
    note: Text | None = None

    @property
    def short_cite(self) -> str:
        """'Comerota AJ 2019'; the journal stands in where the first author was not recorded."""
        who = self.journal if self.first_author.startswith("(") else self.first_author
        return f"{who} {self.year}"

    @property
    def link(self) -> str | None:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return None


class Arm(Frozen):
    """One group's result: a risk, and the counts where published."""

    risk: Probability
    events: int | None = Field(default=None, ge=0)
    n: int | None = Field(default=None, ge=1)
    low: Probability | None = None
    high: Probability | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Arm:
        if self.events is not None and self.n is None:
            raise ValueError("events needs n, the group size")
        if self.events is not None and self.n is not None and self.events > self.n:
            raise ValueError("events is greater than n")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and not self.low <= self.risk <= self.high:
            raise ValueError("risk is outside its own range")
        return self


class Effect(Frozen):
    """A relative or absolute effect with its 95% confidence interval."""

    measure: Literal["RR", "OR", "RD"]
    value: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effect:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ValueError("value is outside its own interval")
        if self.measure in ("RR", "OR") and self.value <= 0:
            raise ValueError("ratios must be positive")
        return self


class Estimate(Frozen):
    """A number for one option and one outcome from one source.

    `baseline` says how the option's figure is set against the row's one
    blood-thinners-alone reference (data/references.yaml):
    - "comparator": a randomised comparison. The trial's relative effect (the
      published RR or OR, or an RR worked out from the arms) is applied to the
      row's reference; the trial's own arms stay visible in the provenance;
    - "bleeding_tier": the procedure's extra risk (a risk difference, or the
      difference between the arms) is added to the patient's bleeding tier;
    - "difference": only an absolute difference is published and no reference
      fits: the difference is said in words, never as a risk;
    - "none": one group only, no comparison (registries), shown alone.
    `shown_with` lists the estimate beside another outcome's cell (another view
    of the same trials) instead of giving it a row of its own. `apply: false`
    keeps the trial's arms in words when too few events make a ratio meaningless.
    """

    id: Id
    source: Id
    option: OptionId
    outcome: Id
    horizon: Label
    intervention: Arm | None = None
    comparator: Arm | None = None
    effect: Effect | None = None
    baseline: Literal["comparator", "bleeding_tier", "difference", "none"] = "comparator"
    apply: bool = True
    shown_with: Id | None = None
    differs: Text | None = None  # how the outcome definition differs from the row's reference
    population: Population | None = None
    certainty: Certainty
    certainty_by: Literal["source", "guideline", "project"]
    verification: Verification
    priority: int = Field(default=10, ge=0, le=100)
    note: Text | None = None

    @model_validator(mode="after")
    def _has_numbers(self) -> Estimate:
        both_arms = self.intervention is not None and self.comparator is not None
        ratio = self.effect is not None and self.effect.measure in ("RR", "OR")
        if self.baseline == "comparator" and not (both_arms or ratio):
            raise ValueError("baseline 'comparator' needs both arms or a published risk or odds ratio")
        if self.baseline == "none" and self.intervention is None:
            raise ValueError("a one-group estimate needs an intervention arm")
        if self.baseline == "bleeding_tier" and self.option != OptionId.anticoagulation:
            if self.effect is None and self.intervention is None:
                raise ValueError("an increment needs a risk difference, both arms or a one-group rate")
        if self.baseline == "difference" and (self.effect is None or self.effect.measure != "RD"):
            raise ValueError("baseline 'difference' needs a published risk difference (RD)")
        if not self.apply and not both_arms:
            raise ValueError("apply: false shows the trial's arms in words, so it needs both arms")
        return self


class Finding(Frozen):
    """A result a source reports only as a direction, shown in words."""

    id: Id
    source: Id
    option: OptionId
    outcome: Id
    locations: list[Location] = Field(min_length=1)
    horizon: Label
    text: Text
    verification: Verification


class Gap(Frozen):
    """Where no published estimate exists: the engine says so plainly."""

    id: Id
    options: list[OptionId] = Field(min_length=1)
    locations: list[Location] = Field(min_length=1)
    outcomes: list[Id] = Field(default_factory=list)  # empty: every outcome
    text: Text
    blocks_status: bool = False  # True: the option has no evidence for these locations
    when: Literal["always", "no_iliac_compression"] = "always"  # a note that applies only in that case
    sources: list[Id] = Field(default_factory=list)


class GuidelineScope(Frozen):
    locations: list[Location] = Field(min_length=1)
    max_symptom_days: int | None = Field(default=None, ge=0)
    min_symptom_days: int | None = Field(default=None, ge=0)
    bleeding_tiers: list[Tier] = Field(default_factory=lambda: list(Tier), min_length=1)
    limb_threat: Literal["any", "only", "excluded"] = "any"


class Guideline(Frozen):
    id: Id
    body: Label
    body_short: Label
    year: int = Field(ge=1990, le=2100)
    doi: Doi | None = None
    reference: Text
    scope: GuidelineScope
    options: list[OptionId] = Field(min_length=1)
    statement: Text  # the project's own paraphrase
    strength: Label
    certainty: Label
    verification: Verification


class Contraindication(Frozen):
    id: Id
    label: Label
    kind: Literal["absolute", "relative"]
    options: list[OptionId] = Field(min_length=1)


class TierFigure(Frozen):
    tier: Tier
    risk: Probability
    label: Label


class BleedingRules(Frozen):
    """How the bleeding tier is set, and each tier's risk on blood thinners."""

    source: Id
    horizon: Label
    verification: Verification
    tiers: list[TierFigure] = Field(min_length=3, max_length=3)
    chest_factors: dict[Id, Label]
    chest_cutoffs: dict[Tier, int]  # fewest factors for each tier
    chest_age_over: dict[Id, int]  # the CHEST factors that are an age: factor id -> "older than" this many years
    vte_bleed_source: Id
    vte_bleed_weights: dict[Id, float]
    vte_bleed_labels: dict[Id, Label]
    vte_bleed_high_at: float
    note: Text


class AgeBand(Frozen):
    id: Literal["acute", "subacute", "chronic"]
    label: Label
    max_days: int | None = Field(default=None, ge=0)


class Rules(Frozen):
    evidence_date: date
    review_every_days: int = Field(ge=30, le=3650)
    max_symptom_days: int = Field(ge=1, le=3650)
    age_bands: list[AgeBand] = Field(min_length=3, max_length=3)
    location_neighbours: dict[Location, list[Location]]
    stent_locations: list[Location]
    lytic_options: list[OptionId]
    contraindications: list[Contraindication]
    bleeding: BleedingRules


class Reference(Frozen):
    """The one blood-thinners-alone risk an outcome row is compared with, for some clot locations.

    Prefer the control group of the randomised trial that enrolled people like
    the patient (`trial_control`); a cohort (`cohort`) only where no trial control
    fits; `bleeding_tier` takes the patient's tier from rules.yaml.
    """

    id: Id
    outcome: Id
    locations: list[Location] = Field(min_length=1)
    kind: Literal["trial_control", "cohort", "bleeding_tier"]
    source: Id
    horizon: Text
    definition: Text
    why: Text
    arm: Arm | None = None
    population: Population | None = None
    certainty: Certainty
    certainty_by: Literal["source", "guideline", "project"]
    verification: Verification
    priority: int = Field(default=10, ge=0, le=100)

    @model_validator(mode="after")
    def _has_risk(self) -> Reference:
        if (self.kind == "bleeding_tier") == (self.arm is not None):
            raise ValueError("a bleeding_tier reference takes its risk from the tier; every other needs an arm")
        return self


class EvidenceBase(Frozen):
    sources: list[Source]
    references: list[Reference]
    estimates: list[Estimate]
    findings: list[Finding]
    gaps: list[Gap]
    guidelines: list[Guideline]
    rules: Rules
    vocabulary: Vocabulary
    content: Content
