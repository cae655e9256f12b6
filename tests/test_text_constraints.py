"""What validates, renders; evidence text is text.

- Every free-text field in data/ declares a max_length and refuses markup (images, raw HTML, links or addresses of
  other hosts), in the pydantic models, so `python -m sdm validate` refuses it with one line naming file, record
  and field; the teaching and methods pages' own files are checked with the rest.
- Text at the declared maximum still makes a handout: it runs on to another page instead of failing, and the
  download always gives a file.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from pypdf import PdfReader

import sdm
from sdm import teaching
from sdm.evidence import loader as evidence
from sdm.outputs import handout
from sdm.teaching import methods
from tests import evidence_text
from tests.apptest_helpers import APP, all_text

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = {teaching.VIGNETTES_FILE, teaching.PROMPTS_FILE, methods.IPDAS_FILE}
ERROR_TITLE = "The evidence files could not be read"


@pytest.fixture(autouse=True)
def _fresh():
    st.cache_data.clear()
    st.cache_resource.clear()
    evidence._cached.cache_clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    evidence._cached.cache_clear()


def validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sdm", "validate", str(folder)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_every_text_field_declares_a_max_length():
    slots = list(evidence_text.every_slot())  # raises for a free-text field or key without one
    assert len(slots) > 500
    assert {s.file for s in slots} == set(evidence_text.FILES)
    assert all(len(s.value) <= s.max_length for s in slots)


@pytest.mark.parametrize("files", ["evidence", "pages"])
def test_planted_markup_in_any_text_field_is_refused_field_by_field(tmp_path, files):
    """Plant an image in every text field of the main files (or of the pages' own files): the loader names each."""
    folder = evidence_text.copy_data(tmp_path / "data")
    docs = evidence_text.read(folder)
    chosen = [s for s in evidence_text.slots(folder, docs) if (s.file in PAGE_FILES) == (files == "pages")]
    for i, s in enumerate(chosen):
        evidence_text.plant(s, "127.0.0.1:9", f"s{i}")
    evidence_text.write(folder, docs)
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.load(folder)
    images = [p for p in refused.value.problems if p.message.startswith("holds an image")]
    others = [str(p) for p in refused.value.problems if p not in images][:5]
    # every planted field is found; the loader spells out the first MAX_PROBLEMS_SHOWN of a file and counts the rest
    assert not others and len(images) + refused.value.more == len(chosen), others
    per_file = {f: sum(s.file == f for s in chosen) for f in {s.file for s in chosen}}
    assert {p.file for p in images} == set(per_file)
    for f in per_file:
        assert sum(p.file == f for p in images) >= min(per_file[f], evidence.MAX_PROBLEMS_SHOWN)
    for p in images:
        assert p.record and p.field and p.field != "(record)"
        assert "\n" not in str(p) and "127.0.0.1" not in p.message


def test_markup_line_from_validate(tmp_path):
    folder = evidence_text.copy_data(tmp_path / "data")
    path = folder / "guidelines.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('statement: "', 'statement: "![](http://127.0.0.1:9/x.png) ', 1),
                    encoding="utf-8")
    out = validate(folder)
    assert out.returncode == 1
    lines = [line.strip() for line in out.stderr.splitlines()[1:]]
    assert lines == ["guidelines.yaml: record 'chest2021_s6 (item 1)', field 'statement': holds an image (character 1); "
                     "evidence text may use only emphasis and links to doi.org or PubMed"], out.stderr


def test_a_vignette_title_over_120_characters_is_refused_and_the_teaching_page_says_so(tmp_path, monkeypatch):
    """The issue's example: it passed validate and crashed the teaching page."""
    from streamlit.testing.v1 import AppTest

    folder = evidence_text.copy_data(tmp_path / "data")
    docs = evidence_text.read(folder)
    docs[teaching.VIGNETTES_FILE][0]["title"] = "A young runner with a clot high in the leg " * 3
    evidence_text.write(folder, docs)
    out = validate(folder)
    assert out.returncode == 1
    vid = docs[teaching.VIGNETTES_FILE][0]["id"]
    assert out.stderr.splitlines()[1].strip() == (
        f"vignettes.yaml: record '{vid} (item 1)', field 'title': String should have at most 120 characters")
    monkeypatch.setenv("SDM_DATA_DIR", str(folder))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("app_pages/teaching.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == [ERROR_TITLE]
    assert "vignettes.yaml" in all_text(at) and "title" in all_text(at)


@pytest.mark.parametrize("text", ["   ", "\t\n"])
def test_blank_text_is_refused(tmp_path, text):
    folder = evidence_text.copy_data(tmp_path / "data")
    docs = evidence_text.read(folder)
    docs["content.yaml"]["not_advice"] = text
    evidence_text.write(folder, docs)
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.load(folder)
    assert [str(p) for p in refused.value.problems] == [
        "content.yaml: record '(whole file)', field 'not_advice': holds only spaces"]


# ----------------------------------------------------------------- the handout never fails silently


@pytest.fixture(scope="module")
def longest(tmp_path_factory):
    folder = evidence_text.longest_copy(tmp_path_factory.mktemp("long") / "data")
    return sdm.load(folder)


def pages_and_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(p.extract_text() or "" for p in reader.pages)


def test_text_at_its_maximum_runs_past_two_pages_instead_of_failing(longest):
    result = sdm.run(sdm.make(longest.rules, location="iliocaval", symptom_days=3, bleeding_tier="high",
                              limb_threatening=True), longest)
    pdf, fit = handout.layout(result, longest)
    assert fit.tightest  # the tightest styles, and they still did not fit on three pages
    n, text = pages_and_text(bytes(pdf.output()))
    assert n > handout.MAX_PAGES
    assert f"Page {n} of {n}" in text
    flat = " ".join(text.split())
    assert " ".join(longest.content.not_advice.split())[:60] in flat  # drawn, not dropped
    assert handout.render_for_download(result, longest).startswith(b"%PDF")


def test_the_download_gives_a_file_that_says_so_when_the_handout_cannot_be_made(monkeypatch, caplog):
    base = sdm.default()
    result = sdm.run(sdm.make(base.rules, location="iliofemoral", symptom_days=23, age=87, bleeding_tier="low"),
                     base)

    def broken(*args, **kwargs):
        raise RuntimeError("iliofemoral 23 days age 87")  # a message that carries entered values

    monkeypatch.setattr(handout, "render", broken)
    with caplog.at_level(logging.ERROR, logger="sdm.outputs.handout"):
        data = handout.render_for_download(result, base)
    assert data.startswith(b"%PDF")
    n, text = pages_and_text(data)
    assert n == 1 and "could not be made" in text
    assert caplog.records and "RuntimeError" in caplog.text
    assert "87" not in caplog.text and "iliofemoral" not in caplog.text


# ----------------------------------------------------------------- a teaching page crash found on the way
