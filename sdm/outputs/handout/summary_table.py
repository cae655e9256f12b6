"""The summary that leads the handout, as on the screen: the patient's top goals as rows,
the five options as columns in their fixed order, each figure with its dot picture and
set against the row's one blood-thinners-alone figure (sdm.summary builds the rows).

A result that the studies give in words only is printed in full under its row, at a
comfortable line length, rather than squeezed into a narrow box. Each row is kept whole on
a page; on a new page the column headings are drawn again.
"""

from __future__ import annotations

from ...present.summary import Summary, SummaryCell, SummaryRow
from . import dots
from .page import BAND, BODY, FAMILY, INK, LEFT, MUTED, NOTE, REF_FILL, TOP, WIDTH, Writer, md
from .sources import References

PAD = 1.3  # mm inside each cell
COLS = 5
GREYED_FILL = (244, 244, 244)


def shared_versus(row) -> str | None:
    """The row's one blood-thinners-alone figure, when every cell that shows one shows the same."""
    said = {c.versus for c in row.cells if c.versus}
    return said.pop() if len(said) == 1 else None


def said_in_words(c: SummaryCell) -> bool:
    """A result given in words only (a finding), as opposed to a number or no checked figure."""
    return not c.greyed and c.headline is None and c.detail is not None and bool(c.words)


def column_widths(w: Writer, summary: Summary) -> list[float]:
    """Equal columns, widened where a heading has a word that would not fit whole (bold, BODY),
    and narrowed evenly elsewhere to keep the table's width."""
    pdf = w.pdf
    pdf.set_font(FAMILY, "B", BODY)
    need = [max((pdf.get_string_width(x) for x in col.short.split()), default=0.0) + 2 * PAD + 0.4
            for col in summary.columns]
    n = len(need) or COLS
    widths = [WIDTH / n] * n
    fixed: set[int] = set()
    for _ in range(n):
        over = [i for i in range(n) if i not in fixed and need[i] > widths[i]]
        if not over:
            break
        fixed |= set(over)
        for i in over:
            widths[i] = need[i]
        rest = [i for i in range(n) if i not in fixed]
        if not rest:
            break
        share = (WIDTH - sum(widths[i] for i in fixed)) / len(rest)
        for i in rest:
            widths[i] = share
    scale = WIDTH / sum(widths)  # if the words cannot all fit, every column gives a little
    return [x * scale for x in widths]


def _cite(refs: References | None, c: SummaryCell) -> str:
    return refs.cite(source_ids(c)) if refs is not None else ""


def words_in(summary: Summary) -> list[tuple[SummaryRow, SummaryCell]]:
    """The summary's results given in words, row by row."""
    return [(row, c) for row in summary.rows for c in row.cells if said_in_words(c)]


def source_ids(c: SummaryCell) -> list[str]:
    return [p.source_id for p in c.detail.sources] if c.detail is not None else []


class SummaryTable:
    def __init__(self, w: Writer, summary: Summary, cell: float, refs: References | None = None,
                 words_here: bool = True):
        self.w, self.s, self.refs, self.words_here = w, summary, refs, words_here
        self.widths = column_widths(w, summary)
        self.lefts = [LEFT + sum(self.widths[:i]) for i in range(len(self.widths))]
        narrow = min(self.widths, default=WIDTH / COLS) - 2 * PAD
        self.dot = cell if summary.per <= 100 else min(cell, narrow / 16)  # 1,000 dots: 40 across
        self.pic_w, self.pic_h = dots.box(summary.per, self.dot)
        self.badges = {col.option_id: col.badge for col in summary.columns}

    def inner(self, i: int) -> float:
        return self.widths[i] - 2 * PAD

    # -- the words of each part

    def cell_parts(self, c: SummaryCell, shared: str | None) -> tuple[str | None, str]:
        """(the number in large type or None, the words under it in note type)."""
        if c.greyed:  # no numbers: the box says why in the column's own words (its status badge)
            return None, md(self.badges.get(c.option_id, ""))
        if said_in_words(c):
            return None, self.w.t("summary.words_below" if self.words_here else "summary.words_last_page")
        if c.headline is not None:
            lines = []
            if c.versus and c.versus != shared:
                lines.append(self.w.t("summary.against", versus=md(c.versus)))
            lines += [md(x) for x in (c.range_text, c.note) if x]
            cite = _cite(self.refs, c)
            if cite:
                lines.append(cite) if not lines else lines.__setitem__(-1, f"{lines[-1]} {cite}")
            return md(c.number or ""), "\n".join(lines)
        return None, md(c.words or "")

    def band_note(self, row) -> str:
        """The row's time frame (or each option's, when they differ: the boxes do not repeat them), and
        the one blood-thinners-alone figure every option is set against."""
        frames = [(c.short, c.detail.horizon) for c in row.cells if c.detail is not None and c.detail.horizon]
        if len({h for _, h in frames}) > 1:
            listed = "; ".join(self.w.t("summary.frame", option=md(o), frame=md(h)) for o, h in frames)
            note = self.w.t("summary.frames", frames=listed)
        else:
            note = md(row.horizon_note)
            note += "" if note.rstrip()[-1:] in ".!?:" else "."
        shared = shared_versus(row)
        return note + (" " + self.w.t("summary.against_row", versus=md(shared)) if shared else "")

    def words(self, row) -> list[str]:
        if not self.words_here:
            return []
        return [" ".join(x for x in (self.w.t("summary.in_words", option=md(c.short), words=md(c.words)),
                                     _cite(self.refs, c)) if x) for c in row.cells if said_in_words(c)]

    # -- measuring

    def head_h(self) -> float:
        return max((self.w.height(md(col.short), BODY, self.inner(i), bold=True)
                    for i, col in enumerate(self.s.columns)), default=0.0) + 2 * PAD

    def label_h(self, row) -> float:
        return (self.w.height(f"**{md(row.label)}**", BODY, WIDTH - 2 * PAD)
                + self.w.height(self.band_note(row), NOTE, WIDTH - 2 * PAD) + 2 * PAD - 0.6)

    def cell_h(self, i: int, c: SummaryCell, shared: str | None) -> float:
        big, small = self.cell_parts(c, shared)
        h = (self.pic_h + 1.0) if c.headline is not None else 0.0
        if big:
            h += self.w.height(big, BODY, self.inner(i), bold=True)
        if small:
            h += self.w.height(small, NOTE, self.inner(i))
        return h + 2 * PAD

    def cells_h(self, row) -> float:
        shared = shared_versus(row)
        return max((self.cell_h(i, c, shared) for i, c in enumerate(row.cells)), default=0.0)

    def words_h(self, row) -> float:
        items = self.words(row)
        return sum(self.w.height(x, BODY, WIDTH - 2 * PAD) for x in items) + (1.6 if items else 0.0)

    def row_h(self, row) -> float:
        return self.label_h(row) + self.cells_h(row) + self.words_h(row)

    # -- drawing (or, with the writer's drawing off, only moving down)

    def start_h(self, row) -> float:
        """The least of a row that must stay together: its heading and its boxes."""
        return self.label_h(row) + self.cells_h(row)

    def draw(self) -> None:
        """A row is kept whole on a page where it fits; if not, its heading and boxes stay together and its
        words-only results run on, under the row's name (so nothing is left apart from its row). On a new
        page the option names come again. The options' statuses follow the table."""
        w = self.w
        first = min(self.start_h(self.s.rows[0]), w.bottom - TOP - self.head_h()) if self.s.rows else 0.0
        w.keep(self.head_h() + first)
        self.header()
        for row in self.s.rows:
            if w.will_break(self.row_h(row)) and w.will_break(self.start_h(row)) and w.y > TOP + 0.1:
                w.new_page()
                self.header()
            self.row(row)
        if self.s.folded:
            w.space(1.0)
            w.text(w.t("summary.folded", names=", ".join(md(label) for label, _ in self.s.folded)),
                   size=NOTE, color=MUTED)

    def header(self) -> None:
        w, top, h = self.w, self.w.y, self.head_h()
        for i, col in enumerate(self.s.columns):
            x = self.lefts[i]
            w.frame(x, top, self.widths[i], h, fill=REF_FILL if col.option_id == "anticoagulation" else (255, 255, 255))
            w.set_y(top + PAD)
            w.text(md(col.short), size=BODY, bold=True, x=x + PAD, w=self.inner(i))
        w.set_y(top + h)

    def row(self, row) -> None:
        w = self.w
        top, lh = w.y, self.label_h(row)
        w.band(LEFT, top, WIDTH, lh, BAND)
        w.set_y(top + PAD - 0.3)
        w.text(f"**{md(row.label)}**", size=BODY, x=LEFT + PAD, w=WIDTH - 2 * PAD)
        w.text(self.band_note(row), size=NOTE, x=LEFT + PAD, w=WIDTH - 2 * PAD)
        ctop, ch, shared = top + lh, self.cells_h(row), shared_versus(row)
        for i, c in enumerate(row.cells):
            x = self.lefts[i]
            fill = REF_FILL if c.option_id == "anticoagulation" else (GREYED_FILL if c.greyed else None)
            w.frame(x, ctop, self.widths[i], ch, fill=fill)
            y = ctop + PAD
            if c.headline is not None and c.detail is not None and c.detail.pictures:
                if w.draw:
                    dots.picture(w.pdf, c.detail.pictures[0].counts, x + PAD, y, self.dot)
                y += self.pic_h + 1.0
            big, small = self.cell_parts(c, shared)
            w.set_y(y)
            if big:
                w.text(big, size=BODY, bold=True, x=x + PAD, w=self.inner(i), color=MUTED if c.greyed else INK)
            if small:
                w.text(small, size=NOTE, x=x + PAD, w=self.inner(i), color=INK if c.headline else MUTED)
        w.set_y(ctop + ch)
        items = self.words(row)
        if items:
            w.set_y(w.y + 0.8)
            for item in items:  # a result, so body text, though only in words
                h = w.height(item, BODY, WIDTH - 2 * PAD)
                if w.will_break(h) and w.y > TOP + 0.1:
                    w.new_page()
                    w.text(w.t("summary.continued", label=md(row.label)), size=BODY, x=LEFT + PAD,
                           w=WIDTH - 2 * PAD)
                w.text(item, size=BODY, x=LEFT + PAD, w=WIDTH - 2 * PAD)
            w.set_y(w.y + 0.8)


def draw(w: Writer, summary: Summary, cell: float, refs: References | None = None, words_here: bool = True) -> None:
    SummaryTable(w, summary, cell, refs, words_here).draw()


def intro_and_legend(w: Writer, per: int) -> None:
    w.text(w.t("summary.intro", per=w.cat.number(per)), size=NOTE, color=MUTED)
    w.space(0.6)
    dots.legend(w, LEFT, WIDTH)
    w.space(1.2)
