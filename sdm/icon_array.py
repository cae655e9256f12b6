"""Icon arrays: how many of 100 (or 1000) people had an outcome, with the range drawn in.

Layout is pure geometry, shared by the inline SVG on screen and the PDF handout.
Icons fill row by row from the bottom left, grouped, never scattered. Colours
are Okabe-Ito, and every category also differs by pattern (solid, striped,
ring, plain grey), so nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .wording import count

VERMILLION = "#D55E00"
GREY = "#BBBBBB"
INK = "#000000"

CATEGORIES = ("had", "maybe_had", "maybe_not", "did_not")
LEGEND = {
    "had": "solid: had it",
    "maybe_had": "striped: had it in the best estimate, but the true number could be lower",
    "maybe_not": "ring: did not in the best estimate, but the true number could be higher",
    "did_not": "grey: did not have it",
}


@dataclass(frozen=True)
class IconCounts:
    had: int
    maybe_had: int
    maybe_not: int
    did_not: int

    @property
    def total(self) -> int:
        return self.had + self.maybe_had + self.maybe_not + self.did_not

    @property
    def estimate(self) -> int:
        return self.had + self.maybe_had

    @property
    def low(self) -> int:
        return self.had

    @property
    def high(self) -> int:
        return self.had + self.maybe_had + self.maybe_not


def counts(risk: float, low: float | None, high: float | None, denominator: int = 100) -> IconCounts:
    est = count(risk, denominator)
    lo = min(count(low, denominator), est) if low is not None else est
    hi = max(count(high, denominator), est) if high is not None else est
    return IconCounts(had=lo, maybe_had=est - lo, maybe_not=hi - est, did_not=denominator - hi)


def columns(denominator: int) -> int:
    return 10 if denominator <= 100 else 40


def layout(c: IconCounts) -> list[tuple[int, int, str]]:
    """(row, col, category) for each icon; row 0 is the top row."""
    cols = columns(c.total)
    rows = -(-c.total // cols)
    cats = [cat for cat in CATEGORIES for _ in range(getattr(c, cat))]
    out = []
    for i, cat in enumerate(cats):
        r, col = divmod(i, cols)
        out.append((rows - 1 - r, col, cat))
    return out


def _circle(cx: float, cy: float, r: float) -> str:
    return f"M{cx - r:.2f},{cy:.2f}a{r:.2f},{r:.2f} 0 1,0 {2 * r:.2f},0a{r:.2f},{r:.2f} 0 1,0 {-2 * r:.2f},0Z"


def svg(c: IconCounts, label: str, cell: float = 10.0, uid: str = "ia") -> str:
    """An accessible inline SVG: role="img", an aria-label and a <title> carrying the numbers."""
    cols = columns(c.total)
    rows = -(-c.total // cols)
    if c.total > 100:
        cell = cell * 0.55
    r = cell * 0.4
    paths: dict[str, list[str]] = {cat: [] for cat in CATEGORIES}
    for row, col, cat in layout(c):
        paths[cat].append(_circle(col * cell + cell / 2, row * cell + cell / 2, r))
    w, h = cols * cell, rows * cell
    stripe = f"st-{escape(uid)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" class="icon-array" '
        f'data-had="{c.had}" data-maybe-had="{c.maybe_had}" data-maybe-not="{c.maybe_not}" '
        f'data-did-not="{c.did_not}" data-total="{c.total}">',
        f"<title>{escape(label)}</title>",
        f'<defs><pattern id="{stripe}" width="3" height="3" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="3" height="3" fill="#FFFFFF"/>'
        f'<rect width="1.6" height="3" fill="{VERMILLION}"/></pattern></defs>',
    ]
    style = {
        "had": f'fill="{VERMILLION}"',
        "maybe_had": f'fill="url(#{stripe})" stroke="{VERMILLION}" stroke-width="0.8"',
        "maybe_not": f'fill="#FFFFFF" stroke="{VERMILLION}" stroke-width="{max(0.8, cell * 0.12):.1f}"',
        "did_not": f'fill="{GREY}"',
    }
    for cat in CATEGORIES:
        if paths[cat]:
            parts.append(f'<path data-category="{cat}" {style[cat]} d="{"".join(paths[cat])}"/>')
    parts.append("</svg>")
    return "".join(parts)
