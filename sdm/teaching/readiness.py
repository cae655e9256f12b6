"""Is the patient ready to choose? The SURE test and the "who decides" question.

SURE (Légaré F, et al. Can Fam Physician 2010;56:e308-14) is four yes/no
questions. Any "no" (a score of 3 or less out of 4) flags decisional conflict:
the person may need more facts, more time to think about what matters, or
more support. The question texts are this project's own plain wording, one
set per language in data/locales/<lang>/readiness.yaml (sdm.i18n); pass the
catalogue (`cat`) for the patient's language, English when it is left out.

Nothing is stored: these functions take answers and return a result; the
caller decides whether to show it, and it goes nowhere else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from ..evidence.models import Frozen
from ..words import i18n

SURE_SOURCE = "Légaré F, et al. Can Fam Physician 2010;56(8):e308-e314 (the SURE test)."

SureId = Literal["sure", "understand", "risk_benefit", "encouragement"]
_LETTERS: tuple[tuple[str, str], ...] = (("sure", "S"), ("understand", "U"), ("risk_benefit", "R"),
                                         ("encouragement", "E"))


class SureItem(Frozen):
    id: SureId
    letter: Literal["S", "U", "R", "E"]
    name: str
    question: str
    if_no: str  # a plain next step when the answer is "no"


SURE_IDS: tuple[str, ...] = tuple(i for i, _ in _LETTERS)
MAX_SCORE = len(SURE_IDS)


def _cat(cat: i18n.Catalogue | None) -> i18n.Catalogue:
    return cat if cat is not None else i18n.catalogue(i18n.DEFAULT)


def sure_items(cat: i18n.Catalogue | None = None) -> tuple[SureItem, ...]:
    """The four questions in SURE order, in the catalogue's language."""
    c = _cat(cat)
    return tuple(SureItem(id=i, letter=letter, name=c.t(f"readiness.items.{i}.name"),
                          question=c.t(f"readiness.items.{i}.question"), if_no=c.t(f"readiness.items.{i}.if_no"))
                 for i, letter in _LETTERS)


class SureResult(Frozen):
    score: int = Field(ge=0, le=MAX_SCORE)
    out_of: int = MAX_SCORE
    conflict: bool  # True when the score is below the maximum (3 or less of 4)
    unmet: list[SureId]  # the items answered "no", in SURE order
    message: str
    next_steps: list[str]


def score_sure(answers: dict[str, bool], cat: i18n.Catalogue | None = None) -> SureResult:
    """Score the four SURE answers (True = yes). Every item must be answered with a bool.

    The message and next steps are in the catalogue's language; the score never depends on it."""
    unknown = sorted(set(answers) - set(SURE_IDS))
    missing = [i for i in SURE_IDS if i not in answers]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown: {', '.join(unknown)}")
        raise ValueError(f"SURE needs a yes or no for {', '.join(SURE_IDS)} ({'; '.join(parts)})")
    for k, v in answers.items():
        if not isinstance(v, bool):
            raise ValueError(f"SURE answer for {k} must be True or False, got {v!r}")
    c = _cat(cat)
    score = sum(answers[i] for i in SURE_IDS)
    unmet = [i for i in SURE_IDS if not answers[i]]
    conflict = score < MAX_SCORE
    return SureResult(
        score=score,
        conflict=conflict,
        unmet=unmet,
        message=c.t("readiness.conflict" if conflict else "readiness.ready"),
        next_steps=[c.t(f"readiness.items.{i}.if_no") for i in unmet],
    )


# ----------------------------------------------------------------- who decides


class Role(StrEnum):
    """The role the patient wants in the decision (as in the Ottawa Personal Decision Guide)."""

    myself = "myself"
    shared = "shared"
    clinician = "clinician"

    @property
    def label(self) -> str:
        """In English; role_label(role, cat) gives it in another language."""
        return role_label(self)


def role_question(cat: i18n.Catalogue | None = None) -> str:
    return _cat(cat).t("readiness.role.question")


def role_label(role: Role | str, cat: i18n.Catalogue | None = None) -> str:
    return _cat(cat).t(f"readiness.role.{Role(role).value}")


def role_choices(cat: i18n.Catalogue | None = None) -> list[tuple[str, str]]:
    """(value, label) pairs in the order they are asked."""
    return [(r.value, role_label(r, cat)) for r in Role]


# English, for callers written before the catalogues (sdm.handout, the tests): read from the English
# catalogue each time they are asked for, so nothing is kept in this module.
_ENGLISH = {
    "SURE_ITEMS": lambda: sure_items(),
    "READY_MESSAGE": lambda: i18n.catalogue(i18n.DEFAULT).t("readiness.ready"),
    "CONFLICT_MESSAGE": lambda: i18n.catalogue(i18n.DEFAULT).t("readiness.conflict"),
    "ROLE_QUESTION": lambda: role_question(),
    "ROLE_LABELS": lambda: {r: role_label(r) for r in Role},
}


def __getattr__(name: str):
    if name in _ENGLISH:
        return _ENGLISH[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
