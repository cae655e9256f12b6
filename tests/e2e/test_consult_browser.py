"""The consult view in a real browser: inputs update the pictures, layout at two widths, accessibility."""

import json
import re

import pytest
from playwright.sync_api import expect

import sdm
from sdm.words import wording
from tests.safety_plugin import report

from .conftest import ROOT, shot, wait_for_app

BASE = sdm.default()
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ACUTE = "?loc=iliofemoral&days=7&bleed=low"
CALF = "?loc=distal&days=5&bleed=low"
SPANISH = "?lang=es&loc=iliofemoral&days=7&bleed=low"


def icon_counts(page):
    return page.eval_on_selector_all(
        "[data-option][data-outcome]",
        """cells => cells.map(c => ({option: c.dataset.option, outcome: c.dataset.outcome,
             arrays: [...c.querySelectorAll('img.icon-array')].map(i => ({had: +i.dataset.had,
                maybeHad: +i.dataset.maybeHad, total: +i.dataset.total, alt: i.alt}))}))""",
    )


def expected(**fields):
    return sdm.run(sdm.make(BASE.rules, **fields), BASE)


def check_counts(page, result, per=100):
    cells = [c for c in icon_counts(page) if c["arrays"]]
    assert cells
    for c in cells:
        o = result.option(c["option"]).outcome(c["outcome"])
        first = c["arrays"][0]
        assert first["had"] + first["maybeHad"] == wording.count(o.risk, per)
        assert first["alt"]  # a text equivalent for every picture
    return len(cells)


def test_changing_the_clot_location_redraws_pictures_and_words(page, app_url):
    page.goto(app_url + "/" + ACUTE + "&view=pictures")
    wait_for_app(page)
    n = check_counts(page, expected(location="iliofemoral", symptom_days=7, bleeding_tier="low"))
    assert n >= 10
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile("Calf only")).click()
    expect(page.get_by_text("Not studied in calf clots").first).to_be_visible()
    wait_for_app(page)
    check_counts(page, expected(location="distal", symptom_days=7, bleeding_tier="low"))
    assert "loc=distal" in page.url


def test_switching_to_1000_people_applies_everywhere(page, app_url):
    page.goto(app_url + "/" + ACUTE + "&view=pictures")
    wait_for_app(page)
    page.get_by_text("1,000 people", exact=True).click()
    expect(page.get_by_text("Each picture shows 1,000 people.")).to_be_visible()
    wait_for_app(page)
    totals = {a["total"] for c in icon_counts(page) for a in c["arrays"]}
    assert totals == {1000}


@pytest.mark.parametrize("name,query", [("acute-iliofemoral", ACUTE), ("calf", CALF)])
@pytest.mark.parametrize("width", [1280, 768, 390])
def test_screenshots_without_horizontal_scrolling(page, app_url, name, query, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(app_url + "/" + query)
    wait_for_app(page)
    page.wait_for_timeout(500)
    overflow = page.evaluate("""() => [document.documentElement, document.querySelector('[data-testid=stMain]')]
        .map(e => e.scrollWidth - e.clientWidth)""")
    assert max(overflow) <= 0, f"horizontal scrolling at {width}px: {overflow}"
    path = shot(page, f"consult-{name}", width)
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/" + ACUTE, "/" + CALF, "/" + ACUTE + "&view=pictures", "/" + CALF + "&view=table",
                                  "/?view=tradeoff", "/teaching", "/methods", "/" + SPANISH])
def test_accessibility_scan_has_no_wcag_aa_violations(page, app_url, path, width):
    assert AXE.exists(), "make test installs axe-core with npm"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(app_url + path)
    wait_for_app(page)
    page.wait_for_timeout(500)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    violations = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                  for v in result["violations"]]
    report(f"axe-core WCAG 2.1 AA scan of {path} at {width} px: {len(violations)} violations, "
           f"{len(result['passes'])} rules passed")
    assert violations == [], json.dumps(violations, indent=1)
