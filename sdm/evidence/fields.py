"""The building blocks of the evidence records: bounded numbers, ids, DOIs, checked text of a set length,
the frozen base model and the enumerations (locations, options, tiers, verification marks, designs).

Every model is frozen and forbids unknown fields, so a typo in a data file is an error that names the
field instead of a silently ignored value.
"""


from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from . import safe_text

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", min_length=2, max_length=60)]


def _plain_text(value: str) -> str:
    """Evidence text is text: no images, raw HTML or links to other hosts (sdm.safe_text), and never blank."""
    if value and not value.strip():
        raise PydanticCustomError("blank_text", "holds only spaces")
    try:
        return safe_text.check(value)
    except ValueError as exc:  # the reason alone, without pydantic's "Value error, " in front
        raise PydanticCustomError("not_plain_text", str(exc)) from None


Doi = Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$", max_length=200), AfterValidator(_plain_text)]


def text(max_length: int, min_length: int = 1) -> Any:
    """A free-text field: plain words (sdm.safe_text) of at most max_length characters.

    The limits are what the pages and the handout are built for: the handout's boxes (the not-advice box, the
    urgent-signs box) and its reference columns must each fit on one page, and headings, checklist items and
    table cells are meant for a few words. `python -m sdm validate` refuses longer text."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_plain_text)]


Label = text(120)  # a name or label: headings, buttons, checklist items, table cells, time frames
Sentence = text(300)  # one sentence in a list: urgent signs, questions to ask, glossary meanings
Text = text(600)  # a short paragraph: statements, findings, gaps, citations, descriptions
Words = text(120, min_length=0)  # a few words that may be left empty (an outcome's event words)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)  # no infinite or NaN figure


class Location(StrEnum):
    distal = "distal"
    femoropopliteal = "femoropopliteal"
    iliofemoral = "iliofemoral"
    iliocaval = "iliocaval"


class OptionId(StrEnum):
    anticoagulation = "anticoagulation"
    cdt = "cdt"
    pcdt = "pcdt"
    thrombectomy = "thrombectomy"
    stenting = "stenting"


class Tier(StrEnum):
    low = "low"
    moderate = "moderate"
    high = "high"


TIER_ORDER = {Tier.low: 0, Tier.moderate: 1, Tier.high: 2}


class Verification(StrEnum):
    """Marks from the evidence dossier."""

    V = "V"  # seen in a retrieved text
    V_derived = "V-derived"  # arithmetic on seen figures
    V_sec = "V-sec"  # seen only in a secondary source
    M = "M"  # from memory: never shown as a number
    NF = "NF"  # looked for, not found: never shown as a number


DISPLAYABLE = {Verification.V, Verification.V_derived, Verification.V_sec}


class Design(StrEnum):
    rct = "RCT"
    rct_subgroup = "RCT subgroup"
    meta_analysis = "meta-analysis"
    registry = "registry"
    observational = "observational"
    guideline = "guideline"


class Certainty(StrEnum):
    high = "high"
    moderate = "moderate"
    low = "low"
    very_low = "very low"
