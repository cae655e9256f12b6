"""How many script runs a change on the consult screen costs, on the wire (Streamlit's own protocol).

A widget's change reruns the fragment that drew it; a callback that asks for another fragment ends that run early
and the asked-for one follows on the same request. The clot's location is drawn by the results themselves
(app_pages/parts/inputs.location), so its change is one run of the results; an input the side panel draws asks
for the results through its callback. Either way the results follow the change and the panel is not sent again.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.common import QUERY
from bench.wsload import LOCATION_LABELS, PANEL_INPUT, Client


def _run(coro):
    """asyncio.run in a thread of its own: Playwright's sync API may keep an event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=180)


async def _changes(url: str, label: str, values: list[str]) -> list[dict]:
    client = Client(url, timeout=60, select_label=label)
    client.query_string = QUERY
    await client.connect()
    try:
        _, got = await client.rerun()
        assert client.selectbox_id, f"no input labelled {label!r} in the first run"
        out = []
        for value in values:
            _, got = await client.rerun(value)
            assert not got["errors"], got["errors"]
            out.append(got)
        return out
    finally:
        await client.close()


def _summary(got: dict) -> str:
    return next(b for b in got["html"] if 'class="sumx"' in b)


def test_a_change_of_location_is_one_run_of_the_results(app_url):
    calf, groin = _run(_changes(app_url, "Where is the clot?",
                                [LOCATION_LABELS["distal"], LOCATION_LABELS["iliofemoral"]]))
    for got, loc in ((calf, "distal"), (groin, "iliofemoral")):
        assert got["runs"] == 1, f"a change to {loc} took {got['runs']} runs"
        assert got["status"] == 3  # FINISHED_FRAGMENT_RUN_SUCCESSFULLY: the results fragment alone
        assert any(f"loc={loc}" in q for q in got["query_strings"]), got["query_strings"]
        assert "number_input" not in got["elements"], "the side panel was sent again"
        assert got["elements"].get("selectbox") == 1, got["elements"]  # the location box itself, and no other
    assert _summary(calf) != _summary(groin)


def test_a_change_of_an_input_the_panel_draws_reruns_the_results_through_its_callback(app_url):
    per_1000, per_100 = _run(_changes(app_url, PANEL_INPUT.select_label,
                                      [PANEL_INPUT.choices["1000"], PANEL_INPUT.choices["100"]]))
    for got in (per_1000, per_100):
        assert got["runs"] == 2, got["runs"]  # the run its callback ends early, then the results
        assert "number_input" not in got["elements"], "the side panel was sent again"
    assert "in 1,000" in _summary(per_1000) and "in 1,000" not in _summary(per_100)


def test_in_chromium_a_change_of_location_is_one_run_and_leaves_the_panel_as_it_is(page, app_url):
    """The same on Streamlit's own frontend: what it sends for the box (drawn by the results into the side panel's
    place) reruns the results fragment alone, once; the panel's inputs are not sent again."""
    from playwright.sync_api import expect
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tests.e2e.conftest import wait_for_app

    received: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
    page.goto(app_url + "/?" + QUERY)
    wait_for_app(page)
    received.clear()
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Where is the clot?")
    box.click()
    page.get_by_role("option", name="Calf only (below the knee)").click()
    expect(page.locator(".sumx [data-status='no_evidence']").first).to_be_attached()
    wait_for_app(page)
    finished, kinds = [], []
    for raw in received:
        if isinstance(raw, str):
            continue
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "script_finished":
            finished.append(msg.script_finished)
        elif msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            kinds.append(msg.delta.new_element.WhichOneof("type"))
    assert finished == [ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY], finished
    assert "number_input" not in kinds and kinds.count("selectbox") == 1, kinds
