"""The words the evidence base carries with its figures: the vocabulary of outcomes, options and goals,
and the page content (what each option is like, the about text).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .fields import (
    Frozen,
    Id,
    Label,
    Location,
    OptionId,
    Sentence,
    Text,
    Words,
)


class OutcomeInfo(Frozen):
    id: Id
    label: Label  # plain words
    kind: Literal["harm", "benefit_when_lower", "good_when_higher"]
    event_words: Words = ""  # "had serious bleeding"; empty for outcomes shown in words only
    no_event_words: Words = ""  # "did not"
    goals: list[Id] = Field(default_factory=list)
    own_row: bool = True  # False: shown only beside another outcome's cell (see Estimate.shown_with)


class OptionInfo(Frozen):
    id: OptionId
    label: Label
    short: Label
    with_words: Label  # "with PCDT", "with a stent": how a sentence names people who had it
    outcomes: list[Id] = Field(min_length=1)


class GoalInfo(Frozen):
    id: Id
    label: Label
    summary: list[Id] = Field(default_factory=list)  # the outcome rows this goal brings to the summary


class Vocabulary(Frozen):
    options: list[OptionInfo] = Field(min_length=5, max_length=5)
    outcomes: list[OutcomeInfo] = Field(min_length=5)
    goals: list[GoalInfo] = Field(min_length=5)
    locations: dict[Location, Label]


LIKE_KEYS = ("procedure_day", "hospital_stay", "access_site", "blood_thinners_after", "follow_up", "back_to_normal")


class OptionContent(Frozen):
    name: Label
    plain: Text
    like: dict[Literal[LIKE_KEYS], Text]

    @model_validator(mode="after")
    def _all_cards(self) -> OptionContent:
        missing = [k for k in LIKE_KEYS if k not in self.like]
        if missing:
            raise ValueError(f"missing cards: {', '.join(missing)}")
        return self


class About(Frozen):
    purpose: Text
    audience: Text
    limitations: Text
    funding: Text
    update_policy: Text
    translation_note: Text  # who wrote the translations and what checks they have not had yet


class Content(Frozen):
    """Plain-language text for patients: no clinical numbers live here."""

    decision: Text
    foundation: Text
    not_advice: Text
    options: dict[OptionId, OptionContent]
    glossary: dict[Label, Sentence]
    urgent_call: Sentence  # what to do: call 911 or the local emergency number
    urgent_signs: list[Sentence] = Field(min_length=1, max_length=8)  # one boxed column of the handout
    questions_to_ask: list[Sentence] = Field(min_length=1, max_length=12)
    about: About
