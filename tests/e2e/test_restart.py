"""A server restart mid-consult: the scenario lives in the page address, so reopening the address on a fresh
server brings back the same scenario, the same inputs and the same pictures. Nothing is kept on the server.

start_server picks a free port each time, so the "restarted" server is a new one on another port; the test
reopens the path and query of the old address on it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.safety_plugin import report

from .conftest import start_server, wait_for_app

START = "/?loc=iliofemoral&days=12&bleed=moderate&age=70&ci=pregnancy&per=100&view=pictures"
NEW_LOCATION = "Thigh and knee (femoral or popliteal vein)"


def icon_counts(page) -> list[tuple]:
    return sorted(page.eval_on_selector_all(
        "[data-option][data-outcome]",
        """cells => cells.flatMap(c => [...c.querySelectorAll('img.icon-array')].map((i, k) =>
             [c.dataset.option, c.dataset.outcome, k, +i.dataset.had, +i.dataset.maybeHad, +i.dataset.maybeNot,
              +i.dataset.total]))""",
    ))


def snapshot(page) -> dict:
    sb = page.get_by_test_id("stSidebar")
    return {
        "location": sb.get_by_role("combobox", name="Where is the clot?").input_value(),
        "days": sb.get_by_role("spinbutton", name="Days since symptoms began", exact=True).input_value(),
        "age": sb.get_by_role("spinbutton", name="Age (optional)", exact=True).input_value(),
        "icons": icon_counts(page),
    }


def stop(proc, log) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=20)
    log.close()


def test_reopening_the_address_on_a_fresh_server_restores_the_same_scenario(browser):
    proc, url, log = start_server()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(url + START)
        wait_for_app(page)
        page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name=NEW_LOCATION).click()
        expect(page).to_have_url(re.compile(r"loc=femoropopliteal"))
        page.wait_for_timeout(300)
        wait_for_app(page)
        address = page.url
        before = snapshot(page)
        assert NEW_LOCATION in before["location"] and before["days"] == "12" and before["age"] == "70"
        assert len(before["icons"]) >= 10

        stop(proc, log)  # the server dies mid-consult
        page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
            state="detached", timeout=30_000)  # the page notices it has lost its server
    finally:
        stop(proc, log)

    proc2, url2, log2 = start_server()
    try:
        parts = urlsplit(address)
        reopened = ctx.new_page()
        reopened.goto(url2 + parts.path + "?" + parts.query)
        wait_for_app(reopened)
        reopened.wait_for_timeout(300)
        after = snapshot(reopened)
        assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert parse_qs(urlsplit(reopened.url).query) == parse_qs(parts.query)
        report(f"restart check: {parts.query} reopened on a fresh server with the same inputs and "
               f"{len(after['icons'])} identical icon arrays")
    finally:
        ctx.close()
        stop(proc2, log2)
