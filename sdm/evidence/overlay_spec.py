"""What an overlay in another language may carry (SPEC: the text fields of each evidence file, see
sdm.evidence.translate) and the numbers a text says (numbers), which must match its English text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

ENGLISH = "en"
LANGUAGES = ("en", "es")  # the first is the language of data/ itself

TEXT = "text"  # a text leaf


@dataclass(frozen=True)
class Records:
    """A list of records, matched by `key`; `fields` are the translatable ones."""

    fields: dict[str, Any]
    key: str = "id"


@dataclass(frozen=True)
class Each:
    """A mapping whose keys come from the English file; every value has the spec `value`.

    `pending` names keys the overlay may carry before the English file has them (the lead adds
    the English field later); their text is kept aside, see `pending`.
    """

    value: Any
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class Items:
    """A list of texts, matched by place."""


@dataclass(frozen=True)
class Terms:
    """A glossary: English term -> definition. The overlay gives `{term: ..., text: ...}` per English term."""


POPULATION = {"description": TEXT}

# What may be translated, file by file. Anything else in an overlay is an error.
SPEC: dict[str, Any] = {
    "sources.yaml": Records({"population": POPULATION, "follow_up": TEXT}),
    "references.yaml": Records({"horizon": TEXT, "definition": TEXT, "why": TEXT, "population": POPULATION}),
    "estimates.yaml": Records({"horizon": TEXT, "differs": TEXT, "note": TEXT, "population": POPULATION}),
    "findings.yaml": Records({"horizon": TEXT, "text": TEXT}),
    "gaps.yaml": Records({"text": TEXT}),
    "guidelines.yaml": Records({"statement": TEXT, "strength": TEXT, "certainty": TEXT}),
    "rules.yaml": {
        "age_bands": Records({"label": TEXT}),
        "contraindications": Records({"label": TEXT}),
        "bleeding": {
            "horizon": TEXT,
            "tiers": Records({"label": TEXT}, key="tier"),
            "chest_factors": Each(TEXT),
            "vte_bleed_labels": Each(TEXT),
            "note": TEXT,
        },
    },
    "vocabulary.yaml": {
        "options": Records({"label": TEXT, "short": TEXT, "with_words": TEXT}),
        "outcomes": Records({"label": TEXT, "event_words": TEXT, "no_event_words": TEXT}),
        "goals": Records({"label": TEXT}),
        "locations": Each(TEXT),
    },
    "content.yaml": {
        "decision": TEXT,
        "foundation": TEXT,
        "not_advice": TEXT,
        "options": Each({"name": TEXT, "plain": TEXT, "like": Each(TEXT)}),
        "glossary": Terms(),
        "urgent_call": TEXT,
        "urgent_signs": Items(),
        "questions_to_ask": Items(),
        "about": Each(TEXT),
    },
}

# ---------------------------------------------------------------- numbers inside text

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")  # 1,000 or 11.086: a thousands separator


def numbers(text: str) -> Counter:
    """The numbers written in digits in a text, as a multiset ("1,000" and "1000" are the same number)."""
    found: Counter = Counter()
    for token in _NUMBER.findall(text):
        if _GROUPED.fullmatch(token):
            token = token.replace(",", "").replace(".", "")
        else:
            token = token.replace(",", ".")
        found[token] += 1
    return found


def _order(token: str) -> tuple:
    """Sort key for a number token; a dotted run such as 127.0.0.9 is not one number, so it sorts last."""
    try:
        return float(token), token
    except ValueError:
        return float("inf"), token


def _numbers_said(c: Counter) -> str:
    return ", ".join(sorted(c.elements(), key=_order)) or "none"
