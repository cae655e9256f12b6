"""The consult screen's own words: one catalogue per language (data/locales/<lang>/ui.yaml, readiness.yaml).

- the two catalogues have the same keys, fields and literal numbers (sdm.i18n.problems), shown to fail;
- the page files build no patient-facing sentence outside the catalogue (a scan of their string literals);
- the words are plain (Spanish: Fernández-Huerta at least 70, INFLESZ reported; English: US grade 8 at most) and
  never prescriptive.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import textstat
from textstat.textstat import textstatistics

from sdm.words import i18n
from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[1]
AREAS = ("ui", "readiness")  # the areas these pages own (the engine, pictures and handout have their own)
MIN_FERNANDEZ_HUERTA = 70.0
# The page files that draw the consult screen (the Teaching and Methods pages stay English). app_pages/parts/state.py
# is left out on purpose: its only words are the error page for broken evidence or catalogue files, which cannot
# come from a catalogue that may be broken.
PAGE_FILES = ["app.py", "app_pages/consult.py", "app_pages/parts/inputs.py",
              "app_pages/parts/sections.py", "app_pages/parts/views.py", "app_pages/parts/readiness.py",
              "app_pages/parts/lang.py"]
# String literals with words that are not shown to anyone as words, each with its reason.
NOT_WORDS = {
    "Leg clot (DVT) treatment choices": "the browser tab's title before the files are checked (the error page's)",
    "top center": "a Plotly setting",
}
_WORDS = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]+)+")


def entries(lang: str) -> dict[str, str]:
    cat = i18n.catalogue(lang)
    return {k: v for k, v in cat.entries.items() if k.split(".")[0] in AREAS}


def plain(template: str) -> str:
    """A template as words: no {fields}, tags, icons or markdown signs; a full stop where a label ends."""
    text = re.sub(r"\{[^}]*\}|<[^>]+>|:material/\w+:|[*_]", " ", template)
    text = re.sub(r"\s+", " ", text).strip()
    return text if not text or text[-1] in ".?!:" else text + "."


# ---------------------------------------------------------------- the two catalogues match


def test_both_languages_have_the_same_keys_fields_and_numbers():
    problems = i18n.problems()
    en, es = entries("en"), entries("es")
    report(f"ui catalogue: {len(en)} English and {len(es)} Spanish strings (ui, readiness), "
           f"{len(problems)} key, field or number problems")
    assert problems == []
    assert set(en) == set(es) and len(en) > 100
    same = [k for k in en if en[k] == es[k] and len(en[k].split()) > 2]
    assert same == [], f"not translated: {same}"


def test_the_catalogue_check_can_fail(tmp_path):
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    spanish = folder / "es" / "ui.yaml"
    text = spanish.read_text(encoding="utf-8")
    text = text.replace('per: "\'per\' debe ser 100 o 1000, y no se usó."', 'per: "\'per\' debe ser 100 o 100, y no se usó."')
    text = text.replace("{max_days}).", "{dias}).", 1)
    text = text.replace('  the_inputs: "los datos"\n', "")
    spanish.write_text(text + '\nextra_key: "sobra"\n', encoding="utf-8")
    found = {(p.record, p.field) for p in i18n.problems(folder)}
    assert ("ui.link.per", "(numbers)") in found
    assert ("ui.sidebar.days_help", "(fields)") in found
    assert ("ui.sidebar.the_inputs", "(key)") in found and ("ui.extra_key", "(key)") in found


# ---------------------------------------------------------------- no sentence outside the catalogue


def literal_words(path: Path) -> list[tuple[int, str]]:
    """String literals of a page file that read as words (docstrings, ids, CSS, tags and fields left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
            continue
        text = node.value
        if re.fullmatch(r"[\w.:/-]*", text):  # a catalogue key, an id, a widget key or a file name
            continue
        text = re.sub(r"<style>.*?(</style>|$)|^[^<]*\}</style>", " ", text, flags=re.S)  # CSS
        text = re.sub(r"\{[^}]*\}|<[^>]*(>|$)|^[^<>]*>|:material/\w+:", " ", text)  # fields, tags, icons
        if _WORDS.search(text) and node.value not in NOT_WORDS:
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("relpath", PAGE_FILES)
def test_no_patient_facing_sentence_is_built_outside_the_catalogue(relpath):
    found = literal_words(ROOT / relpath)
    assert found == [], f"{relpath}: words outside data/locales/*/ui.yaml: {found}"


def test_the_sentence_scan_can_fail(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('"""Docstrings are fine."""\nimport streamlit as st\n'
                    'st.caption("Pick what matters most to you.")\nst.html(f"<p>{x}</p><h4>Get help now</h4>")\n'
                    'st.html("<style>.a b{color:red}</style>")\nst.markdown(cat.t("ui.views.not_ranked"))\n')
    assert [line for line, _ in literal_words(page)] == [3, 4]


# ---------------------------------------------------------------- plain Spanish, plain English


def test_spanish_screen_words_are_plain():
    ts = textstatistics()  # its own instance: the language setting never leaks into the English checks
    ts.set_lang("es")
    texts = [plain(v) for k, v in entries("es").items() if not k.endswith(("date_pattern", "file_name"))]
    texts = [t for t in texts if t]
    every = " ".join(texts)
    fh, inflesz = ts.fernandez_huerta(every), ts.szigriszt_pazos(every)
    report(f"spanish readability (screen words: ui and readiness catalogues): Fernández-Huerta {fh:.1f}, "
           f"INFLESZ {inflesz:.1f} over {len(texts)} strings (limit {MIN_FERNANDEZ_HUERTA:g}, aim 80)")
    assert fh >= MIN_FERNANDEZ_HUERTA
    hard = ts.fernandez_huerta("La anticoagulación farmacomecánica intervencionista contraindicada "
                               "representa complicaciones hemorrágicas potencialmente catastróficas.")
    assert hard < MIN_FERNANDEZ_HUERTA  # the measure can fail


def test_english_screen_words_are_plain():
    texts = [plain(v) for k, v in entries("en").items() if not k.endswith(("date_pattern", "file_name"))]
    grade = textstat.flesch_kincaid_grade(" ".join(t for t in texts if t))
    report(f"readability: screen words (ui and readiness catalogues): US grade {grade:.1f} (limit 8)")
    assert grade <= 8


PRESCRIPTIVE_ES = re.compile(r"\b(recomendamos|le recomendamos|la mejor opción|lo mejor para usted|debería "
                             r"(elegir|escoger|tener)|debe elegir|opción preferida|opción ideal)\b", re.I)
PRESCRIPTIVE_EN = re.compile(r"\b(recommended|we recommend|best (option|choice|treatment)|should (choose|have|get|"
                             r"pick)|preferred option|right choice|ideal (option|choice))\b", re.I)


def test_no_screen_word_is_prescriptive():
    assert [v for v in entries("es").values() if PRESCRIPTIVE_ES.search(v)] == []
    assert [v for v in entries("en").values() if PRESCRIPTIVE_EN.search(v)] == []
    assert PRESCRIPTIVE_ES.search("Le recomendamos la PCDT") and PRESCRIPTIVE_ES.search("Es la mejor opción")


def test_spanish_uses_the_words_patients_use():
    es = " ".join(entries("es").values())
    assert "anticoagulantes" in es.lower() and "coágulo en la pierna" in es
    assert "usted" in es.lower()
