"""Patient-facing words: reading level, no prescriptive wording, no clinical numbers in code."""

import ast
import re
from itertools import product
from pathlib import Path

import pytest
import textstat

import sdm
from sdm.present import grid
from tests.apptest_helpers import app
from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[1]
BASE = sdm.default()
PRESCRIPTIVE = re.compile(
    r"\b(recommended|we recommend|best (option|choice|treatment)|should (choose|have|get|pick)|"
    r"preferred option|right choice|ideal (option|choice)|winner|top choice)\b",
    re.I,
)
MAX_GRADE = 8.0


def _scenario_texts() -> list[str]:
    texts = []
    for loc, days, tier, limb in product(("distal", "femoropopliteal", "iliofemoral", "iliocaval"), (3, 18, 40),
                                         ("low", "high"), (False, True)):
        r = sdm.run(sdm.make(BASE.rules, location=loc, symptom_days=days, bleeding_tier=tier,
                             limb_threatening=limb, contraindications=("active_bleeding",) if limb else ()), BASE)
        texts += r.warnings
        for opt in r.options:
            texts += opt.reasons
        for row in grid.rows(r, BASE):
            for c in row.cells:
                texts += c.words + [c.finding or "", c.empty_text or "", c.badge]
    return sorted({t for t in texts if t})


def groups() -> dict[str, list[str]]:
    c = BASE.content
    content = [c.decision, c.foundation, c.not_advice, *c.urgent_signs, *c.questions_to_ask,
               *c.about.model_dump().values()]
    for o in c.options.values():
        content += [o.plain, *o.like.values()]
    return {
        "content (decision, cards, help, about)": content,
        "glossary": list(c.glossary.values()),
        "findings and gaps": [f.text for f in BASE.findings] + [g.text for g in BASE.gaps],
        "engine words (reasons, warnings, numbers in words)": _scenario_texts(),
        "guideline statements": [g.statement for g in BASE.guidelines],
    }


def test_reading_level_of_patient_facing_text():
    grades = []
    for name, texts in groups().items():
        grade = textstat.flesch_kincaid_grade(" ".join(texts))
        grades.append((name, grade, len(texts)))
    for name, grade, n in grades:
        report(f"readability: {name}: US grade {grade:.1f} over {n} strings")
    overall = textstat.flesch_kincaid_grade(" ".join(t for ts in groups().values() for t in ts))
    report(f"readability: all patient-facing text: US grade {overall:.1f} (limit {MAX_GRADE:g}, aim 6)")
    too_hard = [(n, g) for n, g, _ in grades if g > MAX_GRADE]
    assert not too_hard, too_hard
    assert overall <= MAX_GRADE


def test_screen_text_reading_level():
    at = app()
    texts = [m.value for m in at.markdown if not m.value.startswith("<")] + [c.value for c in at.caption]
    texts += [i.value for i in at.info]
    plain = [re.sub(r"[*_`#\[\]():]|https?://\S+", " ", t) for t in texts]
    grade = textstat.flesch_kincaid_grade(" ".join(plain))
    report(f"readability: consult screen words: US grade {grade:.1f}")
    assert grade <= MAX_GRADE


def test_no_option_is_described_with_prescriptive_words():
    hits = [t for ts in groups().values() for t in ts if PRESCRIPTIVE.search(t)]
    assert hits == []
    for path in [ROOT / "app.py", *(ROOT / "app_pages").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not PRESCRIPTIVE.search(node.value), f"{path.name}: {node.value!r}"


def test_prescriptive_word_check_can_fail():
    assert PRESCRIPTIVE.search("PCDT is the best option for you")
    assert PRESCRIPTIVE.search("You should choose CDT")
    assert not PRESCRIPTIVE.search("The guideline suggests blood thinners alone")


CLINICAL = re.compile(r"\d+(\.\d+)?\s?%|\b\d+(\.\d+)? (in|of|per) (100|1,?000)\b")
ENGINE_AND_UI = ["sdm/engine/compute.py", "sdm/present/grid.py", "sdm/present/tables.py", "sdm/present/html_views.py", "sdm/engine/scenario.py",
                 "sdm/engine/result.py", "sdm/words/wording.py", "app.py", *[str(p.relative_to(ROOT)) for p in
                                                              (ROOT / "app_pages").rglob("*.py")]]


@pytest.mark.parametrize("relpath", ENGINE_AND_UI)
def test_no_clinical_number_literals_in_engine_or_ui_code(relpath):
    tree = ast.parse((ROOT / relpath).read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, float) and 0 < node.value < 1:
            raise AssertionError(f"{relpath}:{node.lineno}: probability-like literal {node.value}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.replace("95%", "")  # the confidence level, not a clinical figure
            if "{" in text and ";" in text and ":" in text:  # a CSS block
                continue
            assert not CLINICAL.search(text), f"{relpath}:{node.lineno}: {node.value!r}"
