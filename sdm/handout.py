"""The take-home handout: a one- or two-page A4 PDF made with fpdf2 (a third page only for long evidence text).

It says what the evidence shows for each option for one patient: the inputs in
plain words, the patient's goals in their order, and for each option (always in
the same fixed order, never sorted by a number) its status and the first
results in goal order, as natural frequencies in both frames with the range and
certainty in words and a small dot picture. It never recommends, ranks or
scores an option. Every figure comes from the engine's Result, which takes it
from data/.

The optional name is printed on the page only: it is never stored, logged or
put in the PDF's metadata.

Layout is done by this module (its own line wrapping and page flow), so the
page count is known before anything is drawn: the handout is measured at the
roomiest style first and, if that would run past two pages, at tighter styles
(fewer results per option, then smaller type) until it fits. Only the chosen
style is drawn. When even the tightest style is too long (long evidence text),
it is drawn anyway and runs on past two pages, so a download never fails.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

from . import evidence as evidence_mod
from . import icon_array
from .models import EvidenceBase
from .result import OptionResult, OutcomeResult, Result
from .wording import APPLICABILITY_WORDS, CERTAINTY_WORDS, both_frames, of_n, range_words

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_DIRS = (evidence_mod.DEFAULT_DATA_DIR / "fonts", Path("/usr/share/fonts/truetype/dejavu"))
FAMILY = "DejaVu"
MAX_PAGES = 2

PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
LEFT = RIGHT = 11.0
TOP = 10.0
BOTTOM = 286.0  # lowest text line; the footer sits below
WIDTH = PAGE_W - LEFT - RIGHT

STATUS_WORDS = {
    "studied": "Studied in people like this patient.",
    "one_group": "Studied only in one group of treated people, with no comparison group.",
    "indirect": "Studied only in people who differ from this patient in some way.",
    "no_evidence": "Not studied in people like this patient, so there are no numbers to show.",
    "contraindicated": "Not safe for this patient, because of a health problem listed below.",
}

CONTRAINDICATION_KIND = {
    "absolute": "a reason some options are not safe",
    "relative": "a reason to take extra care",
}

LEGEND_WORDS = {
    "had": "solid: had it",
    "maybe_had": "half-filled: had it in the best estimate; the true number could be lower",
    "maybe_not": "ring: did not in the best estimate; the true number could be higher",
    "did_not": "grey: did not have it",
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


INK = (0, 0, 0)
MUTED = (60, 60, 60)
RULE = (140, 140, 140)
BAND = (234, 234, 234)
VERMILLION = _rgb(icon_array.VERMILLION)
GREY = _rgb(icon_array.GREY)


@dataclass(frozen=True)
class Style:
    """One density of layout; earlier styles are roomier."""

    body: float  # pt
    small: float  # pt
    results: int  # most results (numbers or words) per option, first in goal order
    cell: float  # mm per dot in a 100-person picture
    gap: float  # mm between options
    list_reasons: bool = True  # an option's reasons as bullets, else one paragraph
    max_reasons: int | None = None  # show at most this many reasons per option


STYLES = (
    Style(body=9.5, small=8.5, results=3, cell=1.5, gap=2.4),
    Style(body=9.0, small=8.0, results=3, cell=1.4, gap=2.0),
    Style(body=9.0, small=8.0, results=2, cell=1.4, gap=2.0),
    Style(body=9.0, small=8.0, results=2, cell=1.3, gap=1.6, list_reasons=False),
    Style(body=9.0, small=8.0, results=1, cell=1.3, gap=1.6, list_reasons=False),
    Style(body=8.5, small=7.5, results=1, cell=1.2, gap=1.2, list_reasons=False),
    Style(body=8.0, small=7.0, results=1, cell=1.2, gap=1.0, list_reasons=False, max_reasons=4),
    Style(body=7.5, small=6.5, results=1, cell=1.1, gap=0.8, list_reasons=False, max_reasons=2),
)


def font_dir() -> Path:
    for folder in FONT_DIRS:
        if all((folder / f).is_file() for f in FONT_FILES.values()):
            return folder
    raise FileNotFoundError(f"DejaVu Sans fonts not found; expected {', '.join(FONT_FILES.values())} in {FONT_DIRS[0]}")


def _long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    text = " ".join(_CONTROL.sub(" ", str(name)).split())[:80]
    text = text.replace("{", "(").replace("}", ")")  # "{nb}" is fpdf2's page-count alias
    return text or None


def _short_name(src) -> str:
    """'Comerota 2019'; the journal when the first author is not recorded."""
    who = src.journal if src.first_author.startswith("(") else src.first_author.split()[0]
    return f"{who} {src.year}"


# ----------------------------------------------------------------- what goes on the page


@dataclass(frozen=True)
class OptionPlan:
    option: OptionResult
    shown: list[OutcomeResult]  # in goal order; risk set (picture) or finding set (words)
    hidden: int  # results left for the dashboard


def _spread_over_goals(outcomes: list[OutcomeResult], result: Result,
                       outcome_goals: dict[str, list[str]] | None) -> list[OutcomeResult]:
    """Goal order, but one result per goal before a second for any goal, so a short
    handout does not show only harms (or only benefits) for an option."""
    if not outcome_goals:
        return outcomes
    rank = {g.value: i for i, g in enumerate(result.scenario.goals)}
    last = len(rank)

    def goal(o: OutcomeResult) -> int:
        return min((rank.get(g, last) for g in outcome_goals.get(o.id, [])), default=last + 1)

    seen: dict[int, int] = {}
    keyed = []
    for pos, o in enumerate(outcomes):
        g = goal(o)
        keyed.append((seen.get(g, 0), g, pos, o))
        seen[g] = seen.get(g, 0) + 1
    return [o for *_, o in sorted(keyed, key=lambda t: t[:3])]


def plan(result: Result, results_per_option: int,
         outcome_goals: dict[str, list[str]] | None = None) -> list[OptionPlan]:
    """Each option in its fixed order, with its first results in the patient's goal order."""
    out = []
    for opt in result.options:
        by_id = {o.id: o for o in opt.outcomes}
        ordered = [by_id[i] for i in result.outcome_order if i in by_id]
        available = [o for o in ordered if o.risk is not None or o.finding]
        shown = _spread_over_goals(available, result, outcome_goals)[:results_per_option]
        out.append(OptionPlan(opt, shown, len(available) - len(shown)))
    return out


def used_source_ids(result: Result, plans: list[OptionPlan]) -> list[str]:
    """Every source behind something printed, in order of first use."""
    ids: list[str] = list(result.bleeding.source_ids)
    for p in plans:
        for o in p.shown:
            ids.extend(o.source_ids)
    return list(dict.fromkeys(ids))


_STATEMENT_SUFFIX = re.compile(r",\s*(comment on )?statements?\b.*$")


def guideline_document(reference: str) -> str:
    """'Stevens SM, et al. Chest 2021;...-2259, statement 6' -> the document, without the statement number."""
    return _STATEMENT_SUFFIX.sub("", reference)


def comparator_words(o: OutcomeResult, per: int) -> str:
    if o.comparator_risk is not None and o.comparison != "reference":
        return f"Against {of_n(o.comparator_risk, per)} with blood thinners alone (the same figure for every option)."
    if o.comparison == "one_group":
        return "One group, no comparison."
    return ""


# ----------------------------------------------------------------- the PDF

Run = tuple[str, bool]  # text, bold

_WIDTHS: dict[tuple[bool, str], float] = {}  # DejaVu Sans widths at 10 pt, in mm


class _Page(FPDF):
    evidence_date = ""
    footer_size = 7.0

    def footer(self) -> None:
        self.set_xy(LEFT, PAGE_H - 8.5)
        self.set_font(FAMILY, "", self.footer_size)
        self.set_text_color(*MUTED)
        self.cell(
            WIDTH, 4,
            f"Page {self.page_no()} of {{nb}}   ·   This handout does not recommend a treatment   ·   "
            f"Evidence date {self.evidence_date}",
            align="C",
        )


class _Writer:
    """Lays the handout out with its own cursor; draws only when `draw` is set."""

    def __init__(self, pdf: _Page, result: Result, base: EvidenceBase, per: int, name: str | None, style: Style,
                 today: date, draw: bool):
        self.pdf, self.result, self.base, self.per, self.name = pdf, result, base, per, name
        self.s, self.today, self.draw = style, today, draw
        self.page, self.y = 1, TOP
        if draw:
            pdf.add_page()
        self.sources = {s.id: s for s in base.sources}
        self.outcome_info = {o.id: o for o in base.vocabulary.outcomes}
        self.plans = plan(result, style.results, {o.id: o.goals for o in base.vocabulary.outcomes})
        used = used_source_ids(result, self.plans)
        self.refs: list[str] = []  # numbered reference list
        self.number: dict[str, int] = {}
        for sid in used:
            s = self.sources[sid]
            ids = " ".join(x for x in (f"DOI {s.doi}." if s.doi else "", f"PMID {s.pmid}." if s.pmid else "") if x)
            self._ref(sid, f"{s.citation} {ids}".strip())
        doi_number = {self.sources[sid].doi: self.number[sid] for sid in used if self.sources[sid].doi}
        self.guideline_refs: list[int] = []
        for g in result.guidelines:
            if g.doi and g.doi in doi_number:
                self.guideline_refs.append(doi_number[g.doi])
                continue
            doc = guideline_document(g.reference)
            key = f"guideline:{g.doi or doc}"
            if key not in self.number:
                self._ref(key, f"{g.body}. {doc}." + (f" DOI {g.doi}." if g.doi else ""))
                if g.doi:
                    doi_number[g.doi] = self.number[key]
            self.guideline_refs.append(self.number[key])

    def _ref(self, key: str, text: str) -> None:
        self.refs.append(text)
        self.number[key] = len(self.refs)

    # -- measuring and wrapping

    def lh(self, size: float) -> float:
        return size * 0.3528 * 1.27

    def width(self, text: str, size: float, bold: bool) -> float:
        """Text width in mm; widths scale with size, so they are cached once at 10 pt."""
        key = (bold, text)
        w10 = _WIDTHS.get(key)
        if w10 is None:
            if len(_WIDTHS) > 50_000:
                _WIDTHS.clear()
            self.pdf.set_font(FAMILY, "B" if bold else "", 10)
            w10 = _WIDTHS[key] = self.pdf.get_string_width(text)
        return w10 * size / 10

    def wrap(self, runs: list[Run], w: float, size: float) -> list[list[Run]]:
        """Runs of text broken into lines no wider than w, words kept whole where they fit."""
        words: list[Run] = [(word, bold) for text, bold in runs for word in text.split()]
        lines: list[list[Run]] = []
        line: list[Run] = []
        used = 0.0
        for word, bold in words:
            ww = self.width(word, size, bold)
            space = self.width(" ", size, bold) if line else 0.0
            if line and used + space + ww > w:
                lines.append(line)
                line, used, space = [], 0.0, 0.0
            while ww > w and len(word) > 1:  # a word longer than the line (a long DOI): split it
                cut = len(word)
                while cut > 1 and self.width(word[:cut], size, bold) > w:
                    cut -= 1
                lines.append([(word[:cut], bold)])
                word = word[cut:]
                ww = self.width(word, size, bold)
            line.append((word, bold))
            used += space + ww
        if line:
            lines.append(line)
        return lines

    def para_height(self, runs: list[Run] | str, w: float = WIDTH, size: float | None = None) -> float:
        size = size or self.s.body
        runs = [(runs, False)] if isinstance(runs, str) else runs
        return len(self.wrap(runs, w, size)) * self.lh(size)

    # -- flow

    def new_page(self) -> None:
        self.page += 1
        self.y = TOP
        if self.draw:
            self.pdf.add_page()

    def ensure(self, h: float) -> None:
        if self.y + h > BOTTOM and self.y > TOP:
            self.new_page()

    def para(self, runs: list[Run] | str, x: float = LEFT, w: float = WIDTH, size: float | None = None,
             color=INK, keep: bool = False) -> None:
        """A left-aligned paragraph; `keep` moves it whole to the next page rather than split it."""
        size = size or self.s.body
        runs = [(runs, False)] if isinstance(runs, str) else runs
        lines = self.wrap(runs, w, size)
        lh = self.lh(size)
        if keep:
            self.ensure(len(lines) * lh)
        for line in lines:
            self.ensure(lh)
            if self.draw:
                self._draw_line(line, x, size, color, lh)
            self.y += lh

    def _draw_line(self, line: list[Run], x: float, size: float, color, lh: float) -> None:
        pdf = self.pdf
        pdf.set_text_color(*color)
        groups: list[Run] = []
        for word, bold in line:
            if groups and groups[-1][1] == bold:
                groups[-1] = (groups[-1][0] + " " + word, bold)
            else:
                groups.append(((" " if groups else "") + word, bold))
        for text, bold in groups:
            w = self.width(text, size, bold)
            pdf.set_font(FAMILY, "B" if bold else "", size)
            pdf.set_xy(x, self.y)
            pdf.cell(w, lh, text)
            x += w

    def bullets(self, items: list[str], x: float = LEFT, w: float = WIDTH, size: float | None = None,
                color=INK) -> None:
        size = size or self.s.body
        for item in items:
            lines = self.wrap([(item, False)], w - 3.2, size)
            self.ensure(min(len(lines), 2) * self.lh(size))
            if self.draw:
                self.pdf.set_font(FAMILY, "", size)
                self.pdf.set_text_color(*color)
                self.pdf.set_xy(x, self.y)
                self.pdf.cell(3.2, self.lh(size), "•")
            self.para(item, x=x + 3.2, w=w - 3.2, size=size, color=color)

    def bullets_height(self, items: list[str], w: float, size: float) -> float:
        return sum(self.para_height(i, w - 3.2, size) for i in items)

    def heading(self, text: str, follow: float = 12.0) -> None:
        size = self.s.body + 2
        lh = self.lh(size)
        self.ensure(1.5 + lh + 1.3 + follow)
        if self.y > TOP:
            self.y += 1.5
        self.para([(text, True)], size=size)
        if self.draw:
            self.pdf.set_draw_color(*RULE)
            self.pdf.set_line_width(0.3)
            self.pdf.line(LEFT, self.y + 0.2, LEFT + WIDTH, self.y + 0.2)
        self.y += 1.3

    # -- dots

    def dot(self, cat: str, cx: float, cy: float, r: float) -> None:
        if not self.draw:
            return
        pdf = self.pdf
        if cat == "had":
            pdf.set_fill_color(*VERMILLION)
            pdf.circle(cx, cy, r, style="F")
        elif cat == "maybe_had":  # a ring with its left half filled, as on the screen
            pdf.set_fill_color(255, 255, 255)
            pdf.set_draw_color(*VERMILLION)
            pdf.set_line_width(max(0.1, r * 0.2))
            pdf.circle(cx, cy, r * 0.9, style="DF")
            pdf.set_fill_color(*VERMILLION)
            self._circles([(cx, cy)], r * 0.9, "f", half=True)
        elif cat == "maybe_not":  # a ring
            pdf.set_draw_color(*VERMILLION)
            pdf.set_line_width(max(0.1, r * 0.25))
            pdf.circle(cx, cy, r * 0.85, style="D")
        else:
            pdf.set_fill_color(*GREY)
            pdf.circle(cx, cy, r, style="F")

    def icon_box(self) -> tuple[float, float, float]:
        """Width, height and cell size of one picture."""
        cols = icon_array.columns(self.per)
        rows = -(-self.per // cols)
        cell = self.s.cell if self.per <= 100 else self.s.cell * 16 / cols
        return cols * cell, rows * cell, cell

    def icons(self, o: OutcomeResult, x: float, y: float) -> None:
        """The dot picture, one filled or stroked path per kind of dot (fast even for 1,000 dots)."""
        if not self.draw:
            return
        c = icon_array.counts(o.risk, o.risk_low, o.risk_high, self.per)
        _, _, cell = self.icon_box()
        r = cell * 0.4
        centres: dict[str, list[tuple[float, float]]] = {cat: [] for cat in icon_array.CATEGORIES}
        for row, col, cat in icon_array.layout(c):
            centres[cat].append((x + col * cell + cell / 2, y + row * cell + cell / 2))
        pdf = self.pdf
        if centres["had"]:
            pdf.set_fill_color(*VERMILLION)
            self._circles(centres["had"], r, "f")
        if centres["maybe_had"]:
            pdf.set_fill_color(255, 255, 255)
            pdf.set_draw_color(*VERMILLION)
            pdf.set_line_width(max(0.1, r * 0.2))
            self._circles(centres["maybe_had"], r * 0.9, "B")
            pdf.set_fill_color(*VERMILLION)
            self._circles(centres["maybe_had"], r * 0.9, "f", half=True)
        if centres["maybe_not"]:
            pdf.set_draw_color(*VERMILLION)
            pdf.set_line_width(max(0.1, r * 0.25))
            self._circles(centres["maybe_not"], r * 0.85, "S")
        if centres["did_not"]:
            pdf.set_fill_color(*GREY)
            self._circles(centres["did_not"], r, "f")

    def _circles(self, centres: list[tuple[float, float]], r: float, op: str, half: bool = False) -> None:
        """Circles (or their left halves) as Bezier paths, painted once with the PDF operator op
        (f fill, S stroke, B both): one path for a whole kind of dot, fast even for 1,000 dots."""
        k, h = self.pdf.k, self.pdf.h
        rr = r * k
        q = rr * 0.5523
        parts = []
        for cx, cy in centres:
            X, Y = cx * k, (h - cy) * k
            left = (f"{X - q:.2f} {Y + rr:.2f} {X - rr:.2f} {Y + q:.2f} {X - rr:.2f} {Y:.2f} c "
                    f"{X - rr:.2f} {Y - q:.2f} {X - q:.2f} {Y - rr:.2f} {X:.2f} {Y - rr:.2f} c")
            if half:
                parts.append(f"{X:.2f} {Y + rr:.2f} m {left} h")
            else:
                parts.append(
                    f"{X + rr:.2f} {Y:.2f} m {X + rr:.2f} {Y + q:.2f} {X + q:.2f} {Y + rr:.2f} {X:.2f} {Y + rr:.2f} c "
                    f"{left} {X + q:.2f} {Y - rr:.2f} {X + rr:.2f} {Y - q:.2f} {X + rr:.2f} {Y:.2f} c h"
                )
        self.pdf._out(" ".join(parts) + f" {op}")

    # -- sections

    def header(self) -> None:
        r, c = self.result, self.base.content
        self.para([("Treatment choices for a blood clot in the leg (DVT)", True)], size=self.s.body + 6)
        self.y += 0.4
        ev = date.fromisoformat(r.evidence_date)
        runs: list[Run] = []
        if self.name:
            runs += [("Prepared for:", True), (f"{self.name}.", False)]
        runs += [("Made on", False), (f"{_long_date(self.today)}.", False),
                 ("Evidence last checked on", False), (f"{_long_date(ev)} ({r.evidence_date}).", False)]
        self.para(runs, size=self.s.small, color=MUTED)
        self.y += 1.2
        size = self.s.body + 0.5
        h = self.para_height([(c.not_advice, True)], WIDTH - 6, size) + 3.4
        if self.draw:
            self.pdf.set_draw_color(*INK)
            self.pdf.set_line_width(0.6)
            self.pdf.rect(LEFT, self.y, WIDTH, h)
        self.y += 1.7
        self.para([(c.not_advice, True)], x=LEFT + 3, w=WIDTH - 6, size=size)
        self.y += 1.7 + 1.4
        self.para(f"{c.decision} {c.foundation}")

    def inputs(self) -> None:
        r, b, sc = self.result, self.base, self.result.scenario
        self.heading("About the clot and you (what was entered)")
        band = next(a for a in b.rules.age_bands if a.id == r.clot_age)
        cis = {c.id: c for c in b.rules.contraindications}
        ci_text = "; ".join(f"{cis[c].label} ({CONTRAINDICATION_KIND[cis[c].kind]})" for c in sc.contraindications)
        rows: list[list[Run]] = [
            [("Where the clot is:", True), (b.vocabulary.locations[sc.location] + ".", False)],
            [("How old the clot is:", True), (f"{sc.symptom_days} days since symptoms began, {band.label}.", False)],
            [("Bleeding risk:", True), (f"{r.bleeding.tier}.", False), (" ".join(r.bleeding.explanation), False)],
            [("Health problems that matter here:", True), (ci_text + "." if ci_text else "None entered.", False)],
            [("Clot threatens the leg (phlegmasia):", True), ("Yes." if sc.limb_threatening else "No.", False),
             ("  Narrowed vein in the pelvis (iliac vein compression):", True),
             ("Suspected." if sc.iliac_compression else "Not suspected.", False),
             ("  Age:", True), (f"{sc.age} years." if sc.age is not None else "Not entered.", False)],
        ]
        for row in rows:
            self.para(row)
        labels = {g.id: g.label for g in b.vocabulary.goals}
        self.y += 1.0
        self.para([("What matters most to you, in your order:", True)], keep=True)
        goals = [(f"{i}. {labels[g.value]}" + ("." if i == len(sc.goals) else ";"), False)
                 for i, g in enumerate(sc.goals, 1)]
        self.para(goals)
        self.para("Your order only changes the order in which results are listed below. It does not change any "
                  "number, and it does not pick an option.", size=self.s.small, color=MUTED)
        if self.readiness:
            self.y += 1.0
            self.para([("Ready to choose?", True)], keep=True)
            self.bullets(self.readiness)
        if r.warnings:
            self.y += 1.0
            self.para([("Please note:", True)], keep=True)
            self.bullets(r.warnings)

    def legend(self) -> None:
        size = self.s.small
        lh = self.lh(size)
        self.ensure(lh * 3)
        self.para(f"Each dot picture shows {self.per:,} people like those in the study.", size=size, color=MUTED)
        r = 1.1
        x = LEFT
        for cat in icon_array.CATEGORIES:
            words = LEGEND_WORDS[cat]
            tw = self.width(words, size, False)
            if x > LEFT and x + 2 * r + 1.2 + tw > LEFT + WIDTH:
                x, self.y = LEFT, self.y + lh
            self.dot(cat, x + r, self.y + lh / 2, r)
            if self.draw:
                self.pdf.set_font(FAMILY, "", size)
                self.pdf.set_text_color(*MUTED)
                self.pdf.set_xy(x + 2 * r + 1.2, self.y)
                self.pdf.cell(tw, lh, words)
            x += 2 * r + 1.2 + tw + 4
        self.y += lh + 0.8

    def refs_for(self, ids: list[str]) -> str:
        nums = [str(self.number[s]) for s in ids if s in self.number]
        if not nums:
            return ""
        return ("Source [" if len(nums) == 1 else "Sources [") + ", ".join(nums) + "]."

    def number_lines(self, o: OutcomeResult) -> tuple[list[Run], list[Run]]:
        """The words beside one picture: the numbers, then certainty and source in smaller type."""
        info = self.outcome_info[o.id]
        main: list[Run] = [
            (f"{o.label}, {o.horizon}:", True),
            (both_frames(o.risk, self.per, info.event_words, info.no_event_words), False),
            (range_words(o.risk_low, o.risk_high, self.per), False),
            (comparator_words(o, self.per), False),
        ]
        tail = CERTAINTY_WORDS.get(o.certainty or "", "")
        if o.applicability == "indirect":
            tail += " " + APPLICABILITY_WORDS["indirect"].replace(" (see why)", "")
        if o.secondary_source:
            tail += " Secondary source: seen only in a review, not in the original paper."
        tail += " " + self.refs_for(o.source_ids)
        return main, [(tail.strip(), False)]

    def result_height(self, o: OutcomeResult) -> float:
        if o.risk is None:
            return self.para_height(self.words_runs(o), size=self.s.small)
        iw, ih, _ = self.icon_box()
        main, tail = self.number_lines(o)
        tw = WIDTH - iw - 3
        return max(ih + 0.6, self.para_height(main, tw) + self.para_height(tail, tw, self.s.small))

    def words_runs(self, o: OutcomeResult) -> list[Run]:
        note = " Secondary source: seen only in a review, not in the original paper." if o.secondary_source else ""
        return [(f"{o.label}, {o.horizon}:", True), (f"{o.finding}{note} {self.refs_for(o.source_ids)}", False)]

    def result_block(self, o: OutcomeResult) -> None:
        h = self.result_height(o)
        self.ensure(h)
        if o.risk is None:
            self.para(self.words_runs(o), size=self.s.small)
        else:
            iw, _, _ = self.icon_box()
            top = self.y
            self.icons(o, LEFT, top + 0.4)
            main, tail = self.number_lines(o)
            self.para(main, x=LEFT + iw + 3, w=WIDTH - iw - 3)
            self.para(tail, x=LEFT + iw + 3, w=WIDTH - iw - 3, size=self.s.small, color=MUTED)
            self.y = max(self.y, top + h)
        self.y += 0.6

    def option(self, p: OptionPlan) -> None:
        opt, size = p.option, self.s.body
        title: list[Run] = [
            (opt.label if opt.short in opt.label else f"{opt.label} ({opt.short})", True),
            ("·", False),
            (STATUS_WORDS[opt.status], False),
        ]
        head_h = self.para_height(title, WIDTH - 3, size) + 1.4
        first = self.result_height(p.shown[0]) if p.shown else 0.0
        self.ensure(self.s.gap + head_h + first + self.lh(self.s.small))
        self.y += self.s.gap
        if self.draw:
            self.pdf.set_fill_color(*BAND)
            self.pdf.rect(LEFT, self.y, WIDTH, head_h, style="F")
        self.y += 0.7
        self.para(title, x=LEFT + 1.5, w=WIDTH - 3, size=size)
        self.y += 0.7 + 0.5
        reasons = opt.reasons
        if self.s.max_reasons is not None and len(reasons) > self.s.max_reasons:
            more = len(reasons) - self.s.max_reasons
            reasons = [*reasons[: self.s.max_reasons], f"{more} more point{'s' if more > 1 else ''} in the dashboard."]
        if self.s.list_reasons:
            self.bullets(reasons, size=self.s.small)
        elif reasons:
            self.para(" ".join(reasons), size=self.s.small)
        self.y += 0.8
        for o in p.shown:
            self.result_block(o)
        if not p.shown:
            self.para("No results with numbers or words to show for this option.", size=self.s.small, color=MUTED)

    def options(self) -> None:
        self.heading("Your options and what the studies found", follow=30)
        hidden = sum(p.hidden for p in self.plans)
        more = (f" For space, each option shows at most its first {self.s.results} result"
                f"{'s' if self.s.results > 1 else ''}; the dashboard shows all of them." if hidden else "")
        self.para("The options are always listed in the same order. Within each option, results follow your "
                  f"goals. The order says nothing about which option is better.{more}", size=self.s.small)
        self.legend()
        for p in self.plans:
            self.option(p)

    def guidelines(self) -> None:
        gs = self.result.guidelines
        if not gs:
            return
        self.heading("What guidelines say (their advice, summarised; this handout gives none)")
        items = []
        for g, n in zip(gs, self.guideline_refs, strict=True):
            sec = " Seen only in a secondary source." if g.secondary_source else ""
            items.append(f"{g.statement} ({g.strength}; {g.certainty}) [{n}].{sec}")
        self.bullets(items, size=self.s.small)

    def questions_and_signs(self) -> None:
        c = self.base.content
        gap = 6.0
        cw = (WIDTH - gap) / 2
        size = self.s.small
        hs = self.lh(self.s.body + 1) + 1.0
        hq = hs + self.bullets_height(c.questions_to_ask, cw, size)
        signs = [*c.urgent_signs, c.urgent_call]
        hu = hs + self.bullets_height(signs, cw - 2.5, size)
        self.ensure(max(hq, hu) + 4)
        self.y += 2.5
        top = self.y
        self.para([("Questions you may want to ask", True)], w=cw, size=self.s.body + 1)
        self.y += 1.0
        self.bullets(c.questions_to_ask, w=cw, size=size)
        left_end = self.y
        right = LEFT + cw + gap
        if self.draw:
            self.pdf.set_draw_color(*INK)
            self.pdf.set_line_width(0.7)
            self.pdf.rect(right - 2.0, top - 1.2, cw + 2.0, hu + 2.4)
        self.y = top
        self.para([("Get help right away if you have:", True)], x=right, w=cw - 2.5, size=self.s.body + 1)
        self.y += 1.0
        self.bullets(signs, x=right, w=cw - 2.5, size=size)
        self.y = max(left_end, self.y + 1.2)

    def references(self) -> None:
        self.heading("Sources", follow=8)
        size = max(6.0, self.s.small - 1.5)
        gap = 5.0
        cw = (WIDTH - gap) / 2
        items = [f"[{i}] {text}" for i, text in enumerate(self.refs, 1)]
        heights = [self.para_height(t, cw, size) for t in items]
        # Two balanced columns; if they do not fit, fill what is left of the page and go on.
        start = 0
        while start < len(items):
            room = BOTTOM - self.y
            target = min(max(sum(heights[start:]) / 2, heights[start]), room)
            cols: list[list[int]] = [[], []]
            for col, limit in ((0, target), (1, room)):
                used = 0.0
                while start < len(items) and used + heights[start] <= limit + 0.01:
                    cols[col].append(start)
                    used += heights[start]
                    start += 1
            top = self.y
            ends = [top]
            for col, idxs in enumerate(cols):
                self.y = top
                for i in idxs:
                    self.para(items[i], x=LEFT + col * (cw + gap), w=cw, size=size)
                ends.append(self.y)
            self.y = max(ends)
            if start < len(items):
                self.new_page()
        self.y += 0.8
        self.para(f"Evidence date: {self.result.evidence_date}. Made with the open-source DVT shared decision "
                  "making dashboard. This handout does not recommend a treatment.", size=size, color=MUTED)

    def build(self) -> int:
        """Lay out (and draw, if drawing) the whole handout; the number of pages."""
        self.header()
        self.inputs()
        self.options()
        self.guidelines()
        self.questions_and_signs()
        self.references()
        return self.page


def _new_pdf(result: Result) -> _Page:
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.evidence_date = result.evidence_date
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    folder = font_dir()
    for st, fname in FONT_FILES.items():
        pdf.add_font(FAMILY, st, str(folder / fname))
    pdf.set_font(FAMILY, "", 9)
    pdf.set_title("Treatment choices for a blood clot in the leg: take-home summary")
    pdf.set_subject("What the studies found for one patient's leg clot. It does not recommend a treatment.")
    pdf.set_creator("DVT shared decision making dashboard (sdm.handout)")
    pdf.set_lang("en-US")
    pdf.alias_nb_pages()
    return pdf


def readiness_lines(before=None, after=None, role: str | None = None) -> list[str]:
    """SURE scores before and after the talk, and who decides, in words (never stored)."""
    from .readiness import ROLE_LABELS, Role

    lines = []
    for when, res in (("Before the talk", before), ("After the talk", after)):
        if res is not None:
            lines.append(f"{when}: {res.score} of {res.out_of} yes answers on the SURE questions. {res.message}")
    if role:
        lines.append(f"Who decides: {ROLE_LABELS[Role(role)]}")
    return lines


def layout(result: Result, base: EvidenceBase, per: int = 100, name: str | None = None,
           today: date | None = None, readiness: list[str] | None = None) -> tuple[_Page, Style]:
    """The drawn PDF and the roomiest style that fits on two pages."""
    if per not in (100, 1000):
        raise ValueError("per must be 100 or 1000")
    clean = _clean_name(name)
    day = today or date.today()
    pdf = _new_pdf(result)
    def writer(style: Style, draw: bool) -> _Writer:
        w = _Writer(pdf, result, base, per, clean, style, day, draw=draw)
        w.readiness = readiness or []
        return w

    for style in STYLES:
        if writer(style, draw=False).build() <= MAX_PAGES:
            break
    # If even the tightest style runs past two pages (long evidence text), it is drawn anyway and flows on to
    # a third page: the footer says "Page 3 of 3", and nothing is dropped.
    writer(style, draw=True).build()
    return pdf, style


def render(result: Result, base: EvidenceBase, per: int = 100, name: str | None = None,
           readiness: list[str] | None = None) -> bytes:
    """An A4 PDF for the patient to take home: one or two pages, a third only when the evidence text is long."""
    pdf, _ = layout(result, base, per=per, name=name, readiness=readiness)
    return bytes(pdf.output())


NOT_MADE = ("The handout could not be made this time. Nothing is wrong with your answers. Please use the "
            "screen, print the page from your browser, or copy the note for the medical record, and tell the "
            "people who run this tool.")


def not_made_pdf() -> bytes:
    """A one-page PDF that says the handout could not be made (built-in font, no evidence text)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title("The handout could not be made")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "Treatment choices for a blood clot in the leg (DVT)")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, NOT_MADE)
    return bytes(pdf.output())


def render_for_download(result: Result, base: EvidenceBase, per: int = 100,
                        readiness: list[str] | None = None) -> bytes:
    """What the download button hands over: the handout, or, if it cannot be made, a one-page PDF that says so
    (so a click never does nothing). The log line names the kind of error only, never what was entered."""
    try:
        return render(result, base, per=per, readiness=readiness)
    except Exception as exc:  # noqa: BLE001 - any failure must still give the user a file
        logging.getLogger(__name__).error("the handout could not be made (%s); a notice was sent instead",
                                          type(exc).__name__)
        return not_made_pdf()
