"""Icon arrays: how many of 100 (or 1000) people had an outcome, with the range drawn in.

Layout is pure geometry, shared by the inline SVG on screen and the PDF handout.
Icons fill row by row from the bottom left, grouped, never scattered. Colours
are Okabe-Ito, and every category also differs by shape (solid, half-filled,
ring, plain grey), so nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import quote

from ..words.wording import count

VERMILLION = "#D55E00"
GREY = "#BBBBBB"
INK = "#000000"

CATEGORIES = ("had", "maybe_had", "maybe_not", "did_not")
# Each category's pattern id in an SVG, one of its own: two alike would draw one category with the other's icon.
PATTERN_ID = {"had": "h", "maybe_had": "mh", "maybe_not": "mn", "did_not": "d"}
LEGEND = {
    "had": "solid: had it",
    "maybe_had": "half-filled: had it in the best estimate, but the true number could be lower",
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
    return min(10, denominator) if denominator <= 100 else 40


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


def blocks(c: IconCounts) -> list[tuple[int, int, int, int, str]]:
    """Rectangles of same-category icons: (top row, first col, width, height in rows, category).

    A category fills a contiguous stretch of the bottom-up order, so it takes at
    most three rectangles: a part row, a block of whole rows, a part row. Each is
    drawn once, filled with a repeating icon, whatever the denominator."""
    cols = columns(c.total)
    rows = -(-c.total // cols)
    out = []
    start = 0
    for cat in CATEGORIES:
        n = getattr(c, cat)
        i, end = start, start + n
        while i < end:
            r, col = divmod(i, cols)
            if col == 0 and end - i >= cols:
                full = (end - i) // cols
                out.append((rows - r - full, 0, cols, full, cat))
                i += full * cols
            else:
                width = min(cols - col, end - i)
                out.append((rows - 1 - r, col, width, 1, cat))
                i += width
        start = end
    return out


UNIT = 10  # drawing units per icon; the SVG is scaled to its pixel size by width and height


def svg(c: IconCounts, label: str, cell: float = 8.0, uid: str = "ia", bare: bool = False) -> str:
    """An accessible standalone SVG: role="img", an aria-label and a <title> carrying the numbers.

    Drawn in whole units (one icon = 10 units) with one pattern per category used, so an array of
    100 or 1,000 icons stays a few hundred bytes."""
    cols = columns(c.total)
    rows = -(-c.total // cols)
    px = cell * (0.55 if c.total > 100 else 1)
    u = escape(uid)
    icon = {
        "had": f"<circle cx='5' cy='5' r='4' fill='{VERMILLION}'/>",
        "maybe_had": f"<circle cx='5' cy='5' r='3.5' fill='#FFF' stroke='{VERMILLION}' stroke-width='1'/>"
                     f"<path d='M5 1.5A3.5 3.5 0 0 0 5 8.5Z' fill='{VERMILLION}'/>",
        "maybe_not": f"<circle cx='5' cy='5' r='3.4' fill='#FFF' stroke='{VERMILLION}' stroke-width='1.2'/>",
        "did_not": f"<circle cx='5' cy='5' r='4' fill='{GREY}'/>",
    }
    used = [cat for cat in CATEGORIES if getattr(c, cat)]
    defs = []
    for cat in used:
        defs.append(f"<pattern id='{PATTERN_ID[cat]}{u}' width='{UNIT}' height='{UNIT}' patternUnits='userSpaceOnUse'>"
                    f"{icon[cat]}</pattern>")
    shapes = [
        ("" if bare else f"<rect data-category='{cat}' data-icons='{n * k}' ")
        + ("<rect " if bare else "")
        + f"x='{col * UNIT}' y='{row * UNIT}' width='{n * UNIT}' height='{k * UNIT}' fill='url(#{PATTERN_ID[cat]}{u})'/>"
        for row, col, n, k, cat in blocks(c)
    ]
    if bare:  # for an <img>, which carries the label and counts itself
        return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {cols * UNIT} {rows * UNIT}'>"
                f"<defs>{''.join(defs)}</defs>{''.join(shapes)}</svg>")
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{escape(label)}' "
        f"viewBox='0 0 {cols * UNIT} {rows * UNIT}' width='{cols * px:.0f}' height='{rows * px:.0f}' "
        f"data-had='{c.had}' data-maybe-had='{c.maybe_had}' data-maybe-not='{c.maybe_not}' "
        f"data-did-not='{c.did_not}' data-total='{c.total}'>"
        f"<title>{escape(label)}</title><defs>{''.join(defs)}</defs>{''.join(shapes)}</svg>"
    )


@lru_cache(maxsize=4096)
def _bare_data(c: IconCounts) -> str:
    """The bare SVG for an <img>, percent-encoded for its data URI: the same four counts always draw the same
    picture, and a page draws many alike, so each is encoded once (urllib's quote goes byte by byte)."""
    body = svg(c, label="", uid="a", bare=True)  # the <img> carries the alt text and counts
    return quote(body, safe=" ='/:,.()-")


def img(c: IconCounts, label: str, cell: float = 8.0) -> str:
    """The icon array as an <img> holding the SVG as a data URI, so it survives HTML
    sanitising that drops inline SVG. The alt text carries the numbers."""
    data = _bare_data(c)
    cols = columns(c.total)
    rows = -(-c.total // cols)
    size = cell * (0.55 if c.total > 100 else 1)
    return (
        f'<img class="icon-array" src="data:image/svg+xml,{data}" alt="{escape(label)}" '
        f'width="{cols * size:.0f}" height="{rows * size:.0f}" data-had="{c.had}" data-maybe-had="{c.maybe_had}" '
        f'data-maybe-not="{c.maybe_not}" data-did-not="{c.did_not}" data-total="{c.total}">'
    )
