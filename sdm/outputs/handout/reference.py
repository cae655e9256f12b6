"""The reference page: every result for each option, what guidelines say, and the sources,
in two columns (fpdf2's text_columns) at REFERENCE sizes (never below 9 pt).

The results are those beyond the summary on the first page. When they do not all fit, the page
takes them in turn from each option (each option's first, in its goal order and one per goal
before a second for any goal, then each option's second...), says how many it shows of how many,
and that the screen shows all of them.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ...engine.result import OptionResult, OutcomeResult, Result
from ...evidence.models import EvidenceBase
from ...present.summary import Summary
from ...words import i18n, wording
from .page import BODY, FAMILY, INK, MUTED, REFERENCE_MIN, WIDTH, Writer, line_height, md
from .sources import References, plan_in_turn
from .summary_table import source_ids, words_in

GUTTER = 5.0
BULLET = 3.2


@dataclass(frozen=True)
class Para:
    runs: list[tuple[str, bool]]  # (text, bold); plain text, never markdown
    size: float
    color: tuple = INK
    top: float = 0.0
    bottom: float = 0.9
    bullet: bool = False


def line_height_for(size: float) -> float:
    return size * 0.3528 * LEADING_REF


@dataclass(frozen=True)
class ReferenceStyle:
    results: int | None = None  # most results beyond the summary, in turn from each option; None: all of them
    size: float = REFERENCE_MIN  # pt
    summary_words: bool = False  # the summary's results in words are printed here (first), not on page 1


LEADING_REF = 1.12  # the reference page sets its lines a little closer than the patient's pages


def _cat(fn, cat) -> dict:
    """`cat=` for an sdm.wording function that takes the language's catalogue (the wording helper's
    change); nothing for one that does not yet."""
    return {"cat": cat} if "cat" in inspect.signature(fn).parameters else {}


class ReferencePage:
    def __init__(self, w: Writer, result: Result, base: EvidenceBase, per: int, style: ReferenceStyle,
                 summary: Summary | None = None):
        self.w, self.r, self.b, self.per, self.s = w, result, base, per, style
        in_summary = {row.outcome_id for row in summary.rows} if summary else set()
        self.plans = plan_in_turn(result, style.results, {o.id: o.goals for o in base.vocabulary.outcomes}, in_summary)
        self.refs = References(w.cat, result, base, self.plans, summary)
        self.summary = summary
        self.outcomes = {o.id: o for o in base.vocabulary.outcomes}

    def result_runs(self, o: OutcomeResult, opt: OptionResult) -> list[tuple[str, bool]]:
        """'Serious bleeding, first 3 months: 5 of 100 people had serious bleeding; 95 did not. Could be
        3 to 8. Blood thinners alone: 2 of 100. Fairly sure. [2, 1]' -- the engine's numbers, short words."""
        w, per = self.w, self.per
        if o.risk is not None:
            info = self.outcomes[o.id]
            said = [wording.both_frames(o.risk, per, info.event_words or "", info.no_event_words or "",
                                        **_cat(wording.both_frames, w.cat))]
            if o.risk_low is not None and o.risk_high is not None:
                lo, hi = wording.count(o.risk_low, per), wording.count(o.risk_high, per)
                said.append(w.t("reference.range", low=w.cat.number(lo), high=w.cat.number(hi)) if lo != hi
                            else w.t("reference.range_same", low=w.cat.number(lo)))
            if o.comparator_risk is not None and opt.id != "anticoagulation":
                said.append(w.t("reference.against", count=self.of_n(o.comparator_risk)))
            elif o.comparison == "one_group":
                said.append(w.t("reference.one_group"))
            if o.certainty:
                said.append(w.t(f"reference.certainty.{o.certainty.replace(' ', '_')}"))
        else:
            said = [o.finding or ""]
        if o.applicability == "indirect":
            said.append(w.t("reference.indirect"))
        if o.secondary_source:
            said.append(w.t("reference.secondary"))
        said.append(self.refs.cite(o.source_ids))
        head = w.t("reference.result_head", label=o.label, horizon=o.horizon)
        return [(head + " ", True), (" ".join(x for x in said if x), False)]

    def of_n(self, p: float) -> str:
        k = wording.count(p, self.per)
        key = "reference.fewer_than_one" if k == 0 and p > 0 else "reference.of_n"
        return self.w.t(key, count=self.w.cat.number(k), per=self.w.cat.number(self.per))

    def paragraphs(self) -> list[Para]:
        w, size = self.w, self.s.size
        hidden = sum(p.hidden for p in self.plans)
        shown = sum(len(p.shown) for p in self.plans)
        if not shown and hidden:
            intro = w.t("reference.intro_none")
        elif hidden:
            intro = w.t("reference.intro") + " " + w.t("reference.for_space", n=w.cat.number(shown),
                                                       all=w.cat.number(shown + hidden))
        else:
            intro = w.t("reference.intro")
        labels = {g.id: g.label for g in self.b.vocabulary.goals}
        goals = "; ".join(f"{w.cat.number(i)}. {labels[g.value]}" for i, g in enumerate(self.r.scenario.goals, 1))
        out = [Para([(w.t("reference.goals", goals=goals), False)], size, bottom=1.0)]
        if self.s.summary_words and self.summary is not None:
            said = words_in(self.summary)
            if said:
                out.append(Para([(w.t("reference.summary_words"), True)], size + 1, top=1.0, bottom=0.8))
                out += [Para([(w.t("reference.summary_word_head", label=row.label, option=c.short) + " ", True),
                              (" ".join(x for x in (c.words or "", self.refs.cite(source_ids(c))) if x), False)], size)
                        for row, c in said]
        out.append(Para([(intro, False)], size, color=MUTED, top=1.0, bottom=1.5))
        for p in self.plans if shown else []:
            if not p.shown and p.hidden:
                continue  # its results did not fit: the count above says so, and the screen has them
            name = p.option.label if p.option.short in p.option.label else f"{p.option.label} ({p.option.short})"
            out.append(Para([(name, True)], size + 1, top=1.6, bottom=0.8))
            out += [Para(self.result_runs(o, p.option), size) for o in p.shown]
            if not p.shown:
                out.append(Para([(w.t("reference.no_results"), False)], size, color=MUTED))
        if self.r.guidelines:
            out.append(Para([(w.t("reference.guidelines"), True)], size + 1, top=2.4, bottom=0.8))
            for g, n in zip(self.r.guidelines, self.refs.guideline_numbers, strict=True):
                text = w.t("reference.guideline", statement=g.statement, strength=g.strength,
                           certainty=g.certainty, number=w.cat.number(n))
                if g.secondary_source:
                    text += " " + w.t("reference.guideline_secondary")
                out.append(Para([(text, False)], size, bullet=True))
        out.append(Para([(w.t("reference.sources_heading"), True)], size + 1, top=2.4, bottom=0.8))
        out += [Para([(f"[{w.cat.number(i)}] {item}", False)], size, bottom=0.6) for i, item in enumerate(self.refs.items, 1)]
        out.append(Para([(w.t("reference.end", date=self.r.evidence_date), False)], size, color=MUTED, top=1.5))
        if w.cat.lang != i18n.DEFAULT:  # a translation says who wrote it and what checks it has not had yet
            out.append(Para([(self.b.content.about.translation_note, False)], size, color=MUTED, top=0.6))
        return out

    def draw(self) -> None:
        w = self.w
        w.text(w.t("reference.heading"), size=BODY, bold=True)
        w.set_y(w.y + 0.8)
        paras = self.paragraphs()
        if w.draw:
            self._columns(paras)
        else:
            self._measure(paras)

    def _columns(self, paras: list[Para]) -> None:
        """fpdf2's text_columns: two columns, the left filled first (as measured), flowing on to another page
        if they must."""
        pdf = self.w.pdf
        with pdf.text_columns(ncols=2, gutter=GUTTER, balance=False, text_align="LEFT",
                               line_height=LEADING_REF) as cols:
            for para in paras:
                pdf.set_text_color(*para.color)
                pdf.set_font(FAMILY, "", para.size)
                with cols.paragraph(top_margin=para.top, bottom_margin=para.bottom, indent=BULLET if para.bullet else 0,
                                    bullet_string="•" if para.bullet else "", bullet_r_margin=1.2) as p:
                    for text, bold in para.runs:
                        pdf.set_font(FAMILY, "B" if bold else "", para.size)
                        p.write(text)

    def _measure(self, paras: list[Para]) -> None:
        """Fill the left column, then the right, line by line as text_columns does (with one spare line a
        column); each page the columns fill is a page more."""
        w = self.w
        col_w = (WIDTH - GUTTER) / 2
        col, top = 0, w.y
        y = top
        for para in paras:
            text = "".join(f"**{md(t)}**" if bold else md(t) for t, bold in para.runs)
            lines = round(w.height(text, para.size, col_w - (BULLET if para.bullet else 0)) / line_height(para.size))
            lh = line_height_for(para.size)
            y += para.top
            for _ in range(max(1, lines)):
                if y + lh > w.bottom - lh:  # the spare line
                    col, y = col + 1, top
                    if col == 2:
                        w.new_page()
                        col, top = 0, w.y
                        y = top
                y += lh
            y += para.bottom
        w.set_y(y)
