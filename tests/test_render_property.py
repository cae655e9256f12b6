"""What validates, renders: valid evidence with longer texts draws every page and the handout.

Each example mutates a copy of the real data/: it lengthens a share of the text fields (found from the pydantic
models, tests/evidence_text.py) up to their declared max_length, with words drawn by hypothesis (any Unicode,
punctuation and the allowed markup included). The copy must pass the loader (it is valid by construction); then
the consult page (a drawn scenario and view), the teaching page (a drawn case) and the methods page run through
AppTest with no exception, and the handout is made for the same scenario: a PDF, a third page allowed.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass

import pytest
import streamlit as st
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hs
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import sdm
from sdm import teaching
from sdm.evidence import loader as evidence
from sdm.evidence import safe_text
from sdm.evidence.models import Location, Tier
from sdm.outputs import handout, urlstate
from tests import evidence_text
from tests.apptest_helpers import APP
from tests.safety_plugin import report
from tests.strategies import CIS, scenario_fields

ERROR_TITLE = "The evidence files could not be read"
ALLOWED_MARKUP = ["*emphasis*", "**strong words**", "_stress_", "[a DOI](https://doi.org/10.1000/182)",
                  "https://pubmed.ncbi.nlm.nih.gov/12345678/"]
CASES = [v.id for v in teaching.load_vignettes(sdm.default())]
TALLY = {"variants": 0, "pages": 0, "failures": 0, "handouts": 0, "handout_pages": {}, "slots": 0, "chars": 0}

# A "word" is any run of characters that holds no markup on its own; joined by spaces, words cannot form an
# image, a tag, a link or an address either (each of those needs its characters side by side).
word = hs.text(hs.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda w: w.strip() and safe_text.problem(w) is None)


@dataclass
class Variant:
    seed: int
    share: float  # of text fields lengthened
    to_max: bool  # lengthened to exactly max_length, or to a random length up to it
    words: list[str]
    fields: dict
    view: str
    case: str


variants = hs.builds(
    Variant,
    seed=hs.integers(0, 2**32 - 1),
    share=hs.sampled_from([0.05, 0.3, 1.0]),
    to_max=hs.booleans(),
    words=hs.lists(word | hs.sampled_from(ALLOWED_MARKUP), min_size=1, max_size=6),
    fields=hs.fixed_dictionaries({
        "location": hs.sampled_from([loc.value for loc in Location]),
        "symptom_days": hs.integers(0, 60),
        "bleeding_tier": hs.sampled_from([t.value for t in Tier]),
        "contraindications": hs.lists(hs.sampled_from(CIS), unique=True, max_size=3).map(tuple),
        "limb_threatening": hs.booleans(),
        "goals": scenario_fields.map(lambda f: f["goals"]),
    }),
    view=hs.sampled_from(urlstate.VIEWS),
    case=hs.sampled_from(CASES),
)


def mutate(folder, v: Variant) -> tuple[int, int]:
    """Lengthen a share of the copy's text fields; the number of fields lengthened and characters added."""
    docs = evidence_text.read(folder)
    rng = random.Random(v.seed)
    added = changed = 0
    for slot in evidence_text.slots(folder, docs):
        if rng.random() >= v.share or len(slot.value) >= slot.max_length:
            continue
        target = slot.max_length if v.to_max else rng.randint(len(slot.value) + 1, slot.max_length)
        new = evidence_text.lengthen(slot.value, target, v.words, rng)
        if slot.is_key and new in slot.container:
            continue
        added += len(new) - len(slot.value)
        changed += 1
        slot.set(new)
    evidence_text.write(folder, docs)
    return changed, added


def fresh() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    evidence._cached.cache_clear()


def render_pages(base, v: Variant) -> int:
    """Consult, teaching and methods through AppTest; the number of pages drawn without an exception."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    scenario = sdm.make(base.rules, **v.fields)
    for k, value in urlstate.to_params(scenario, 100, v.view).items():
        at.query_params[k] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] != [ERROR_TITLE], [m.value for m in at.markdown][:3]
    # the page drew the mutated evidence (not a cached copy of data/)
    assert at.markdown[0].value.startswith(f"**{safe_text.markdown(base.content.decision)}**")
    at.switch_page("app_pages/teaching.py").run()
    if v.case != CASES[0]:
        at.selectbox(key="teach_case").set_value(v.case).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Teaching" in t.value for t in at.title)
    at.switch_page("app_pages/methods.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Methods" in t.value for t in at.title)
    return 3


def make_handout(base, v: Variant) -> int:
    result = sdm.run(sdm.make(base.rules, **v.fields), base)
    data = handout.render(result, base, per=100)  # raises if the handout cannot be made
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    first = reader.pages[0].extract_text() or ""
    assert f"Page 1 of {pages}" in first
    return pages


EVERY_FIELD_AT_MAX = Variant(seed=1, share=1.0, to_max=True, words=["plain", "words", "*emphasis*"],
                             fields={"location": "iliocaval", "symptom_days": 3, "bleeding_tier": "high",
                                     "contraindications": tuple(CIS[:3]), "limb_threatening": True, "goals": ()},
                             view="table", case=CASES[-1])


@pytest.fixture(scope="module", autouse=True)
def _summary():
    yield
    fresh()
    pages = ", ".join(f"{n} page{'s' if n > 1 else ''}: {c}" for n, c in sorted(TALLY["handout_pages"].items()))
    report(f"render property: {TALLY['variants']} evidence variants x 3 pages + handout, {TALLY['failures']} "
           f"failures ({TALLY['chars']:,} characters added to {TALLY['slots']} text fields in all; "
           f"handouts by length: {pages})")


@settings(max_examples=int(os.environ.get("RENDER_EXAMPLES", "30")), deadline=None, derandomize=False, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.large_base_example])
@example(EVERY_FIELD_AT_MAX)
@given(variants)
def test_valid_evidence_with_longer_text_renders_every_page_and_the_handout(tmp_path_factory, v):
    folder = evidence_text.copy_data(tmp_path_factory.mktemp("data") / "data")
    changed, added = mutate(folder, v)
    TALLY["slots"] += changed
    TALLY["chars"] += added
    TALLY["variants"] += 1
    before = os.environ.get("SDM_DATA_DIR")
    os.environ["SDM_DATA_DIR"] = str(folder)
    fresh()
    try:
        base = sdm.load(folder)  # valid by construction: the loader must accept it
        TALLY["pages"] += render_pages(base, v)
        pages = make_handout(base, v)
        TALLY["handouts"] += 1
        TALLY["handout_pages"][pages] = TALLY["handout_pages"].get(pages, 0) + 1
    except BaseException:
        TALLY["failures"] += 1
        raise
    finally:
        if before is None:
            os.environ.pop("SDM_DATA_DIR", None)
        else:
            os.environ["SDM_DATA_DIR"] = before
        fresh()
