"""Risk in words: natural frequencies, both frames, ranges and certainty.

Shared by the dashboard, the handout and the CLI so every view says the same. The words come from
the catalogue (data/locales/<lang>/wording.yaml); every function takes `cat` (an i18n.Catalogue,
English when not given). The numbers are worked out and formatted here, the same way in every
language, and go into the templates as fields.
"""

from __future__ import annotations

from . import i18n

CERTAINTY_LEVELS = ("high", "moderate", "low", "very low")
APPLICABILITY_LEVELS = ("direct", "indirect", "none")


def english() -> i18n.Catalogue:
    return i18n.catalogue("en")


def certainty_words(level: str, cat: i18n.Catalogue | None = None) -> str:
    """'We are fairly sure about this number. ...' for a certainty level (high, moderate, low, very low)."""
    return (cat or english()).t("wording.certainty." + level.replace(" ", "_"))


def applicability_words(level: str, cat: i18n.Catalogue | None = None) -> str:
    return (cat or english()).t("wording.applicability." + level)


def __getattr__(name: str):
    """The English words as mappings, for callers that read them by level (the Methods page)."""
    if name == "CERTAINTY_WORDS":
        return {level: certainty_words(level) for level in CERTAINTY_LEVELS}
    if name == "APPLICABILITY_WORDS":
        return {level: applicability_words(level) for level in APPLICABILITY_LEVELS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def per100(p: float) -> str:
    """A proportion as 'x in 100', one decimal below 10, whole numbers above."""
    v = p * 100
    if abs(v) < 10 and round(v, 1) != round(v):
        return f"{v:.1f}"
    return f"{round(v):d}"


def count(p: float, denominator: int) -> int:
    return int(round(p * denominator))


def _n(cat: i18n.Catalogue, value: int) -> str:
    return cat.number(value)


def of_n(p: float, denominator: int, cat: i18n.Catalogue | None = None) -> str:
    """'7 of 100'; for a rare harm that rounds to 0, say 'fewer than 1 of 100' instead of hiding it."""
    return _counted(p, denominator, cat or english(), "wording.of_n")


def in_n(p: float, denominator: int, cat: i18n.Catalogue | None = None) -> str:
    """'7 in 100' (the summary's short form); 'fewer than 1 in 100' for a rare harm that rounds to 0."""
    return _counted(p, denominator, cat or english(), "wording.in_n")


def _counted(p: float, denominator: int, cat: i18n.Catalogue, key: str) -> str:
    k = count(p, denominator)
    if k == 0 and p > 0:
        return cat.t(f"{key}_fewer", n=_n(cat, denominator))
    return cat.t(key, k=_n(cat, k), n=_n(cat, denominator))


def both_frames(p: float, denominator: int, event_words: str, no_event_words: str | None = None,
                cat: i18n.Catalogue | None = None) -> str:
    """'7 of 100 people had serious bleeding; 93 did not.' (no_event_words: 'did not' when not given)."""
    cat = cat or english()
    no_event = no_event_words if no_event_words is not None else cat.t("wording.did_not")
    k = count(p, denominator)
    rest = denominator - k
    if k == 0 and p > 0:
        finer = count(p, 1000)
        if denominator < 1000 and finer > 0:
            return cat.t("wording.frames_rare_finer", n=_n(cat, denominator), event=event_words, finer=finer,
                         thousand=_n(cat, 1000), no_event=no_event)
        return cat.t("wording.frames_rare", n=_n(cat, denominator), event=event_words, no_event=no_event)
    return cat.t("wording.frames", k=_n(cat, k), n=_n(cat, denominator), event=event_words, rest=_n(cat, rest),
                 no_event=no_event)


def range_words(low: float | None, high: float | None, denominator: int, cat: i18n.Catalogue | None = None) -> str:
    cat = cat or english()
    if low is None or high is None:
        return cat.t("wording.no_range")
    lo, hi = count(low, denominator), count(high, denominator)
    if lo == hi:
        return cat.t("wording.range_close", lo=_n(cat, lo), n=_n(cat, denominator))
    return cat.t("wording.range", lo=_n(cat, lo), hi=_n(cat, hi), n=_n(cat, denominator))
