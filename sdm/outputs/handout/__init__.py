"""The take-home handout: an A4 PDF made with fpdf2, in the patient's language.

The patient's pages (at most two) lead with the same summary as the screen (the patient's
top goals for all five options against the row's one reference, with dot pictures), then each
option's status, questions to ask and the urgent signs with the number to call, in 12 pt body
text and 10 pt notes. A reference page follows (at least 9 pt): every result for each option,
what guidelines say, and the sources. At most three pages in all.

It says what the evidence shows; it never recommends, ranks or scores an option. Every figure
comes from the engine's Result, which takes it from data/; the handout's own words come from
data/locales/<lang>/handout.yaml, filled with the engine's numbers, so a translation changes
words and never a number. The optional name is printed on the page only: it is never stored,
logged or put in the PDF's metadata.

Fitting: each part is measured before it is drawn, by fpdf2's own line breaking (see page.Writer).
The patient's pages take the roomiest style that fits on two pages (tighter styles close up spacing
and pictures, then say less and point to the screen); the reference page takes as many results as
fit, in turn from each option. Choices that change what is said are made the same in every language
(the tightest any language needs), so the English and Spanish handouts carry the same numbers. When
even the tightest style is too long (evidence text at its limits), it is drawn anyway and runs on,
so a download never fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from fpdf import FPDF

from ...engine.compute import run
from ...engine.result import Result
from ...evidence import translate
from ...evidence.loader import EvidenceError
from ...evidence.models import EvidenceBase
from ...present import summary as summary_mod
from ...present.summary import Summary
from ...words import i18n
from .page import FONT_DIRS, FONT_FILES, HandoutPDF, Writer, font_dir, footers, new_pdf
from .patient import PATIENT_STYLES, PatientPages, PatientStyle, clean_name
from .reference import ReferencePage, ReferenceStyle
from .sources import OptionPlan, References, guideline_document, plan, plan_in_turn, used_source_ids

PATIENT_PAGES = 2  # the patient's part, whatever the scenario
MAX_PAGES = 3  # the whole PDF, with the reference page

__all__ = [
    "FONT_DIRS", "FONT_FILES", "MAX_PAGES", "PATIENT_PAGES", "PATIENT_STYLES", "Fit", "OptionPlan", "PatientStyle",
    "ReferenceStyle", "font_dir", "guideline_document", "layout", "not_made_pdf", "plan", "plan_in_turn",
    "readiness_lines", "render", "render_for_download", "used_source_ids",
]


@dataclass(frozen=True)
class Fit:
    """The styles a handout was drawn at, and where its parts fell."""

    patient: PatientStyle
    reference: ReferenceStyle
    patient_pages: int  # pages 1..patient_pages are the patient's; the rest is the reference page
    pages: int
    retries: int = 0  # drawings that ran longer than measured (each moved on to a tighter style)

    @property
    def results(self) -> int | None:
        """How many results beyond the summary the reference page has room for (None: all of them)."""
        return self.reference.results

    @property
    def tightest(self) -> bool:
        return self.patient == PATIENT_STYLES[-1] and self.reference.results == 0


@dataclass
class _Job:
    """One handout in one language: the result and evidence in that language, and its catalogue."""

    result: Result
    base: EvidenceBase
    cat: i18n.Catalogue
    per: int
    name: str | None
    today: date
    readiness: list[str]

    top: int = summary_mod.DEFAULT_TOP  # goals in the summary: set with the patient style before the reference page

    @cached_property
    def _summaries(self) -> dict[int, Summary]:
        return {}

    @property
    def summary(self) -> Summary:
        if self.top not in self._summaries:
            self._summaries[self.top] = summary_mod.build(self.result, self.base, self.per, top=self.top)
        return self._summaries[self.top]

    def _patient(self, w: Writer, style: PatientStyle) -> None:
        self.top = style.top
        refs = References(self.cat, self.result, self.base, [], self.summary)  # the summary's numbers come first
        PatientPages(w, self.result, self.base, self.per, style, self.name, self.today, self.readiness,
                     self.summary, refs).draw()

    def reference_plan(self, total: int | None) -> list[OptionPlan]:
        rows = {r.outcome_id for r in self.summary.rows}
        return plan_in_turn(self.result, total, {o.id: o.goals for o in self.base.vocabulary.outcomes}, rows)

    def _reference(self, w: Writer, style: ReferenceStyle) -> None:
        ReferencePage(w, self.result, self.base, self.per, style, self.summary).draw()

    def measure(self, scratch: HandoutPDF, part: str, style) -> int:
        """Pages the part needs at `style`, laid out without drawing (see Writer)."""
        w = Writer(scratch, self.cat, draw=False)
        (self._patient if part == "patient" else self._reference)(w, style)
        return w.page

    def draw(self, patient: PatientStyle, reference: ReferenceStyle) -> tuple[HandoutPDF, int]:
        pdf = new_pdf(self.cat)
        pdf.add_page()
        self._patient(Writer(pdf, self.cat), patient)
        patient_pages = pdf.page_no()
        pdf.add_page()
        self._reference(Writer(pdf, self.cat), reference)
        return pdf, patient_pages


def _jobs(result: Result, base: EvidenceBase, per: int, name: str | None, today: date,
          readiness: list[str]) -> list[_Job]:
    """The handout in the result's language first, then in each other language that has a translation of
    this evidence (so choices that change what is said can be made the same in all of them)."""
    jobs = []
    for lang in [result.scenario.lang, *(x for x in i18n.LANGUAGES if x != result.scenario.lang)]:
        try:
            res = result if lang == result.scenario.lang else run(result.scenario.model_copy(update={"lang": lang}),
                                                                    base)
            jobs.append(_Job(res, translate.localise(base, lang), i18n.catalogue(lang), per, name, today, readiness))
        except EvidenceError:
            if lang == result.scenario.lang:
                raise
            # evidence with no translation (a test's own folder): only its own language is laid out
    return jobs


def _first_fit(styles, fits) -> int:
    return next((i for i, s in enumerate(styles) if fits(s)), len(styles) - 1)


def _patient_style(jobs: list[_Job], scratch: HandoutPDF) -> int:
    """The roomiest patient style that fits the requested language, saying what the tightest language needs.

    Each language's roomiest fitting style is found by measuring; what a style leaves out that can carry
    numbers (`says`: reasons, the inputs in short) is then taken from the tightest of them, so a translation
    never shows fewer numbers. Spacing, pictures and questions (no numbers) may differ between languages."""
    firsts = [_first_fit(PATIENT_STYLES, lambda s, j=job: j.measure(scratch, "patient", s) <= PATIENT_PAGES)
              for job in jobs]
    says = PATIENT_STYLES[max(firsts)].says
    i = firsts[0]
    while PATIENT_STYLES[i].says != says:
        i += 1
    return i


def _reference_results(jobs: list[_Job], scratch: HandoutPDF, patient: PatientStyle) -> int | None:
    """How many results beyond the summary the reference page has room for in every language (None: all).
    More results never take less room, so each language's largest count is found by bisection."""
    for job in jobs:
        job.top = patient.top
    full = len([o for p in jobs[0].reference_plan(None) for o in p.shown])
    best = full
    for job in jobs:
        def fits(n: int | None, j: _Job = job) -> bool:
            style = ReferenceStyle(results=n, summary_words=patient.words_elsewhere)
            return j.measure(scratch, "reference", style) <= 1

        if fits(None):
            continue
        lo, hi = 0, best  # the answer is in [lo, hi]; fits(hi) is unknown or false
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
        best = lo
    return None if best == full else best


def layout(result: Result, base: EvidenceBase, per: int = 100, name: str | None = None,
           today: date | None = None, readiness: list[str] | None = None) -> tuple[FPDF, Fit]:
    """The drawn PDF and the styles it was drawn at: the roomiest that keep the patient's part on
    two pages and the whole on three, saying the same in every language (see the module's notes)."""
    if per not in (100, 1000):
        raise ValueError("per must be 100 or 1000")
    jobs = _jobs(result, base, per, clean_name(name), today or date.today(), list(readiness or []))
    scratch = new_pdf(jobs[0].cat)  # for fpdf2's measures only: nothing is drawn on it
    scratch.add_page()
    p = _patient_style(jobs, scratch)
    n = _reference_results(jobs, scratch, PATIENT_STYLES[p])
    retries = 0
    while True:
        # The measure follows fpdf2's own line breaking, so the drawing should agree; if it does not, a
        # tighter style is drawn (the test over every grid scenario counts these retries).
        reference = ReferenceStyle(results=n, summary_words=PATIENT_STYLES[p].words_elsewhere)
        pdf, patient_pages = jobs[0].draw(PATIENT_STYLES[p], reference)
        over_patient = patient_pages > PATIENT_PAGES and p < len(PATIENT_STYLES) - 1
        over_reference = pdf.page_no() > patient_pages + 1 and n != 0
        if not (over_patient or over_reference):
            break
        retries += 1
        p += over_patient
        if over_reference:
            shown = len([o for q in jobs[0].reference_plan(n) for o in q.shown])
            n = max(0, shown - 1)
    footers(pdf, jobs[0].cat, result.evidence_date)
    return pdf, Fit(PATIENT_STYLES[p], reference, patient_pages, pdf.page_no(), retries)


def render(result: Result, base: EvidenceBase, per: int = 100, name: str | None = None,
           readiness: list[str] | None = None) -> bytes:
    """An A4 PDF for the patient to take home, in the result's language (result.scenario.lang)."""
    pdf, _ = layout(result, base, per=per, name=name, readiness=readiness)
    return bytes(pdf.output())


def readiness_lines(before=None, after=None, role: str | None = None, cat: i18n.Catalogue | None = None) -> list[str]:
    """SURE scores before and after the talk, and who decides, in words (never stored)."""
    from ...teaching.readiness import role_label

    cat = cat or i18n.catalogue("en")
    lines = []
    for when, res in (("before", before), ("after", after)):
        if res is not None:
            lines.append(cat.t(f"handout.readiness.{when}", score=cat.number(res.score),
                               out_of=cat.number(res.out_of), message=res.message))
    if role:
        lines.append(cat.t("handout.readiness.who", role=role_label(role, cat)))
    return lines


NOT_MADE = ("The handout could not be made this time. Nothing is wrong with your answers. Please use the "
            "screen, print the page from your browser, or copy the note for the medical record, and tell the "
            "people who run this tool.")
NOT_MADE_TITLE = "Treatment choices for a blood clot in the leg (DVT)"


def not_made_pdf(lang: str = "en") -> bytes:
    """A one-page PDF that says the handout could not be made (built-in font, no evidence text).
    Its words come from the catalogue when it can be read, and are English otherwise."""
    try:
        cat = i18n.catalogue(lang)
        title, words, heading = (cat.t("handout.not_made.title"), cat.t("handout.not_made.text"),
                                 cat.t("handout.not_made.heading"))
    except Exception:  # noqa: BLE001 - this page is the last resort and must not fail itself
        title, words, heading = "The handout could not be made", NOT_MADE, NOT_MADE_TITLE
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, heading)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 13)
    pdf.multi_cell(0, 7, words)
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
        return not_made_pdf(getattr(getattr(result, "scenario", None), "lang", "en"))
