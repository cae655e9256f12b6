"""What the clinician and patient enter: one validated, immutable scenario."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..evidence.models import Frozen, Location, Tier


class Goal(StrEnum):
    fast_relief = "fast_relief"
    avoid_bleeding = "avoid_bleeding"
    avoid_pts = "avoid_pts"
    avoid_procedure = "avoid_procedure"
    save_limb = "save_limb"


DEFAULT_GOALS = (Goal.avoid_bleeding, Goal.avoid_pts, Goal.fast_relief, Goal.avoid_procedure, Goal.save_limb)

FactorName = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)]


class Scenario(Frozen):
    """One patient's situation. Factor and contraindication names are checked
    against data/rules.yaml (pass the rules as validation context, or the
    default evidence is used)."""

    location: Location
    symptom_days: int = Field(ge=0, le=365)
    bleeding_tier: Tier | None = None
    # A level given together with a checklist (a link can carry both): the tier used is the
    # higher of this level and the checklist's, so the level is never lost or lowered.
    bleeding_floor: Tier | None = None
    # The link named a bleeding risk factor this tool does not know. It is not counted (its
    # meaning is unknown), it lowers nothing, and the page and the chart note say so.
    unrecognised_bleeding_factors: bool = False
    chest_factors: tuple[FactorName, ...] = ()
    vte_bleed_factors: tuple[FactorName, ...] = ()
    contraindications: tuple[FactorName, ...] = ()
    limb_threatening: bool = False
    iliac_compression: bool = False
    age: int | None = Field(default=None, ge=0, le=120)
    goals: tuple[Goal, ...] = DEFAULT_GOALS
    # The language of the patient's words (screen and handout); the numbers are the same in every language.
    lang: Literal["en", "es"] = "en"

    @field_validator("chest_factors", "vte_bleed_factors", "contraindications", "goals", mode="after")
    @classmethod
    def _unique(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(set(value)) != len(value):
            raise ValueError("each item may appear only once")
        return value

    @field_validator("chest_factors", "vte_bleed_factors", "contraindications", mode="after")
    @classmethod
    def _known(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        rules = _rules(info)
        allowed = {
            "chest_factors": set(rules.bleeding.chest_factors),
            "vte_bleed_factors": set(rules.bleeding.vte_bleed_weights),
            "contraindications": {c.id for c in rules.contraindications},
        }[info.field_name]
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"unknown {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
        return tuple(sorted(value))

    @model_validator(mode="after")
    def _one_bleeding_source(self) -> Scenario:
        if self.bleeding_tier is not None and (self.chest_factors or self.vte_bleed_factors):
            raise ValueError("give a bleeding tier or a checklist of risk factors, not both")
        if self.bleeding_tier is not None and self.bleeding_floor is not None:
            raise ValueError("a lowest bleeding level goes with a checklist, not with a chosen level")
        return self


def bleeding_from_checklist(fields: Mapping[str, Any]) -> bool:
    """Whether a scenario's fields (its model_dump, or what a link gave) take the bleeding risk from a checklist
    rather than from a chosen level. A scenario holds one or the other, never both (`_one_bleeding_source`): a
    checklist, ticked or not, and any level a link gave with it as the lowest, leaves `bleeding_tier` empty."""
    return fields.get("bleeding_tier") is None


def _rules(info: ValidationInfo):
    ctx = info.context or {}
    if "rules" in ctx:
        return ctx["rules"]
    from ..evidence.loader import default

    return default().rules


def make(rules=None, **fields: Any) -> Scenario:
    """Build a scenario, checking names against the given rules."""
    return Scenario.model_validate(fields, context={"rules": rules} if rules is not None else None)
