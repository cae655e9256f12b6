"""What a change of input redraws on the consult page (app_pages/consult.py, app_pages/parts/inputs.py).

These use AppTest as it is (not tests.apptest_helpers.WholePage), so a run holds only what it drew: a change the
results alone show reruns the results and leaves the inputs and the take-home part as drawn; a change the panel
shows as well (a warning beside days or age, the checklists, a notice) draws the inputs again; an open chart note
is drawn again. Either way the results are those of the whole page's run, and the handout made at a click is that
of the results on screen."""

from __future__ import annotations

import io
from html import escape

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import sdm
from app_pages.parts import sections, state
from tests.apptest_helpers import APP, html_bodies

LINK = {"loc": "iliofemoral", "days": "7", "bleed": "low"}


def _page(query=LINK) -> AppTest:
    at = AppTest(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _summary(at: AppTest) -> str:
    return next(b for b in html_bodies(at) if 'class="sumx"' in b)


def _inputs_drawn(at: AppTest) -> bool:
    """The side panel's inputs fragment ran (the clot's location is drawn by the results: _location_drawn)."""
    return any(w.key == "in_days" for w in at.number_input)


def _location_drawn(at: AppTest) -> bool:
    return any(w.key == "in_location" for w in at.selectbox)


def _take_home_drawn(at: AppTest) -> bool:
    return bool(at.get("download_button"))


def _handout_at_a_click(at: AppTest) -> str:
    """The text of the handout made from what the results hold now, as the download button makes it."""
    pdf = sections.handout_now(at.session_state[state.DRAWN], sdm.default(), lines=[])
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# The clot's location is not here: the results draw it, so a browser's change of it reruns the results fragment
# without a callback (tests/e2e/test_runs_per_change.py shows it on the wire), which AppTest cannot do: it sends
# no fragment id, so a change without a keyed rerun runs the whole page (test_a_change_of_location_...).
RESULTS_ONLY = [
    ("goals", lambda at: at.multiselect(key="in_goals").set_value(["avoid_pts"])),
    ("leg threatened", lambda at: at.checkbox(key="in_limb").check()),
    ("squeezed vein", lambda at: at.checkbox(key="in_iliac").check()),
    ("denominator", lambda at: at.radio(key="in_per").set_value(1000)),
]


@pytest.mark.parametrize("name,change", RESULTS_ONLY, ids=[n for n, _ in RESULTS_ONLY])
def test_a_change_the_results_alone_show_reruns_the_results_alone(name, change):
    at = _page()
    before = _summary(at)
    change(at).run()
    assert not at.exception
    assert not _inputs_drawn(at), f"the inputs were sent again after a change of {name}"
    assert not _take_home_drawn(at), f"the take-home part was sent again after a change of {name}"
    assert _location_drawn(at), f"the results did not draw the clot's location after a change of {name}"
    assert at.selectbox(key="in_location").value == "iliofemoral"
    partial = _summary(at)
    assert partial != before, f"the results did not follow the change of {name}"
    at.run()  # the whole page, nothing changed: what the results must already have shown
    assert _inputs_drawn(at) and _summary(at) == partial


def _labels_in_order(node) -> list[str]:
    out = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "label", None):
            out.append(child.label)
        out += _labels_in_order(child)
    return out


def test_the_results_draw_the_location_first_among_the_inputs():
    """The clot's location is the results fragment's own widget (a change of it is one run: measured on the wire
    in tests/e2e/test_runs_per_change.py); it sits under the language switch and the urgent signs, first of the
    inputs, above what matters most."""
    from sdm.words import i18n

    cat = i18n.catalogue("en")
    at = _page()
    labels = _labels_in_order(at.sidebar)
    where = labels.index(cat.t("ui.sidebar.location_label"))
    assert labels[where + 1] == cat.t("ui.sidebar.goals_label"), labels
    assert labels[:where] == [cat.t("ui.language.label"), cat.t("ui.sidebar.urgent_title")], labels


def test_what_each_option_is_like_is_drawn_once_by_the_whole_page_and_not_sent_again_on_a_change():
    from sdm.words import i18n

    cat = i18n.catalogue("en")
    title = cat.t("ui.details.like_title")
    at = _page()
    assert sum(title in b for b in html_bodies(at)) == 1
    at.radio(key="in_per").set_value(1000).run()
    assert not any(title in b for b in html_bodies(at)), "the same-for-everyone fold was sent again"
    caption = escape(cat.t("ui.details.guidelines_caption"))  # as the fold writes it
    assert any(caption in b for b in html_bodies(at)), \
        "the guidelines fold did not follow the results"


def test_a_change_of_location_gives_the_whole_page_s_results():
    """AppTest runs the whole page for it (see RESULTS_ONLY); what matters here is that the results, which draw
    the box, follow it and stay as they are on the next whole-page run."""
    at = _page()
    before = _summary(at)
    at.selectbox(key="in_location").set_value("distal").run()
    assert not at.exception and at.selectbox(key="in_location").value == "distal"
    after = _summary(at)
    assert after != before and at.query_params["loc"] == "distal"
    at.run()
    assert _summary(at) == after


def test_a_contraindication_ticked_reruns_the_results_alone_and_greys_the_procedures():
    at = _page()
    at.session_state["open_in_ci"] = True
    at.run()
    at.button_group(key="in_ci_absolute").set_value(["active_bleeding"]).run()
    assert not _inputs_drawn(at)
    assert 'data-status="contraindicated"' in _summary(at)


@pytest.mark.parametrize("key,value,words", [("in_days", 400, "days since"), ("in_age", 130, "age must")])
def test_a_refused_value_redraws_the_panel_with_its_warning_beside_it(key, value, words):
    at = _page()
    before = _summary(at)
    at.number_input(key=key).set_value(value).run()
    assert not at.exception and _inputs_drawn(at)
    said = [w.value for w in at.sidebar.warning]
    assert any(w.lower().startswith(words) and "last valid" in w for w in said), said
    assert _summary(at) == before, "a refused value changed the numbers"


def test_choosing_the_checklist_redraws_the_panel_with_the_checklists():
    at = _page()
    at.radio(key="in_bleeding").set_value("checklist").run()
    assert not at.exception and _inputs_drawn(at)
    labels = [e.label for e in at.sidebar.expander]
    assert "CHEST risk factors" in labels and "VTE-BLEED items" in labels, labels


def test_days_changed_reruns_both_and_the_results_follow():
    at = _page()
    before = _summary(at)
    at.number_input(key="in_days").set_value(40).run()
    assert _inputs_drawn(at) and _summary(at) != before


def test_a_change_of_view_reruns_the_results_alone():
    at = _page()
    at.button_group(key="in_view").set_value("pictures").run()
    assert not at.exception and not _inputs_drawn(at) and not _take_home_drawn(at)
    assert not any('class="sumx"' in b for b in html_bodies(at)), "the summary is still drawn"
    assert any("icon-array" in b for b in html_bodies(at)), "the pictures are not drawn"
    assert at.query_params["view"] == "pictures"


def test_the_results_hold_what_they_draw_for_the_handout_after_a_change():
    """The take-home part is not redrawn by a change of input; its download reads what the results hold (that the
    button reads it at the click is tested in a browser: AppTest has no download to click,
    tests/e2e/test_pages_browser.py)."""
    at = _page()
    assert "Groin and pelvis" in _handout_at_a_click(at)
    at.selectbox(key="in_location").set_value("distal").run()  # a whole-page run in AppTest (see RESULTS_ONLY)
    text = _handout_at_a_click(at)
    assert "Calf only" in text and "Groin and pelvis" not in text
    at.radio(key="in_per").set_value(1000).run()
    assert not _take_home_drawn(at)
    text = _handout_at_a_click(at)
    assert "in 1,000" in text and "in 100 " not in text and "Calf only" in text


def test_an_open_chart_note_follows_a_change_of_input():
    at = _page()
    at.session_state[sections.NOTE_FOLD] = True
    at.run()
    assert "Groin and pelvis" in at.code[0].value
    at.selectbox(key="in_location").set_value("distal").run()
    assert not _inputs_drawn(at) and _take_home_drawn(at)
    assert "Calf only" in at.code[0].value and "Groin and pelvis" not in at.code[0].value
    at.run()
    at.number_input(key="in_days").set_value(40).run()  # the panel as well, and the note again
    assert _inputs_drawn(at) and _take_home_drawn(at) and "40 days" in at.code[0].value


def test_results_that_show_no_numbers_leave_no_handout_to_make():
    """What results_part holds when the model refuses what was entered (only a forged message can send such a
    value: AppTest cannot): a click on a download drawn earlier gives no file, never the last scenario's."""
    with pytest.raises(LookupError):
        sections.handout_now({"now": None}, sdm.default(), lines=[])
