"""Is the patient ready to choose? The SURE test and the "who decides" question.

SURE (Légaré F, et al. Can Fam Physician 2010;56:e308-14) is four yes/no
questions. Any "no" (a score of 3 or less out of 4) flags decisional conflict:
the person may need more facts, more time to think about what matters, or
more support. The question texts here are this project's own plain wording.

Nothing is stored: these functions take answers and return a result; the
caller decides whether to show it, and it goes nowhere else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from .models import Frozen

SURE_SOURCE = "Légaré F, et al. Can Fam Physician 2010;56(8):e308-e314 (the SURE test)."

SureId = Literal["sure", "understand", "risk_benefit", "encouragement"]


class SureItem(Frozen):
    id: SureId
    letter: Literal["S", "U", "R", "E"]
    name: str
    question: str
    if_no: str  # a plain next step when the answer is "no"


SURE_ITEMS: tuple[SureItem, ...] = (
    SureItem(
        id="sure",
        letter="S",
        name="Sure of myself",
        question="Do you feel sure which choice is right for you?",
        if_no="It is fine not to be sure yet. Tell your care team what is holding you back.",
    ),
    SureItem(
        id="understand",
        letter="U",
        name="Understand information",
        question="Do you know the good points and the risks of each choice?",
        if_no="Ask your care team to go over the good points and risks of each choice again.",
    ),
    SureItem(
        id="risk_benefit",
        letter="R",
        name="Risk-benefit ratio",
        question="Are you clear about which good points and risks matter most to you?",
        if_no="Look again at what matters most to you, and talk it over with someone you trust.",
    ),
    SureItem(
        id="encouragement",
        letter="E",
        name="Encouragement",
        question="Do you have enough help and advice to make a choice?",
        if_no="Think about who else you would like to talk to, such as family, a friend or another member of your care team.",
    ),
)

SURE_IDS: tuple[str, ...] = tuple(i.id for i in SURE_ITEMS)
MAX_SCORE = len(SURE_ITEMS)

READY_MESSAGE = (
    "You said yes to all four questions. You seem ready to talk about a choice with your care team. "
    "You can still ask more questions or change your mind."
)
CONFLICT_MESSAGE = (
    "You said no to at least one question. Many people do, and it is OK. "
    "It means you may want more facts, more time or more help before you choose."
)


class SureResult(Frozen):
    score: int = Field(ge=0, le=MAX_SCORE)
    out_of: int = MAX_SCORE
    conflict: bool  # True when the score is below the maximum (3 or less of 4)
    unmet: list[SureId]  # the items answered "no", in SURE order
    message: str
    next_steps: list[str]


def score_sure(answers: dict[str, bool]) -> SureResult:
    """Score the four SURE answers (True = yes). Every item must be answered with a bool."""
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
    score = sum(answers[i] for i in SURE_IDS)
    unmet = [i.id for i in SURE_ITEMS if not answers[i.id]]
    conflict = score < MAX_SCORE
    return SureResult(
        score=score,
        conflict=conflict,
        unmet=unmet,
        message=CONFLICT_MESSAGE if conflict else READY_MESSAGE,
        next_steps=[i.if_no for i in SURE_ITEMS if not answers[i.id]],
    )


# ----------------------------------------------------------------- who decides

ROLE_QUESTION = "How would you like this choice to be made?"


class Role(StrEnum):
    """The role the patient wants in the decision (as in the Ottawa Personal Decision Guide)."""

    myself = "myself"
    shared = "shared"
    clinician = "clinician"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.myself: "I want to decide myself, after hearing what my care team thinks.",
    Role.shared: "I want to share the choice with my care team.",
    Role.clinician: "I want my care team to decide, after they hear what matters to me.",
}


def role_choices() -> list[tuple[str, str]]:
    """(value, label) pairs in the order they are asked."""
    return [(r.value, r.label) for r in Role]
