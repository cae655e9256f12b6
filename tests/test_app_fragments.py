"""What a change of input redraws on the consult page (app_pages/consult.py, app_pages/parts/inputs.py).

These use AppTest as it is (not tests.apptest_helpers.WholePage), so a run holds only what it drew: a change the
results alone show reruns the results and leaves the inputs as drawn; a change the panel shows as well (a warning
beside days or age, the checklists, a notice) draws the inputs again. Either way the results are those of the
whole page's run."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

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
    return any(w.key == "in_location" for w in at.selectbox)


RESULTS_ONLY = [
    ("location", lambda at: at.selectbox(key="in_location").set_value("distal")),
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
    partial = _summary(at)
    assert partial != before, f"the results did not follow the change of {name}"
    at.run()  # the whole page, nothing changed: what the results must already have shown
    assert _inputs_drawn(at) and _summary(at) == partial


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
