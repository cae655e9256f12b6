"""Page furniture: the PDF class, fonts, sizes and colours, and text that flows with fpdf2.

All text goes through fpdf2's own line breaking (`multi_cell`, with its markdown for bold
labels). Words from the evidence files and from the user are escaped first (`md`), so a
`**` or `--` in them prints as typed, and this PDF class turns fpdf2's markdown links off:
no text in the handout can become a link. The page-count alias is off too, so a `{nb}` in
evidence text stays as typed; the footers are drawn once the page count is known.
"""

from __future__ import annotations

import copy
import re
import threading
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from ...evidence import loader as evidence_mod
from ...words.i18n import Catalogue
from .fonts import measured

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_DIRS = (evidence_mod.DEFAULT_DATA_DIR / "fonts", Path("/usr/share/fonts/truetype/dejavu"))
FAMILY = "DejaVu"

PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
LEFT = RIGHT = 9.0
TOP = 9.0
FOOT = 13.0  # the text stops this far above the page's lower edge; the footer sits in it
WIDTH = PAGE_W - LEFT - RIGHT

# Type sizes in points. The patient's pages never go below BODY for what they say and NOTE for
# notes (the footer included); only the reference page uses REFERENCE sizes.
TITLE = 18.0
HEAD = 14.0
BODY = 12.0
NOTE = 10.0
REFERENCE_MIN = 9.0
LEADING = 1.22  # line height as a multiple of the type size


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


INK = (0, 0, 0)
MUTED = (51, 51, 51)  # still dark enough to read easily: contrast above 12:1 on white
RULE = (120, 120, 120)
BAND = (232, 232, 232)
REF_FILL = (236, 242, 248)  # the blood-thinners-alone column, as on the screen


def font_dir() -> Path:
    for folder in FONT_DIRS:
        if all((folder / f).is_file() for f in FONT_FILES.values()):
            return folder
    raise FileNotFoundError(f"DejaVu Sans fonts not found; expected {', '.join(FONT_FILES.values())} in {FONT_DIRS[0]}")


class HandoutPDF(FPDF):
    """fpdf2 with markdown links turned off: `[words](address)` in any text prints as typed."""

    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")  # matches nothing


_MARKERS = re.compile(r"\*\*|__|~~|--")


def md(text: object) -> str:
    """Text from data or input, escaped for fpdf2's markdown: it prints exactly as typed."""
    s = str(text).replace("\\", "\\\\")
    return _MARKERS.sub(lambda m: "\\" + m.group(0), s)


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _template() -> HandoutPDF:
    """A PDF with the fonts loaded and nothing drawn. Reading the font files is the slow part
    of making a PDF, so each handout (and each trial layout) starts from a copy of this one."""
    pdf = HandoutPDF(orientation="P", unit="mm", format="A4")
    folder = font_dir()
    for style, fname in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(folder / fname))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=FOOT)
    pdf.alias_nb_pages(None)
    pdf.c_margin = 0
    pdf.set_font(FAMILY, "", BODY)
    return pdf


def new_pdf(cat: Catalogue) -> HandoutPDF:
    template = _template()
    # fpdf2 already shares each font's parsed file between copies; its glyph widths and ids are only
    # read once loaded, so they are shared too (a deep copy of them is most of the cost of a copy).
    memo: dict[int, object] = {}
    for font in template.fonts.values():
        for shared in (getattr(font, "cw", None), getattr(font, "glyph_ids", None)):
            if shared is not None:
                memo[id(shared)] = shared
    with _LOCK:
        pdf = copy.deepcopy(template, memo)
    for font in pdf.fonts.values():
        # fpdf2 shares the parsed font file between copies, but output() cuts it down to the glyphs that
        # one PDF uses, in place: each PDF opens its own (lazily, so this is quick).
        if getattr(font, "ttffile", None):
            font.ttfont = ttLib.TTFont(font.ttffile, recalcTimestamp=False, lazy=True)
            measured(font)  # line breaking without its quadratic sum of glyph widths (fonts.py)
    pdf.set_creation_date(datetime.now(UTC))
    pdf.set_title(cat.t("handout.meta.title"))
    pdf.set_subject(cat.t("handout.meta.subject"))
    pdf.set_creator("DVT shared decision making dashboard (sdm.handout)")
    pdf.set_lang({"en": "en-US", "es": "es-US"}.get(cat.lang, cat.lang))
    return pdf


def line_height(size: float) -> float:
    return size * 0.3528 * LEADING


_HEIGHTS: dict[tuple, float] = {}  # fpdf2's own measure of a paragraph; the same fonts in every PDF


class Writer:
    """Text on the page: paragraphs, bullets, headings and boxes, through fpdf2's multi_cell.

    With `draw` off, nothing is drawn: the writer moves its cursor by fpdf2's measured heights and
    breaks pages where multi_cell would (before any line that would pass the bottom), so the
    number of pages a style needs is known before it is drawn. Heights are cached: a handout is
    measured at several styles, in each language, from the same paragraphs."""

    def __init__(self, pdf: HandoutPDF, cat: Catalogue, draw: bool = True):
        self.pdf, self.cat, self.draw = pdf, cat, draw
        self._page, self._y = 1, TOP

    def t(self, key: str, **fields) -> str:
        return self.cat.t(f"handout.{key}", **fields)

    # -- the cursor, drawn or not

    @property
    def y(self) -> float:
        return self.pdf.get_y() if self.draw else self._y

    def set_y(self, y: float) -> None:
        if self.draw:
            self.pdf.set_y(y)
        else:
            self._y = y

    @property
    def page(self) -> int:
        return self.pdf.page_no() if self.draw else self._page

    @property
    def bottom(self) -> float:
        return PAGE_H - FOOT

    def new_page(self) -> None:
        if self.draw:
            self.pdf.add_page()
        else:
            self._page, self._y = self._page + 1, TOP

    def will_break(self, h: float) -> bool:
        return self.y + h > self.bottom + 1e-6

    def keep(self, h: float) -> None:
        """Start a new page unless `h` mm still fits on this one."""
        if self.will_break(h) and self.y > TOP + 0.1:
            self.new_page()

    def space(self, mm: float) -> None:
        """Vertical space, dropped at the top of a page."""
        if self.y > TOP + 0.1:
            self.set_y(min(self.y + mm, self.bottom))

    # -- text

    def height(self, text: str, size: float, w: float = WIDTH, bold: bool = False) -> float:
        """How tall `text` (markdown) is at `size` in a column `w` wide, by fpdf2's own line breaking."""
        key = (text, size, round(w, 3), bold)
        h = _HEIGHTS.get(key)
        if h is None:
            if len(_HEIGHTS) > 20_000:
                _HEIGHTS.clear()
            self.pdf.set_font(FAMILY, "B" if bold else "", size)
            h = _HEIGHTS[key] = self.pdf.multi_cell(w, line_height(size), text, markdown=True, dry_run=True,
                                                    output=MethodReturnValue.HEIGHT)
        return h

    def _lines(self, h: float, lh: float) -> None:
        """Move down `h` mm of lines `lh` tall, breaking pages as multi_cell does."""
        for _ in range(max(1, round(h / lh))):
            if self.will_break(lh):
                self.new_page()
            self._y += lh

    def text(self, text: str, size: float = BODY, bold: bool = False, color=INK, x: float = LEFT,
             w: float = WIDTH, keep: bool = False, align: str = "L") -> None:
        """A paragraph (markdown); `keep` moves it whole to the next page rather than split it."""
        h = self.height(text, size, w, bold)
        self.keep(h if keep else line_height(size))
        if not self.draw:
            self._lines(h, line_height(size))
            return
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        self.pdf.set_text_color(*color)
        self.pdf.set_x(x)
        self.pdf.multi_cell(w, line_height(size), text, markdown=True, align=align,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, items: list[str], size: float = BODY, x: float = LEFT, w: float = WIDTH, color=INK,
                gap: float = 0.8) -> None:
        indent = size * 0.3528 * 1.1
        for i, item in enumerate(items):
            if i:
                self.space(gap)
            h = self.height(item, size, w - indent)
            self.keep(min(h, 2 * line_height(size)))
            if not self.draw:
                self._lines(h, line_height(size))
                continue
            self.pdf.set_font(FAMILY, "", size)
            self.pdf.set_text_color(*color)
            self.pdf.set_xy(x, self.pdf.get_y())
            self.pdf.cell(indent, line_height(size), "•")
            self.pdf.set_x(x + indent)
            self.pdf.multi_cell(w - indent, line_height(size), item, markdown=True, align="L",
                                new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets_height(self, items: list[str], size: float, w: float, gap: float = 0.8) -> float:
        indent = size * 0.3528 * 1.1
        return sum(self.height(i, size, w - indent) for i in items) + gap * max(0, len(items) - 1)

    def heading(self, text: str, follow: float = 15.0, size: float = HEAD) -> None:
        """A heading with a rule under it, kept with `follow` mm of what comes next."""
        self.space(3.0)
        self.keep(self.height(text, size, bold=True) + 1.5 + follow)
        self.text(text, size=size, bold=True)
        if self.draw:
            self.pdf.set_draw_color(*RULE)
            self.pdf.set_line_width(0.3)
            self.pdf.line(LEFT, self.y + 0.4, LEFT + WIDTH, self.y + 0.4)
        self.set_y(self.y + 1.6)

    def frame(self, x: float, y: float, w: float, h: float, line: float = 0.25, color=RULE, fill=None) -> None:
        if not self.draw:
            return
        self.pdf.set_draw_color(*color)
        self.pdf.set_line_width(line)
        if fill:
            self.pdf.set_fill_color(*fill)
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")

    def band(self, x: float, y: float, w: float, h: float, fill=BAND) -> None:
        if self.draw:
            self.pdf.set_fill_color(*fill)
            self.pdf.rect(x, y, w, h, style="F")

    def boxed(self, text: str, size: float = BODY, bold: bool = True, line: float = 0.6, pad: float = 2.0) -> None:
        """A paragraph in a frame, kept whole on one page."""
        h = self.height(text, size, WIDTH - 2 * pad - 1, bold) + 2 * pad
        self.keep(h)
        top = self.y
        self.frame(LEFT, top, WIDTH, h, line=line, color=INK)
        self.set_y(top + pad)
        self.text(text, size=size, bold=bold, x=LEFT + pad + 0.5, w=WIDTH - 2 * pad - 1)
        self.set_y(top + h)


def footers(pdf: HandoutPDF, cat: Catalogue, evidence_date: str) -> None:
    """'Page 1 of 3 · ...' on every page, drawn once the page count is known."""
    pages = pdf.page_no()
    auto = pdf.auto_page_break
    pdf.set_auto_page_break(False)
    for n in range(1, pages + 1):
        pdf.page = n
        pdf.set_font(FAMILY, "", NOTE)
        pdf.current_font_is_set_on_page = False  # back on an earlier page: say the font again
        pdf.set_text_color(*MUTED)
        pdf.set_xy(LEFT, PAGE_H - FOOT + 4.5)
        pdf.cell(WIDTH, line_height(NOTE), cat.t("handout.footer", page=cat.number(n), pages=cat.number(pages),
                                                 date=evidence_date), align="C")
    pdf.page = pages
    pdf.set_auto_page_break(auto, margin=FOOT)
