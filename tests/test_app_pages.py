"""AppTest: teaching and methods pages, and the readiness questions on the consult page."""

import json

import pytest
import streamlit as st

import sdm
from sdm import methods, teaching
from tests.apptest_helpers import all_text, app

BASE = sdm.default()


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def teaching_page():
    at = app()
    at.switch_page("app_pages/teaching.py").run()
    assert not at.exception
    return at


def test_teaching_case_library_lists_every_vignette():
    at = teaching_page()
    options = at.selectbox(key="teach_case").options
    assert len(options) == len(teaching.load_vignettes(BASE)) >= 8


def test_opening_a_case_loads_it_into_the_consult_view():
    at = teaching_page()
    cases = teaching.load_vignettes(BASE)
    target = next(c for c in cases if c.scenario.location.value == "distal")
    at.selectbox(key="teach_case").set_value(target.id).run()
    at.button(key="teach_open").click().run()
    assert not at.exception
    assert at.selectbox(key="in_location").value == "distal"
    assert at.number_input(key="in_days").value == target.scenario.symptom_days


def test_side_by_side_highlights_what_changed():
    at = teaching_page()
    at.selectbox(key="teach_loc").set_value("distal").run()
    text = all_text(at)
    assert "What changed" in text
    assert "Clot location" in text


def test_sensitivity_view_equals_engine_output():
    at = teaching_page()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmaps = [t for t in spec["data"] if t["type"] == "heatmap"]
    assert len(heatmaps) == 3  # one per bleeding tier
    grid = teaching.sensitivity_grid(BASE)
    low = heatmaps[0]
    locs = ["distal", "femoropopliteal", "iliofemoral", "iliocaval"]
    days = sorted({c.days for c in grid})
    for i, loc in enumerate(locs):
        for j, d in enumerate(days):
            cell = next(c for c in grid if c.option == "pcdt" and c.tier.value == "low" and c.location.value == loc
                        and c.days == d)
            r = sdm.run(sdm.make(BASE.rules, location=loc, symptom_days=d, bleeding_tier="low"), BASE)
            assert cell.status == r.option("pcdt").status
            assert low["text"][i][j].startswith({"studied": "studied", "indirect": "indirect",
                                                  "no_evidence": "not studied", "contraindicated": "not safe"}[cell.status])


def test_guess_first_scores_the_guesses():
    at = teaching_page()
    inputs = [n for n in at.number_input if str(n.key).startswith("guess_")]
    assert inputs
    for n in inputs:
        n.set_value(10)
    at.button[-1].click().run()  # the form's Reveal button
    case = teaching.load_vignettes(BASE)[0]
    items = teaching.guess_items(sdm.run(case.scenario, BASE), BASE)[: len(inputs)]
    expected = teaching.score_guesses({it.id: 0.10 for it in items}, teaching.truths(items))
    assert expected.summary in all_text(at)
    assert "Published figure" in at.dataframe[-1].value.columns


def test_methods_page_shows_formulas_gaps_and_ipdas_table():
    at = app()
    at.switch_page("app_pages/methods.py").run()
    assert not at.exception
    text = all_text(at)
    for f in methods.formulas(BASE):
        assert f.name in text
    for g in BASE.gaps:
        assert g.text in text
    ipdas = at.dataframe[-1].value
    assert len(ipdas) == len(methods.ipdas_table(BASE))
    assert {"Q1", "C1", "C6"} <= set(ipdas["Criterion"])


def test_readiness_questions_score_and_reach_the_handout():
    at = app()
    at.toggle(key="sure_before_open").set_value(True).run()
    for item in ("sure", "understand", "risk_benefit", "encouragement"):
        at.button_group(key=f"sure_before_{item}").set_value("Yes" if item != "sure" else "No").run()
    assert not at.exception
    assert "Score: 3 of 4." in all_text(at)
    at.toggle(key="sure_after_open").set_value(True).run()
    at.radio(key="who_decides").set_value("shared").run()
    assert not at.exception
    at.toggle(key="sure_before_open").set_value(False).run()
    at.toggle(key="sure_before_open").set_value(True).run()
    assert "Score: 3 of 4." in all_text(at)  # answers kept for the session while hidden
