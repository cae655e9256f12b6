"""The handout's words: every one from the catalogue, every letter in the fonts, evidence text as typed."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import sdm
from sdm.evidence.safe_yaml import load_file
from sdm.outputs import handout
from sdm.outputs.handout import page
from sdm.words import i18n
from tests import evidence_text
from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[2]
BASE = sdm.default()


def strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)] + [k for k in data if isinstance(k, str)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return [data] if isinstance(data, str) else []


def spanish_characters() -> tuple[set[str], int]:
    files = sorted((ROOT / "data" / "locales" / "es").glob("*.yaml")) + sorted((ROOT / "data" / "es").glob("*.yaml"))
    chars = {ch for f in files for s in strings(load_file(f)) for ch in s if not ch.isspace()}
    return chars, len(files)


def test_fonts_have_a_glyph_for_every_character_of_the_spanish_text():
    """Every character of the Spanish catalogues and data/es/ is drawn, in both weights, and fpdf2 finds a
    glyph for each: none falls back to an empty box."""
    chars, files = spanish_characters()
    accented = sorted(ch for ch in chars if ord(ch) > 127)
    assert {"á", "é", "í", "ó", "ú", "ñ", "ü", "¿", "¡"} <= chars | {"ü", "¡"}  # the usual letters are there
    pdf = page.new_pdf(i18n.catalogue("es"))
    pdf.add_page()
    text = "".join(sorted(chars))
    for style in page.FONT_FILES:
        pdf.set_font(page.FAMILY, style, page.BODY)
        pdf.multi_cell(0, 6, text + " áéíóúñÁÉÍÓÚÑüÜ¿¡«»–—", new_x="LMARGIN", new_y="NEXT")
    for font in pdf.fonts.values():
        assert font.missing_glyphs == [], (font.fontkey, [chr(c) for c in font.missing_glyphs])
        missing = [ch for ch in text if ord(ch) not in font.cmap]
        assert missing == [], (font.fontkey, missing)
    data = bytes(pdf.output())
    extracted = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert all(ch in extracted for ch in accented), [ch for ch in accented if ch not in extracted]
    report(f"handout fonts: {len(chars)} distinct characters of the Spanish text ({files} files, "
           f"{len(accented)} beyond ASCII: {''.join(accented)}) all have glyphs in DejaVu Sans and Sans Bold")


CODE = sorted((ROOT / "sdm" / "outputs" / "handout").glob("*.py"))
# Strings in the handout's code that are not words for the patient: file names, font and PDF settings,
# keys, markup, and the two fixed texts for when the catalogue itself cannot be read.
ALLOWED = {
    "DVT shared decision making dashboard (sdm.handout)",  # the PDF's creator field, never shown on a page
    "The handout could not be made", *([handout.NOT_MADE, handout.NOT_MADE_TITLE]),
}
WORDS = re.compile(r"[A-Za-zÁÉÍÓÚáéíóúñÑ]{3,}\s+[A-Za-zÁÉÍÓÚáéíóúñÑ]{2,}")


def _code_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))  # docstrings
        if isinstance(node, ast.Raise | ast.Call) and getattr(getattr(node, "func", None), "attr", "") in (
                "error", "warning", "info"):
            skip.update(id(n) for n in ast.walk(node))  # log lines
        if isinstance(node, ast.Raise):
            skip.update(id(n) for n in ast.walk(node))  # errors for the programmer
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("compile", "sub"):
            skip.update(id(n) for n in ast.walk(node))  # patterns
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


@pytest.mark.parametrize("path", CODE, ids=lambda p: p.name)
def test_no_patient_facing_words_are_built_outside_the_catalogue(path):
    found = [(line, s) for line, s in _code_strings(path) if WORDS.search(s) and s not in ALLOWED]
    assert found == [], f"{path.name}: words in code instead of data/locales/*/handout.yaml: {found}"


def test_the_words_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('def f(w):\n    return w.text("Questions you may want to ask")\n')
    assert any(WORDS.search(s) for _, s in _code_strings(bad))


def test_every_handout_key_the_code_uses_is_in_both_catalogues():
    used = set()
    for path in CODE:
        src = path.read_text()
        used |= {f"handout.{k}" for k in re.findall(r'''\bw\.t\(\s*f?["']([a-z_.]+)["']''', src)}
        used |= set(re.findall(r'''["'](handout\.[a-z_.]+)["']''', src))
    used = {k for k in used if not k.endswith(".")}  # f-string prefixes such as "handout.status." + status
    for lang in i18n.LANGUAGES:
        entries = i18n.catalogue(lang).entries
        assert sorted(k for k in used if k not in entries) == [], lang
        prefixes = ("handout.status.", "handout.legend.", "handout.inputs.kind.", "handout.reference.certainty.",
                    "handout.notes.", "handout.readiness.")
        for p in prefixes:
            assert any(k.startswith(p) for k in entries), (lang, p)
    assert i18n.problems() == []


HOSTILE = "**bold** --under-- __it__ ~~no~~ [click](http://example.invalid/x) {nb} \\back\\slash"


@pytest.fixture
def unchecked(monkeypatch):
    """The loader's evidence-text check off (as tests/e2e/unchecked_app.py does), so markup loads: the handout
    must print it as plain characters on its own."""
    import sdm.evidence.safe_text

    monkeypatch.setattr(sdm.evidence.safe_text, "check", lambda text: text)


def test_evidence_text_prints_as_typed_and_makes_no_link(tmp_path, unchecked):
    """Markdown markers, a link and the page-count alias in evidence text print exactly as typed."""
    folder = evidence_text.copy_data(tmp_path / "data")
    docs = evidence_text.read(folder)
    docs["content.yaml"]["not_advice"] = HOSTILE
    evidence_text.write(folder, docs)
    base = sdm.load(folder)
    result = sdm.run(sdm.make(base.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), base)
    data = handout.render(result, base)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert " ".join(HOSTILE.split()) in text
    assert b"/URI" not in data and b"/Link" not in data  # no link annotation anywhere


def test_markup_planted_in_every_text_field_makes_no_link(tmp_path, unchecked):
    folder, planted = evidence_text.planted_copy(tmp_path / "data", "example.invalid")
    base = sdm.load(folder)
    for fields in (dict(location="iliofemoral", symptom_days=7, bleeding_tier="low"),
                   dict(location="distal", symptom_days=40, bleeding_tier="high", limb_threatening=True)):
        result = sdm.run(sdm.make(base.rules, **fields), base)
        data = handout.render(result, base)
        assert b"/URI" not in data and b"/Link" not in data
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "](http://example.invalid/" in text  # printed as the characters typed
    report(f"handout with markup planted in {len(planted)} text fields: 0 links, the markup printed as typed")
