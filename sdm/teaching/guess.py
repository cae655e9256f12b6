"""Teaching: guess first, then see the engine's figures; only the guesses are scored."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from ..engine.result import OutcomeResult, ReferenceResult, Result
from ..evidence import loader as evidence_mod
from ..evidence.models import Certainty, EvidenceBase, Frozen
from .figures import figure_label, reference_of, working
from .vignettes import (
    CLOSE_PER_100,
    DENOMINATOR,
    GUESS_OUTCOMES,
)

# ----------------------------------------------------------------- guess first


class GuessItem(Frozen):
    id: str  # "<option>.<outcome>"
    option: str
    outcome: str
    question: str
    truth: float = Field(ge=0.0, le=1.0)
    horizon: str | None
    source_ids: list[str]
    certainty: Certainty | None = None
    figure: Literal["published", "worked_out"] | None = None  # as the engine marks it
    label: str  # where the answer comes from: "Published: ..." only for a published figure
    working: str | None = None  # the engine's sum, for a worked-out figure
    reference_id: str | None = None
    reference: float | None = Field(default=None, ge=0.0, le=1.0)  # the row's reference it is set against


_WHO = {
    "anticoagulation": "who take blood thinners alone",
    "stenting": "who have a stent",
}


def _who(option_id: str, short: str) -> str:
    return _WHO.get(option_id, f"who have {short}")


def _when(horizon: str | None) -> str:
    if not horizon:
        return ""
    h = horizon.strip()
    first = h.split(" ", 1)[0].lower()
    if first == "first":
        return f" in the {h}"
    if first in ("within", "during", "around", "in", "at", "after", "before"):
        return f" {h}"
    return f" over {h}"


def _happen(event_words: str) -> str:
    words = event_words.strip()
    if words.startswith("had "):
        return "have " + words[4:]
    return words


def _question_when(o: OutcomeResult, ref: ReferenceResult | None, base: EvidenceBase) -> str:
    """The time span of a question. Extra bleeding added to the tier is asked over the tier's span,
    counting the procedure's extra bleeding over the span the study measured it."""
    if o.comparison == "added" and ref is not None and o.estimate_id is not None:
        e = next((x for x in base.estimates if x.id == o.estimate_id), None)
        if e is not None:
            return f"{_when(ref.horizon)}, counting the extra bleeding {e.horizon}"
    return _when(o.horizon)


def guess_items(result: Result, base: EvidenceBase | None = None,
                outcomes: Sequence[str] = GUESS_OUTCOMES) -> list[GuessItem]:
    """The outcome risks a learner can estimate for this scenario: every option
    that is not ruled out and has a number for these outcomes. Each carries the
    row's reference it is set against and says whether it is published or worked out."""
    base = base or evidence_mod.default()
    info = {o.id: o for o in base.vocabulary.outcomes}
    items = []
    for opt in result.options:
        if opt.status in ("no_evidence", "contraindicated"):
            continue
        for oid in outcomes:
            o = opt.outcome(oid)
            if o.risk is None or not info[oid].event_words:
                continue
            ref = reference_of(result, o)
            question = (f"Out of {DENOMINATOR} people like this {_who(opt.id, opt.short)}, how many "
                        f"{_happen(info[oid].event_words)}{_question_when(o, ref, base)}?")
            items.append(GuessItem(id=f"{opt.id}.{oid}", option=opt.id, outcome=oid, question=question,
                                   truth=o.risk, horizon=o.horizon, source_ids=list(o.source_ids),
                                   certainty=o.certainty, figure=o.figure, label=figure_label(result, o, base),
                                   working=working(o) if o.figure == "worked_out" else None,
                                   reference_id=ref.id if ref is not None else None,
                                   reference=ref.risk if ref is not None else None))
    return items


def truths(items: Iterable[GuessItem]) -> dict[str, float]:
    return {i.id: i.truth for i in items}


class ItemScore(Frozen):
    id: str
    guess: float
    truth: float
    error_per_100: float = Field(ge=0.0)  # absolute error, in people per 100
    signed_per_100: float  # guess minus truth, in people per 100
    close: bool


class Calibration(Frozen):
    items: list[ItemScore]
    skipped: list[str]  # items with a true value but no guess
    mean_error_per_100: float = Field(ge=0.0)
    within: int = Field(ge=0)  # how many within the tolerance
    tolerance_per_100: float
    direction: Literal["overestimate", "underestimate", "mixed", "exact"]
    summary: str


def _proportion(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name}: expected a proportion between 0 and 1, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a proportion between 0 and 1, got {value!r}")
    return float(value)


def _n(x: float) -> str:
    r = round(x, 1)
    return f"{r:g}"


def score_guesses(guesses: Mapping[str, float], truths: Mapping[str, float],
                  tolerance_per_100: float = CLOSE_PER_100) -> Calibration:
    """How close guesses (proportions) came to the true values (proportions).

    Errors are in people per 100. Guesses for unknown items are an error;
    items with no guess are listed as skipped."""
    unknown = sorted(set(guesses) - set(truths))
    if unknown:
        raise ValueError(f"no true value for: {', '.join(unknown)}")
    scored = [k for k in truths if k in guesses]
    if not scored:
        raise ValueError("no guesses to score")
    eps = 1e-9
    items = []
    for k in scored:
        g = _proportion(f"guess {k}", guesses[k])
        t = _proportion(f"true value {k}", truths[k])
        signed = (g - t) * DENOMINATOR
        err = abs(signed)
        items.append(ItemScore(id=k, guess=g, truth=t, error_per_100=err, signed_per_100=signed,
                               close=err <= tolerance_per_100 + eps))
    mean = sum(i.error_per_100 for i in items) / len(items)
    within = sum(i.close for i in items)
    over = sum(i.signed_per_100 > eps for i in items)
    under = sum(i.signed_per_100 < -eps for i in items)
    if over == 0 and under == 0:
        direction = "exact"
    elif under == 0:
        direction = "overestimate"
    elif over == 0:
        direction = "underestimate"
    else:
        direction = "mixed"
    lean = {
        "exact": "every guess matched the number.",
        "overestimate": "you tended to guess too high.",
        "underestimate": "you tended to guess too low.",
        "mixed": "some guesses were too high and some too low.",
    }[direction]
    summary = (f"Your guesses were off by {_n(mean)} in {DENOMINATOR} on average, {within} of {len(items)} "
               f"came within {_n(tolerance_per_100)} in {DENOMINATOR}, and {lean}")
    return Calibration(items=items, skipped=[k for k in truths if k not in guesses], mean_error_per_100=mean,
                       within=within, tolerance_per_100=tolerance_per_100, direction=direction, summary=summary)


