"""The handout over every scenario of the teaching grid, in English and in Spanish.

4 locations x days {3, 10, 18, 40} x 3 bleeding tiers x limb threat on/off = 96 scenarios, each made
in both languages (192 PDFs, made once for this module). From the PDFs themselves:
- the patient's part is at most two pages and the whole PDF at most three;
- the type on the patient's pages (every page before the one that opens with the reference page's
  heading) is read from the content streams: every text-showing operator, with the size its `Tf`
  set, scaled by any text or graphics matrix: nothing below 10 pt (notes); the body text itself (the
  not-advice box, the decision, questions, urgent signs and the 911 line) is read back with pypdf from
  the text drawn at 12 pt or more; the reference page is at least 9 pt;
- the English and Spanish texts carry the same numbers in the same order (footers aside).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from itertools import product

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import sdm
from sdm.outputs import handout
from sdm.words import i18n
from tests.safety_plugin import report

BASE = sdm.default()
LOCATIONS = ("distal", "femoropopliteal", "iliofemoral", "iliocaval")
DAYS = (3, 10, 18, 40)
TIERS = ("low", "moderate", "high")
GRID = [dict(location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
        for loc, d, t, limb in product(LOCATIONS, DAYS, TIERS, (False, True))]
BY_KEY = {}  # filled below
LANGS = ("en", "es")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def key(fields: dict) -> str:
    return (f"{fields['location']} {fields['symptom_days']} days {fields['bleeding_tier']}"
            + (" limb threat" if fields["limb_threatening"] else ""))


BY_KEY.update({key(f): f for f in GRID})


@pytest.fixture(scope="module")
def handouts() -> dict[tuple[str, str], tuple[handout.Fit, bytes]]:
    out = {}
    for fields in GRID:
        for lang in LANGS:
            result = sdm.run(sdm.make(BASE.rules, lang=lang, **fields), BASE)
            pdf, fit = handout.layout(result, BASE)
            out[(key(fields), lang)] = (fit, bytes(pdf.output()))
    return out


# ----------------------------------------------------------------- reading the PDF


def page_texts(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def patient_page_count(data: bytes, lang: str) -> int:
    """Pages before the one that opens with the reference page's heading (all of them if none does)."""
    heading = " ".join(i18n.catalogue(lang).t("handout.reference.heading").split())
    texts = page_texts(data)
    starts = [i for i, t in enumerate(texts) if t.startswith(heading)]
    return starts[0] if starts else len(texts)


def _glyphs(text_bytes: bytes, font) -> int:
    two_byte = font is not None and font.get("/Subtype") == "/Type0"  # Identity-H: two bytes a glyph
    return len(text_bytes) // 2 if two_byte else len(text_bytes)


def type_sizes(data: bytes) -> list[Counter]:
    """For each page, how many glyphs were shown at each size (pt), from the content stream's operators:
    the size set by Tf, times the vertical scale of the text matrix (Tm) and of the graphics matrix (cm).
    q and Q save and restore the graphics state, the text font and size with it (PDF 32000-1, 8.4 and 9.3)."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        counts: Counter = Counter()
        size, font, tm, ctm, stack = 0.0, None, 1.0, 1.0, []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append((ctm, size, font))
            elif op == b"Q":
                ctm, size, font = stack.pop() if stack else (1.0, size, font)
            elif op == b"cm":
                ctm *= abs(float(operands[3])) or 1.0
            elif op == b"BT":
                tm = 1.0
            elif op == b"Tm":
                tm = abs(float(operands[3])) or 1.0
            elif op == b"Tf":
                font, size = fonts.get(operands[0]), float(operands[1])
                font = font.get_object() if font is not None else None
            elif op in (b"Tj", b"'", b'"'):
                n = _glyphs(bytes(operands[-1].original_bytes if hasattr(operands[-1], "original_bytes")
                                  else operands[-1]), font)
                if n:
                    counts[round(size * tm * ctm, 2)] += n
            elif op == b"TJ":
                n = sum(_glyphs(bytes(x.original_bytes if hasattr(x, "original_bytes") else x), font)
                        for x in operands[0] if not isinstance(x, (int, float)) and hasattr(x, "__len__"))
                if n:
                    counts[round(size * tm * ctm, 2)] += n
        out.append(counts)
    return out


def runs(data: bytes, pages: int) -> list[tuple[str, float]]:
    """(text, size in pt) for each piece of text pypdf reads on the first `pages` pages."""
    out: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            out.append((text, font_size * abs(tm[3] or 1) * abs(cm[3] or 1)))

    for page in PdfReader(io.BytesIO(data)).pages[:pages]:
        page.extract_text(visitor_text=visit)
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_strings(lang: str, fit: handout.Fit, fields: dict) -> list[str]:
    """Words the patient's pages must print as body text: the not-advice box, the decision, each option's
    status, the urgent signs and the number to call, and the questions shown."""
    c = sdm.evidence.translate.localise(BASE, lang).content
    cat = i18n.catalogue(lang)
    result = sdm.run(sdm.make(BASE.rules, lang=lang, **fields), BASE)
    statuses = {cat.t(f"handout.status.{o.status}") for o in result.options}
    cap = fit.patient.max_questions
    return [c.not_advice, c.decision, *sorted(statuses), c.urgent_call, *c.urgent_signs,
            *(c.questions_to_ask if cap is None else c.questions_to_ask[:cap])]


def numbers(data: bytes, lang: str, evidence_date: str) -> list[str]:
    cat = i18n.catalogue(lang)
    footer = re.escape(" ".join(cat.t("handout.footer", page="PAGE", pages="PAGES", date=evidence_date).split()))
    footer = footer.replace("PAGES", r"\d+").replace("PAGE", r"\d+")
    text = " ".join(re.sub(footer, " ", t) for t in page_texts(data))
    return NUMBER.findall(text)


# ----------------------------------------------------------------- the checks


def test_every_grid_scenario_keeps_to_two_patient_pages_and_three_in_all(handouts):
    worst: dict[str, tuple[int, int]] = {}
    for (name, lang), (fit, data) in handouts.items():
        reader_pages = len(PdfReader(io.BytesIO(data)).pages)
        patient = patient_page_count(data, lang)
        assert patient == fit.patient_pages, (name, lang)  # the reference heading opens the page after them
        assert patient <= handout.PATIENT_PAGES, (name, lang, patient)
        assert reader_pages == fit.pages <= handout.MAX_PAGES, (name, lang, reader_pages)
        was = worst.get(lang, (0, 0))
        worst[lang] = (max(was[0], patient), max(was[1], reader_pages))
    retries = sum(fit.retries for fit, _ in handouts.values())
    styles = Counter((lang, handout.PATIENT_STYLES.index(fit.patient)) for (_, lang), (fit, _) in handouts.items())
    report(f"handout pages over {len(GRID)} scenarios x {len(LANGS)} languages: patient part "
           f"{max(p for p, _ in worst.values())} pages max, whole PDF {max(t for _, t in worst.values())} max "
           f"(en {worst['en'][0]}/{worst['en'][1]}, es {worst['es'][0]}/{worst['es'][1]}); "
           f"{retries} drawings ran longer than measured")
    tight = {lang: max(i for (code, i) in styles if code == lang) for lang in LANGS}
    print(f"tightest patient style used: {tight} of {len(handout.PATIENT_STYLES) - 1}")
    assert retries == 0  # the measure (fpdf2's own line breaking) agreed with the drawing every time


def test_no_type_on_the_patient_pages_is_below_10_pt_and_none_on_the_reference_page_below_9(handouts):
    smallest_patient, smallest_reference, glyphs = 99.0, 99.0, Counter()
    for (name, lang), (_, data) in handouts.items():
        sizes = type_sizes(data)
        patient = patient_page_count(data, lang)
        on_patient = sum(sizes[:patient], Counter())
        assert on_patient, name
        glyphs += on_patient
        smallest_patient = min(smallest_patient, min(on_patient))
        for counts in sizes[patient:]:
            smallest_reference = min(smallest_reference, min(counts))
        assert min(on_patient) >= 10.0, (name, lang, sorted(on_patient))
    assert smallest_reference >= 9.0
    share = sum(n for size, n in glyphs.items() if size >= 12) / sum(glyphs.values())
    report(f"type on the patient's pages ({len(handouts)} handouts): smallest {smallest_patient:g} pt (notes: time "
           f"frames, ranges, sources, legend, footer); {share:.0%} of their glyphs at 12 pt or more; "
           f"reference page smallest {smallest_reference:g} pt")


def test_body_text_on_the_patient_pages_is_set_at_12_pt(handouts):
    """The words that must be large are found in the text pypdf reads from the patient's pages, and every
    piece of text they are drawn in is 12 pt or more: the smallest of those sizes is the body size reported."""
    smallest = 99.0
    for (name, lang), (fit, data) in handouts.items():
        concat, spans = "", []
        for text, size in runs(data, fit.patient_pages):
            piece = squeeze(text)
            spans.append((len(concat), len(concat) + len(piece), size))
            concat += piece
        for text in body_strings(lang, fit, BY_KEY[name]):
            start = concat.find(squeeze(text))
            assert start >= 0, (name, lang, text)
            end = start + len(squeeze(text))
            sizes = [size for a, b, size in spans if a < end and b > start]
            assert min(sizes) >= 12.0 - 0.01, (name, lang, text, sorted(set(sizes)))
            smallest = min(smallest, min(sizes))
    assert smallest >= 12.0 - 0.01
    report(f"smallest body text on the patient's pages: {smallest:g} pt (not-advice box, decision, statuses, "
           f"questions, urgent signs and the 911 line, read from all {len(handouts)} PDFs); notes at 10 pt or more")


def test_english_and_spanish_handouts_carry_the_same_numbers(handouts):
    compared = 0
    for fields in GRID:
        name = key(fields)
        result = sdm.run(sdm.make(BASE.rules, **fields), BASE)
        en = numbers(handouts[(name, "en")][1], "en", result.evidence_date)
        es = numbers(handouts[(name, "es")][1], "es", result.evidence_date)
        assert en == es, (name, [(i, a, b) for i, (a, b) in enumerate(zip(en, es, strict=False)) if a != b][:5],
                          len(en), len(es))
        compared += 1
    report(f"handout number parity: {compared} scenarios, English and Spanish PDFs carry the same numbers "
           f"in the same order")
