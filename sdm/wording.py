"""Risk in words: natural frequencies, both frames, ranges and certainty.

Shared by the dashboard, the handout and the CLI so every view says the same.
"""

from __future__ import annotations

CERTAINTY_WORDS = {
    "high": "We are very sure about this number.",
    "moderate": "We are fairly sure about this number. Newer studies could change it.",
    "low": "We are not very sure about this number. Newer studies could change it a lot.",
    "very low": "We are very unsure about this number. Treat it as a rough guide only.",
}

APPLICABILITY_WORDS = {
    "direct": "Studied in people like this patient.",
    "indirect": "From people who differ from this patient in some way (see why).",
    "none": "Not studied for this patient.",
}


def per100(p: float) -> str:
    """A proportion as 'x in 100', one decimal below 10, whole numbers above."""
    v = p * 100
    if abs(v) < 10 and round(v, 1) != round(v):
        return f"{v:.1f}"
    return f"{round(v):d}"


def count(p: float, denominator: int) -> int:
    return int(round(p * denominator))


def of_n(p: float, denominator: int) -> str:
    """'7 of 100'; for a rare harm that rounds to 0, say 'fewer than 1 of 100' instead of hiding it."""
    k = count(p, denominator)
    if k == 0 and p > 0:
        return f"fewer than 1 of {denominator:,}"
    return f"{k:,} of {denominator:,}"


def both_frames(p: float, denominator: int, event_words: str, no_event_words: str = "did not") -> str:
    """'7 of 100 people had serious bleeding; 93 did not.'"""
    k = count(p, denominator)
    rest = denominator - k
    if k == 0 and p > 0:
        finer = count(p, 1000)
        head = f"Fewer than 1 of {denominator:,} people {event_words}" + (
            f" (about {finer} of 1,000)" if denominator < 1000 and finer > 0 else ""
        )
        return f"{head}; almost all {no_event_words}."
    return f"{k:,} of {denominator:,} people {event_words}; {rest:,} {no_event_words}."


def range_words(low: float | None, high: float | None, denominator: int) -> str:
    if low is None or high is None:
        return "No range was published for this number."
    lo, hi = count(low, denominator), count(high, denominator)
    if lo == hi:
        return f"The true number is likely close to {lo:,} of {denominator:,}."
    return f"The true number could be as low as {lo:,} or as high as {hi:,} of {denominator:,}."
