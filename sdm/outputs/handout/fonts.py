"""Text widths for fpdf2's line breaking, without the quadratic sum.

fpdf2 breaks lines character by character and, after each one, asks the width of the line so far:
the sum of every glyph width on it, again (most of a handout's drawing time). The widths of a TrueType
font are whole font units, so the sum for a text one character longer than one already measured is that
sum plus one glyph: the same integer, hence the same float fpdf2 works out. MeasuredTTFFont keeps the
recent sums per font file, a few thousand at most (threads may share them: an entry lost to another
thread's clearing only costs one full sum).
"""

from __future__ import annotations

from fpdf.fonts import TTFFont

_KEEP = 4096  # sums kept per font file: only the line being broken needs its last prefix
_UNITS: dict[int, tuple[object, dict[str, int]]] = {}  # id(glyph widths) -> (the widths, text -> width in units)


class MeasuredTTFFont(TTFFont):
    """fpdf2's TTFFont, measuring a text from the one a character shorter (same answer, see the module)."""

    __slots__ = ()

    def get_text_width(self, text, font_size_pt, text_shaping_params):
        if text_shaping_params or self.is_symbol or not text:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:  # as fpdf2 does
            self.biggest_size_pt = font_size_pt
        cw = self.cw  # shared by every copy of the template (page.new_pdf)
        entry = _UNITS.get(id(cw))
        if entry is None or entry[0] is not cw:
            entry = _UNITS[id(cw)] = (cw, {})
        sums = entry[1]
        units = sums.get(text)
        if units is None:
            head = sums.get(text[:-1])
            units = head + cw[ord(text[-1])] if head is not None else sum(cw[ord(c)] for c in text)
            if len(sums) >= _KEEP:
                sums.clear()
            sums[text] = units
        return len(text), units * font_size_pt * 0.001


def measured(font) -> None:
    """Give a TTF font of a handout PDF the quicker measure (fpdf2's deep copy makes a plain TTFFont again)."""
    if type(font) is TTFFont:
        font.__class__ = MeasuredTTFFont
