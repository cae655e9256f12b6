"""The summary first, in a real browser: the whole trade-off on the first screen, the page budget, one click
to the details.

Prints, for the test output: the numbers on the first screen at 1280 x 800 and 768 x 1024, the page height and
word count at 1280, and how often "not studied" or "no checked figure" is said, for an acute iliofemoral clot
and a calf clot.
"""

from __future__ import annotations

import re

import pytest

import sdm
from sdm.present import summary
from sdm.words import wording
from tests.safety_plugin import report

from .conftest import shot, wait_for_app

BASE = sdm.default()
SCENARIOS = {
    "acute-iliofemoral": ("?loc=iliofemoral&days=7&bleed=low", dict(location="iliofemoral", symptom_days=7,
                                                                     bleeding_tier="low")),
    "calf": ("?loc=distal&days=5&bleed=low", dict(location="distal", symptom_days=5, bleeding_tier="low")),
}
NUMBER = re.compile(r"\b[0-9][0-9,]* in [0-9][0-9,]*\b|fewer than 1 in [0-9,]+")
FIRST_SCREEN = """() => {
  const cells = [...document.querySelectorAll('.sumx td')].filter(td => td.getBoundingClientRect().bottom <= innerHeight);
  const table = document.querySelector('.sumx table');
  return {text: cells.map(td => td.innerText).join('\\n'), bottom: table ? table.getBoundingClientRect().bottom : 1e9,
          innerHeight};
}"""
BUDGET = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const text = document.body.innerText;
  const lower = text.toLowerCase();
  return {height: main.scrollHeight, words: text.split(/\\s+/).filter(Boolean).length,
          repeats: (lower.match(/not studied/g) || []).length + (lower.match(/no checked figure/g) || []).length};
}"""


def open_at(page, url, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    wait_for_app(page)
    page.wait_for_timeout(400)


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("width,height", [(1280, 800), (768, 1024)])
def test_the_whole_summary_is_on_the_first_screen(page, app_url, name, width, height):
    query, fields = SCENARIOS[name]
    open_at(page, f"{app_url}/{query}", width, height)
    seen = page.evaluate(FIRST_SCREEN)
    numbers = NUMBER.findall(seen["text"])
    result = sdm.run(sdm.make(BASE.rules, **fields), BASE)
    expected = summary.build(result, BASE)
    cells = sum(1 for r in expected.rows for c in r.cells if c.number)
    report(f"first screen at {width} x {height} ({name}): {len(numbers)} risk numbers, summary ends at "
           f"{seen['bottom']:.0f} px of {seen['innerHeight']}")
    assert seen["bottom"] <= seen["innerHeight"], "the summary must fit without scrolling"
    assert len(numbers) >= cells > 0  # every option's number (and its reference) is there before any scrolling


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_page_budget_at_1280(page, app_url, name):
    query, _ = SCENARIOS[name]
    open_at(page, f"{app_url}/{query}", 1280, 800)
    b = page.evaluate(BUDGET)
    report(f"page budget at 1280 ({name}): {b['height']} px tall (at most 3200), {b['words']} words (at most 2000), "
           f"'not studied' or 'no checked figure' said {b['repeats']} times (at most 10)")
    assert b["height"] <= 3200 and b["words"] <= 2000 and b["repeats"] <= 10
    for width in (1280, 768, 390):
        shot(page, f"summary-{name}", width)


def test_summary_numbers_equal_the_engine_and_one_click_opens_the_details(page, app_url):
    query, fields = SCENARIOS["acute-iliofemoral"]
    open_at(page, f"{app_url}/{query}", 1280, 800)
    result = sdm.run(sdm.make(BASE.rules, **fields), BASE)
    cell = page.locator('.sumx td[data-option="pcdt"][data-outcome="pts_moderate_severe"]')
    o = result.option("pcdt").outcome("pts_moderate_severe")
    ref = result.reference("pts_moderate_severe")
    text = cell.inner_text()
    assert wording.of_n(o.risk, 100).replace(" of ", " in ") in text
    assert f"against {wording.of_n(ref.risk, 100).replace(' of ', ' in ')} with blood thinners alone" in text
    details = cell.locator("details")
    assert "In the trial" not in details.inner_text()  # closed: the arithmetic is one click away
    details.locator("summary").click()
    opened = details.inner_text()
    assert o.trial.text in opened and "How sure:" in opened and "Time frame:" in opened
    for line in o.arithmetic:
        assert line in opened
    shot(page, "summary-details-open", 1280)
