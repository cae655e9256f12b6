"""The consult screen in Spanish in a real browser: screenshots, the switch, and the lang="es" marks.

(The axe-core scan of the Spanish page is in test_consult_browser.py, with the other pages.)"""

import re

import pytest
from playwright.sync_api import expect

import sdm
from sdm.evidence import translate
from sdm.words import i18n, wording
from tests.safety_plugin import report

from .conftest import shot, wait_for_app

BASE = sdm.default()
ES = translate.localise(BASE, "es")
ES_UI = i18n.catalogue("es")
SPANISH = "/?lang=es&loc=iliofemoral&days=7&bleed=low"
CALF = "/?lang=es&loc=distal&days=5&bleed=low"

# Text on the page, by the language it is marked with: each text node's nearest [lang] ancestor; the chart note
# (English on purpose, inheriting the page's lang="en") is counted apart as "note".
LANG_OF_TEXT = """() => {
  const out = {};
  for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || el.closest('style, script, [aria-hidden=true]')) continue;
      const lang = el.closest('[data-testid=stCode]') ? 'note' : el.closest('[lang]').getAttribute('lang');
      (out[lang] = out[lang] || []).push(text);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("name,path", [("consult-es-acute-iliofemoral", SPANISH), ("consult-es-calf", CALF)])
@pytest.mark.parametrize("width", [1280, 390])
def test_spanish_screenshots_without_horizontal_scrolling(page, app_url, name, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(app_url + path)
    wait_for_app(page)
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", name="Opciones de tratamiento para un coágulo en la pierna (TVP)")).to_be_visible()
    overflow = page.evaluate("""() => [document.documentElement, document.querySelector('[data-testid=stMain]')]
        .map(e => e.scrollWidth - e.clientWidth)""")
    assert max(overflow) <= 0, f"horizontal scrolling at {width}px: {overflow}"
    path = shot(page, name, width)
    assert path.stat().st_size > 10_000


def test_the_switch_changes_the_language_and_keeps_the_scenario(page, app_url):
    page.goto(app_url + "/?loc=distal&days=5&bleed=moderate&per=1000&view=pictures")
    wait_for_app(page)
    counts = page.eval_on_selector_all("img.icon-array", "imgs => imgs.map(i => [i.dataset.had, i.dataset.total])")
    page.get_by_test_id("stSidebar").get_by_role("radio", name="Español", exact=True).click()
    expect(page.get_by_text("¿Dónde está el coágulo?")).to_be_visible()
    wait_for_app(page)
    assert re.search(r"[?&]lang=es(&|$)", page.url)
    for part in ("loc=distal", "days=5", "bleed=moderate", "per=1000", "view=pictures"):
        assert part in page.url
    again = page.eval_on_selector_all("img.icon-array", "imgs => imgs.map(i => [i.dataset.had, i.dataset.total])")
    assert again == counts and counts  # the same pictures, the same numbers
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English", exact=True).click()
    expect(page.get_by_text("Where is the clot?")).to_be_visible()
    wait_for_app(page)
    assert "lang=" not in page.url and "loc=distal" in page.url


def test_the_spanish_text_is_marked_lang_es(page, app_url):
    page.goto(app_url + SPANISH)
    wait_for_app(page)
    page.get_by_text(ES_UI.t("ui.take_home.note_title"), exact=True).click()  # the chart note, one click away
    expect(page.get_by_test_id("stCode")).to_be_visible()
    wait_for_app(page)
    page.wait_for_timeout(500)
    by_lang = page.evaluate(LANG_OF_TEXT)
    spanish, english, note = by_lang.get("es", []), by_lang.get("en", []), by_lang.get("note", [])
    chars_es, chars_en = sum(map(len, spanish)), sum(map(len, english))
    report(f"spanish page lang marks: {chars_es:,} characters of Spanish text marked lang=\"es\", {chars_en:,} "
           f"inherit the page's lang=\"en\" (widget labels, options, expander titles, alerts, buttons, tab links: "
           f"Streamlit 1.67 cannot mark them) = {100 * chars_es / (chars_es + chars_en):.0f}% marked; the English "
           f"chart note ({sum(map(len, note)):,} characters) keeps lang=\"en\"")
    joined = "\n".join(spanish)
    for words in (ES.content.urgent_call, ES.content.questions_to_ask[0], ES.content.about.translation_note,
                  "Opciones de tratamiento para un coágulo en la pierna (TVP)", "Palabras que se usan en esta página"):
        assert words in joined, words
    # the chart note stays English for the record, and is not marked Spanish
    assert "DVT treatment: shared decision making note" in note
    assert chars_es > chars_en


def test_spanish_pictures_show_the_engines_numbers(page, app_url):
    page.goto(app_url + SPANISH + "&view=pictures")
    wait_for_app(page)
    cells = page.eval_on_selector_all(
        "[data-option][data-outcome]",
        "cells => cells.map(c => ({option: c.dataset.option, outcome: c.dataset.outcome, "
        "arrays: [...c.querySelectorAll('img.icon-array')].map(i => ({had: +i.dataset.had, "
        "maybeHad: +i.dataset.maybeHad, alt: i.alt}))}))")
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    checked = 0
    for c in cells:
        if not c["arrays"]:
            continue
        o = result.option(c["option"]).outcome(c["outcome"])
        assert c["arrays"][0]["had"] + c["arrays"][0]["maybeHad"] == wording.count(o.risk, 100)
        assert c["arrays"][0]["alt"]
        checked += 1
    assert checked >= 10


def test_switching_language_back_and_forth_keeps_every_input(page, app_url):
    """Inputs Streamlit keeps by their shown words (location, bleeding, denominator, view) are set again from the
    scenario after each switch, so no input comes back as words of the other language; ticks stay ticked."""
    page.goto(app_url + "/?loc=femoropopliteal&days=12&ci=active_bleeding&chest=cancer&per=1000&view=table")
    wait_for_app(page)
    side = page.get_by_test_id("stSidebar")
    for name in ("Español", "English", "Español"):
        side.get_by_role("radio", name=name, exact=True).click()
        wait_for_app(page)
        page.wait_for_timeout(800)
        assert page.get_by_test_id("stException").count() == 0 and page.get_by_test_id("stAlertContentError").count() == 0
        for part in ("loc=femoropopliteal", "days=12", "ci=active_bleeding", "chest=cancer", "per=1000", "view=table"):
            assert part in page.url, (name, part, page.url)
        assert ("lang=es" in page.url) == (name == "Español")
        pressed = page.eval_on_selector_all("[data-testid=stSidebar] [aria-pressed=true]", "els => els.length")
        assert pressed >= 2  # the contraindication and the CHEST factor, in their folds
