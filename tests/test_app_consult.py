"""AppTest: the consult page, every input and each view, against the engine."""

import html
import json

import pytest
import streamlit as st

import sdm
from sdm.words import wording
from tests.apptest_helpers import all_text, app, icon_cells, opened
from tests.safety_plugin import report

BASE = sdm.default()


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def engine(**fields):
    return sdm.run(sdm.make(BASE.rules, **fields), BASE)


def assert_icons_match_engine(at, result, per):
    cells = icon_cells(at)
    assert cells, "no icon arrays drawn"
    checked = 0
    for (option_id, outcome_id), arrays in cells.items():
        o = result.option(option_id).outcome(outcome_id)
        first = arrays[0]
        assert first["total"] == per
        assert first["had"] + first["maybe-had"] == wording.count(o.risk, per)
        if o.risk_low is not None:
            assert first["had"] == min(wording.count(o.risk_low, per), wording.count(o.risk, per))
            assert first["total"] - first["did-not"] == max(wording.count(o.risk_high, per), wording.count(o.risk, per))
        if o.comparator_risk is not None and o.comparison != "reference":  # the row's reference, beside each option
            assert arrays[1]["had"] + arrays[1]["maybe-had"] == wording.count(o.comparator_risk, per)
        else:
            assert len(arrays) == 1
        checked += 1
    report(f"icon-count check: {checked} cells, {sum(len(a) for a in cells.values())} icon arrays match the engine")
    return checked


PICTURES = {"view": "pictures"}  # the detailed pictures: every figure with the row's reference beside it


def test_default_scenario_icon_counts_equal_engine():
    at = app(PICTURES)
    assert not at.exception
    n = assert_icons_match_engine(at, engine(location="iliofemoral", symptom_days=7, bleeding_tier="low"), 100)
    assert n >= 10


@pytest.mark.parametrize("per", [100, 1000])
def test_icon_counts_for_each_denominator(per):
    at = app({"loc": "femoropopliteal", "days": "10", "bleed": "moderate", "per": str(per), **PICTURES})
    assert not at.exception
    assert_icons_match_engine(at, engine(location="femoropopliteal", symptom_days=10, bleeding_tier="moderate"), per)


def test_changing_location_updates_everything():
    at = app(PICTURES)
    at.selectbox(key="in_location").set_value("distal").run()
    assert not at.exception
    text = all_text(at)
    assert "Not studied in calf clots" in text
    result = engine(location="distal", symptom_days=7, bleeding_tier="low")
    assert_icons_match_engine(at, result, 100)
    assert at.query_params["loc"] == ["distal"] or at.query_params["loc"] == "distal"


def test_every_input_changes_the_scenario():
    at = app(PICTURES)
    at.number_input(key="in_days").set_value(40).run()
    at.checkbox(key="in_limb").check().run()
    at.checkbox(key="in_iliac").check().run()
    at.number_input(key="in_age").set_value(80).run()
    at.radio(key="in_bleeding").set_value("high").run()
    opened(at, "open_in_ci").button_group(key="in_ci_absolute").set_value(["active_bleeding"]).run()
    at.multiselect(key="in_goals").set_value(["fast_relief", "avoid_bleeding"]).run()
    assert not at.exception
    expected = engine(location="iliofemoral", symptom_days=40, limb_threatening=True, iliac_compression=True, age=80,
                      bleeding_tier="high", contraindications=("active_bleeding",),
                      goals=("fast_relief", "avoid_bleeding"))
    assert_icons_match_engine(at, expected, 100)
    text = all_text(at)
    assert "Not safe for this patient" in text and "emergency" in text
    assert text.index('data-outcome="early_symptom_relief"') < text.index('data-outcome="major_bleeding"')


def test_folding_a_checklist_away_keeps_its_ticks():
    """A fold is built only while open (app_pages/parts/lazy.py): closed, its ticks are the scenario's, so a
    contraindication ticked and folded away still greys the procedures, and opening the fold shows it again."""
    at = opened(app(PICTURES), "open_in_ci", "open_in_chest")
    at.button_group(key="in_ci_absolute").set_value(["active_bleeding"]).run()
    at.radio(key="in_bleeding").set_value("checklist").run()
    at.button_group(key="in_chest").set_value(["cancer", "diabetes"]).run()
    for key in ("open_in_ci", "open_in_chest"):
        at.session_state[key] = False
    at.run()
    checklists = ("in_ci_absolute", "in_ci_relative", "in_chest", "in_vte")
    assert not at.exception and not [b for b in at.button_group if b.key in checklists]  # closed: none drawn
    at.number_input(key="in_days").set_value(9).run()  # another change while they are closed
    expected = engine(location="iliofemoral", symptom_days=9, chest_factors=("cancer", "diabetes"),
                      contraindications=("active_bleeding",))
    assert expected.bleeding.tier == "high" and expected.option("cdt").status == "contraindicated"
    assert_icons_match_engine(at, expected, 100)
    assert "Not safe for this patient" in all_text(at)
    ci = at.query_params["ci"]
    assert "active_bleeding" in (ci if isinstance(ci, str) else ci[-1])
    opened(at, "open_in_ci", "open_in_chest")
    assert at.button_group(key="in_ci_absolute").value == ["active_bleeding"]
    assert at.button_group(key="in_chest").value == ["cancer", "diabetes"]


def test_bleeding_checklist_mode():
    at = app(PICTURES)
    at.radio(key="in_bleeding").set_value("checklist").run()
    opened(at, "open_in_chest").button_group(key="in_chest").set_value(["cancer", "diabetes"]).run()
    assert not at.exception
    expected = engine(location="iliofemoral", symptom_days=7, chest_factors=("cancer", "diabetes"))
    assert expected.bleeding.tier == "high"
    assert_icons_match_engine(at, expected, 100)


@pytest.mark.parametrize("view", ["goals", "table", "tradeoff"])
def test_each_view_renders(view):
    at = app({"view": view})
    assert not at.exception
    if view == "table":
        html = next(el.proto.body for el in at.get("html") if 'class="qgrid"' in el.proto.body)
        heads = ['<th scope="col">' + name + "</th>" for name in
                 ("Question", "Blood thinners alone", "CDT", "PCDT", "Thrombectomy", "Stent")]
        assert [html.index(h) for h in heads] == sorted(html.index(h) for h in heads)
        assert '<th scope="row">How many have serious bleeding?</th>' in html
    elif view == "tradeoff":
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        names = {t["name"] for t in spec["data"]}
        assert {"Clot-dissolving drug through a catheter", "Clot-dissolving drug plus a clot-removal device"} <= names
        r = engine(location="iliofemoral", symptom_days=7, bleeding_tier="low")
        pcdt = next(t for t in spec["data"] if t["text"] == ["PCDT"])
        bleed = r.option("pcdt").outcome("major_bleeding")
        assert pcdt["x"][0] == pytest.approx((bleed.risk - bleed.comparator_risk) * 100)
        pts = r.option("pcdt").outcome("pts_any")
        assert pcdt["y"][0] == pytest.approx((pts.comparator_risk - pts.risk) * 100)
        at.radio(key="in_tradeoff_pts").set_value("pts_moderate_severe").run()
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert [t["text"] for t in spec["data"]] == [["PCDT"]]  # CDT has no moderate-or-severe figure here
        pts = r.option("pcdt").outcome("pts_moderate_severe")
        assert spec["data"][0]["y"][0] == pytest.approx((pts.comparator_risk - pts.risk) * 100)
    else:
        assert_icons_match_engine(at, engine(location="iliofemoral", symptom_days=7, bleeding_tier="low"), 100)


def test_hostile_link_gets_a_message_not_a_traceback():
    at = app({"loc": "<img src=x onerror=alert(1)>", "days": "-5", "view": "<b>"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "From the link" in warnings
    assert "<img src=x" not in warnings


def test_link_reopens_a_scenario():
    at = app({"loc": "iliocaval", "days": "18", "bleed": "moderate", "limb": "1", "goals": "save_limb,avoid_pts"})
    assert not at.exception
    assert at.selectbox(key="in_location").value == "iliocaval"
    assert at.number_input(key="in_days").value == 18
    assert at.checkbox(key="in_limb").value is True
    assert at.multiselect(key="in_goals").value == ["save_limb", "avoid_pts"]


def test_guidelines_are_attributed_and_always_at_hand_parts_present():
    at = opened(app())  # the guidelines are one click away
    text = html.unescape(all_text(at))  # as the reader sees the page's HTML
    assert "not this tool's advice" in text
    assert "The CHEST 2021 guideline suggests" in text or "CHEST 2021 guideline suggests" in text
    for part in BASE.content.urgent_signs[:2] + BASE.content.questions_to_ask[:2]:
        assert part in text
    assert BASE.content.not_advice in text
