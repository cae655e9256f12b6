"""AppTest: teaching and methods pages, and the readiness questions on the consult page."""

import json
from typing import get_args

import pytest
import streamlit as st

import sdm
from app_pages.parts.teach import STATUS_WORD
from sdm import teaching
from sdm.engine.result import Status
from sdm.teaching import methods
from sdm.words.wording import per100
from tests.apptest_helpers import all_text, app, opened, shown

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


def test_a_case_with_ticks_opens_their_folds_even_after_they_were_closed():
    """A case's contraindications and checklist ticks show in open folds, whatever the folds were before."""
    at = app()
    at.session_state["open_in_ci"] = False  # the fold seen closed first, in this session
    at.run()
    at.switch_page("app_pages/teaching.py").run()
    target = next(c for c in teaching.load_vignettes(BASE) if c.scenario.contraindications and c.scenario.chest_factors)
    at.selectbox(key="teach_case").set_value(target.id).run()
    at.button(key="teach_open").click().run()
    assert not at.exception
    ticked = set(at.button_group(key="in_ci_absolute").value) | set(at.button_group(key="in_ci_relative").value)
    assert ticked == {c for c in target.scenario.contraindications}
    assert at.button_group(key="in_chest").value == list(target.scenario.chest_factors)


def test_side_by_side_highlights_what_changed():
    at = teaching_page()
    at.selectbox(key="teach_loc").set_value("distal").run()
    text = all_text(at)
    assert "What changed" in text
    assert "Clot location" in text
    # the reference of a row is named once, not once for every option compared with it
    label = next(o.label for o in BASE.vocabulary.outcomes if o.id == "pts_moderate_severe")
    assert text.count(f"{label}, blood thinners alone (the figure every option") == 1


def test_side_by_side_tables_show_each_rows_reference_beside_each_option():
    at = teaching_page()
    case = teaching.load_vignettes(BASE)[0]
    r = sdm.run(case.scenario, BASE)
    table = at.dataframe[0].value.set_index("Option")
    for oid, head in (("pts_moderate_severe", "Moderate or severe PTS"), ("major_bleeding", "Serious bleeding")):
        ref = r.reference(oid)
        pcdt = r.option("pcdt").outcome(oid)
        assert pcdt.comparator_risk == ref.risk
        assert table.loc["PCDT", head] == f"{per100(pcdt.risk)} vs {per100(ref.risk)}"
        assert table.loc["Blood thinners alone", head] == f"{per100(ref.risk)} (the reference)"
    captions = " ".join(shown(c.value) for c in at.caption)  # as the reader sees it (safe text is escaped)
    for line in teaching.reference_lines(r, BASE):
        assert line.text in captions


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
            assert low["text"][i][j].startswith({"studied": "studied", "one_group": "one group", "indirect": "indirect",
                                                  "no_evidence": "not studied", "contraindicated": "not safe"}[cell.status])
            if cell.major_bleeding_comparator is not None:
                assert low["text"][i][j].endswith(f"alone {per100(r.reference('major_bleeding').risk)}")
    # every status has its own colour (none clipped onto another) and the key names each one in words
    assert {h["zmin"] for h in heatmaps} == {0} and {h["zmax"] for h in heatmaps} == {len(get_args(Status)) - 1}
    key = [t["name"] for t in spec["data"] if t["type"] == "scatter" and t.get("showlegend")]
    assert sorted(key) == sorted(STATUS_WORD[s] for s in get_args(Status))


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
    shown = at.dataframe[-1].value
    assert "Published figure" not in shown.columns
    assert list(shown["Answer per 100"]) == [per100(it.truth) for it in items]
    figures = [it.figure for it in items]
    assert "worked_out" in figures and "published" in figures
    for it, where, alone in zip(items, shown["Where the answer comes from"], shown["Blood thinners alone per 100"],
                                strict=True):
        assert where.startswith("Published") == (it.figure == "published"), (it.id, where)
        if it.figure == "worked_out":
            assert where.startswith("Worked out from") and alone == per100(it.reference)


def test_revealing_with_no_guesses_says_so_instead_of_failing():
    at = teaching_page()
    at.button[-1].click().run()
    assert not at.exception
    assert any("at least one guess" in w.value for w in at.warning)


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
    at = opened(app(), "open_readiness")
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
    at.session_state["open_readiness"] = False  # folding the whole section away keeps them too
    assert "Score: 3 of 4." not in all_text(at.run()) and not at.exception
    assert "Score: 3 of 4." in all_text(opened(at, "open_readiness"))
    assert at.radio(key="who_decides").value == "shared"
