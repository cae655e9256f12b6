"""Risk arithmetic: confidence intervals and applying effects to a baseline.

Pure functions on proportions. No clinical figures live here; they come from
data/ through the estimates passed in.
"""

from __future__ import annotations

from math import exp, sqrt

Z95 = 1.959963984540054  # the 97.5th centile of the standard normal distribution
CONTINUITY = 0.5  # added to each count of a 2 x 2 table that has an empty cell (Haldane)


def clip(p: float) -> float:
    """A proportion kept within [0, 1], without binary floating-point noise (0.03, not 0.030000000000000002)."""
    return min(1.0, max(0.0, round(p, 9)))


def wilson(p: float, n: float) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion p observed in n people."""
    if n <= 0:
        raise ValueError("n must be positive")
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return clip(centre - half), clip(centre + half)


def newcombe_difference(p1: float, n1: float, p2: float, n2: float) -> tuple[float, float]:
    """Newcombe hybrid score 95% interval for the difference p1 - p2 (method 10)."""
    l1, u1 = wilson(p1, n1)
    l2, u2 = wilson(p2, n2)
    d = p1 - p2
    low = d - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return low, high


def apply_ratio(measure: str, ratio: float, baseline: float) -> float:
    """The risk with the option, given the baseline risk and a risk or odds ratio."""
    if measure == "RR":
        return clip(baseline * ratio)
    if measure == "OR":
        if baseline >= 1.0:
            return 1.0
        odds = baseline / (1 - baseline) * ratio
        return clip(odds / (1 + odds))
    if measure == "RD":
        return clip(baseline + ratio)
    raise ValueError(f"unknown effect measure {measure}")


def ordered(low: float, mid: float, high: float) -> tuple[float, float]:
    """A range that contains its estimate (published figures are rounded, so a
    range derived from a ratio can miss the published point by a rounding step)."""
    low, high = min(low, high), max(low, high)
    return clip(min(low, mid)), clip(max(high, mid))


def risk_ratio(e1: float, n1: float, e0: float, n0: float) -> tuple[float, float, float]:
    """Risk ratio with its 95% interval by the Katz log method; CONTINUITY is added to every
    cell when a group has no events (or only events), so the ratio stays finite."""
    if min(n1, n0) <= 0:
        raise ValueError("group sizes must be positive")
    if 0 in (e1, e0) or e1 == n1 or e0 == n0:
        k = CONTINUITY
        e1, n1, e0, n0 = e1 + k, n1 + 2 * k, e0 + k, n0 + 2 * k
    rr = (e1 / n1) / (e0 / n0)
    se = sqrt(1 / e1 - 1 / n1 + 1 / e0 - 1 / n0)
    return rr, rr * exp(-Z95 * se), rr * exp(Z95 * se)


def direction(low: float | None, high: float | None, null: float) -> str:
    """'lower', 'higher' or 'no clear difference': whether a 95% interval excludes the null value."""
    if low is None or high is None:
        return "no clear difference"
    if high < null:
        return "lower"
    if low > null:
        return "higher"
    return "no clear difference"
