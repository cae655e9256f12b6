"""AppTest: a link never lowers the bleeding tier it states (issue 10).

`?loc=iliofemoral&days=7&chest=cancr&bleed=high` used to drop the mistyped factor and the level with it, end at
low, rewrite the address to bleed=low and write "low (method: entered)" in the chart note.
"""

import pytest
import streamlit as st

import sdm
from tests.apptest_helpers import app, opened
from tests.test_app_consult import assert_icons_match_engine, engine

BASE = sdm.default()
MISTYPED = {"loc": "iliofemoral", "days": "7", "chest": "cancr", "bleed": "high"}
NOT_RECOGNISED = "A bleeding risk factor in the link was not recognised"


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def bleeding_section(at) -> list:
    """The side panel's elements from the bleeding question to the next input (the pictures' denominator)."""
    section, inside = [], False
    for el in at.sidebar:
        key = getattr(el, "key", None)
        if key == "in_per":
            break
        if inside:
            section.append(el)
        inside = inside or key == "in_bleeding"
    return section


def notes_next_to_the_input(at) -> list[str]:
    return [el.value for el in bleeding_section(at) if type(el).__name__ == "Warning"]


def chart_note(at) -> str:
    """The chart note, one click away (its expander is built only while open)."""
    return next(c.value for c in opened(at, "open_note").code if c.value.startswith("DVT treatment"))


def query(at) -> dict:
    return {k: at.query_params[k][-1] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


def test_mistyped_factor_with_bleed_high_keeps_high_says_so_and_records_it():
    at = app({**MISTYPED, "view": "pictures"})
    assert not at.exception
    # the tier used is high: every icon array on the page is the high-tier scenario's
    assert_icons_match_engine(at, engine(location="iliofemoral", symptom_days=7, bleeding_tier="high"), 100)
    notes = notes_next_to_the_input(at)
    assert notes, "no message next to the bleeding input"
    said = " ".join(notes)
    assert NOT_RECOGNISED in said and "The higher level, high, is used." in said
    assert "cancr" not in said  # the link's own text is never echoed
    assert query(at)["bleed"] == "high"
    note = chart_note(at)
    assert ("Bleeding risk tier: high (entered as high; checklist gives low; a bleeding risk factor in the link was "
            "not recognised and was not counted; the higher is used).") in note
    assert "Bleeding risk tier: low" not in note

    # another input changes; the level, the message and the address stay
    at.number_input(key="in_age").set_value(60).run()
    assert not at.exception
    assert query(at)["bleed"] == "high" and NOT_RECOGNISED in " ".join(notes_next_to_the_input(at))
    assert "Bleeding risk tier: high (entered as high" in chart_note(at)


def test_level_and_checklist_in_one_link_use_the_higher_and_keep_both_in_the_address():
    at = app({"chest": "cancer", "bleed": "high", "view": "pictures"})  # the checklist alone gives moderate
    assert not at.exception
    assert at.radio(key="in_bleeding").value == "checklist" and at.button_group(key="in_chest").value == ["cancer"]
    assert_icons_match_engine(at, engine(location="iliofemoral", symptom_days=7, bleeding_tier="high"), 100)
    assert "the checklist gives moderate. The higher level, high, is used." in " ".join(notes_next_to_the_input(at))
    assert (query(at)["bleed"], query(at)["chest"]) == ("high", "cancer")
    assert "Bleeding risk tier: high (entered as high; checklist gives moderate; the higher is used)." in chart_note(at)

    # only a deliberate choice drops the level: unticking "keep the level given in the link"
    at.checkbox(key="in_bleed_floor").uncheck().run()
    assert not at.exception
    assert "bleed" not in query(at) and query(at)["chest"] == "cancer"
    assert "Bleeding risk tier: moderate (method: chest count)." in chart_note(at)
    assert not notes_next_to_the_input(at)


def test_leaving_the_checklist_means_picking_a_level():
    """One question (a level, or the checklist): leaving the checklist for a level is a pick, none is implied."""
    at = app({"chest": "cancer", "bleed": "high", "view": "pictures"})
    assert at.radio(key="in_bleeding").value == "checklist"
    at.radio(key="in_bleeding").set_value("high").run()
    assert not at.exception
    assert query(at)["bleed"] == "high" and "chest" not in query(at)
    assert "Bleeding risk tier: high (method: entered)." in chart_note(at)


def test_full_width_days_are_refused_with_the_usual_message():
    at = app({"loc": "distal", "days": "\uff11\uff18", "bleed": "moderate"})  # "18" in full-width digits
    assert not at.exception
    assert at.number_input(key="in_days").value == 7
    assert any("'days' could not be read" in w.value for w in at.warning)
