"""Risk arithmetic: confidence intervals and applying effects to a baseline.

Pure functions on proportions. No clinical figures live here; they come from
data/ through the estimates passed in.
"""

from __future__ import annotations

from math import sqrt

Z95 = 1.959963984540054  # the 97.5th centile of the standard normal distribution


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
