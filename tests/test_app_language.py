"""AppTest: the consult screen in the language of the link or the switch, per session.

- two sessions in one process, one Spanish and one English, each keep their own words while both run;
- the switch changes the words and keeps the scenario, and writes `lang` into the link (and takes it out);
- on the Spanish screen every word of the page's own comes from the Spanish catalogue (no English catalogue
  string is left), the evidence text is the Spanish one, and the Spanish text is marked lang="es";
- the chart note stays English and says the patient's materials were in Spanish;
- the Teaching and Methods pages stay English and say so in Spanish; Methods and About state the translation note.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import streamlit as st

import sdm
from sdm.evidence import translate
from sdm.words import i18n
from tests.apptest_helpers import all_text, app, html_bodies, opened, shown
from tests.safety_plugin import report

BASE = sdm.default()
ES = translate.localise(BASE, "es")
ACUTE = {"loc": "iliofemoral", "days": "7", "bleed": "low"}


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def param(at, key):
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def widget_words(at) -> list[str]:
    """Every label, help text and option the widgets show (what AppTest can read of them)."""
    words = []
    for kind in ("selectbox", "multiselect", "number_input", "checkbox", "radio", "toggle", "button_group",
                 "expander", "button"):
        for w in getattr(at, kind):
            words += [getattr(w, "label", "") or "", getattr(w, "help", "") or ""]
            words += [str(o) for o in (getattr(w, "options", None) or [])]
    words += [b.proto.label for b in at.get("download_button")]
    return [shown(w) for w in words if w]


def page_words(at) -> str:
    return "\n".join([all_text(at), *widget_words(at), *(e.value for e in at.error)])


def english_fragments() -> dict[str, str]:
    """Each English ui/readiness string that differs from its Spanish, as its longest run of literal words."""
    en, es = i18n.catalogue("en").entries, i18n.catalogue("es").entries
    out = {}
    for key, text in en.items():
        if key.split(".")[0] not in ("ui", "readiness") or text == es[key] or key.endswith("date_pattern"):
            continue
        pieces = [p.strip(" .*:()") for p in re.split(r"\{[^}]*\}|<[^>]+>|\*\*|:material/\w+:", text)]
        longest = max(pieces, key=len)
        if len(longest.split()) >= 2:  # one word ("Low", "View") could be part of anything
            out[key] = longest
    return out


# ---------------------------------------------------------------- two sessions, two languages


def test_two_sessions_in_one_process_each_keep_their_own_language():
    spanish, english = app({**ACUTE, "lang": "es"}), app(ACUTE)
    for _ in range(2):  # rerun both, one after the other: nothing one session chose reaches the other
        for at in (spanish, english):
            at.number_input(key="in_days").set_value(8).run()
            assert not at.exception
    es_text, en_text = page_words(spanish), page_words(english)
    assert spanish.selectbox(key="in_location").label == "¿Dónde está el coágulo?"
    assert english.selectbox(key="in_location").label == "Where is the clot?"
    assert [t.value for t in english.title] == ["Treatment choices for a leg clot (DVT)"]
    assert "# Opciones de tratamiento para un coágulo en la pierna (TVP)" in es_text
    assert ES.content.decision in es_text and BASE.content.decision not in es_text
    assert BASE.content.decision in en_text and ES.content.decision not in en_text
    # the cached blocks (summary, cards, help) are each session's own
    assert ES.content.questions_to_ask[0] in es_text and BASE.content.questions_to_ask[0] not in es_text
    assert BASE.content.questions_to_ask[0] in en_text and ES.content.questions_to_ask[0] not in en_text
    assert param(spanish, "lang") == "es" and param(english, "lang") is None
    assert spanish.session_state["in_lang"] == "es" and english.session_state["in_lang"] == "en"


# ---------------------------------------------------------------- the switch


def test_the_switch_changes_the_words_keeps_the_scenario_and_writes_the_link():
    at = app({"loc": "distal", "days": "5", "bleed": "moderate", "per": "1000", "view": "table"})
    at.number_input(key="in_age").set_value(70).run()
    at.checkbox(key="in_iliac").check().run()
    at.multiselect(key="in_goals").set_value(["avoid_pts", "avoid_bleeding"]).run()
    before = {k: param(at, k) for k in ("loc", "days", "bleed", "per", "view", "age", "iliac", "goals")}
    assert param(at, "lang") is None

    at.button_group(key="in_lang").set_value("es").run()
    assert not at.exception
    after = {k: param(at, k) for k in before}
    assert after == before and param(at, "lang") == "es"
    assert at.selectbox(key="in_location").value == "distal" and at.number_input(key="in_days").value == 5
    assert at.radio(key="in_bleeding").value == "moderate" and at.radio(key="in_per").value == 1000
    assert at.number_input(key="in_age").value == 70 and at.checkbox(key="in_iliac").value is True
    # each language has its own goals widget (Streamlit keeps a multiselect's choice by its shown labels),
    # seeded from the scenario: the Spanish one holds the same goals in the same order
    assert at.multiselect(key="in_goals_es").value == ["avoid_pts", "avoid_bleeding"]
    assert at.button_group(key="in_view").value == "table"
    assert at.selectbox(key="in_location").label == "¿Dónde está el coágulo?"
    assert at.radio(key="in_bleeding").options == ["Bajo", "Moderado", "Alto", "Usar una lista"]
    assert at.radio(key="in_per").options == ["100 personas", "1,000 personas"]

    at.button_group(key="in_lang").set_value("en").run()
    assert not at.exception
    assert {k: param(at, k) for k in before} == before and param(at, "lang") is None
    assert at.selectbox(key="in_location").label == "Where is the clot?"
    assert at.radio(key="in_bleeding").options == ["Low", "Moderate", "High", "Use a checklist"]


def test_a_checklist_chosen_with_nothing_ticked_stays_chosen_across_a_language_switch():
    """The switch sets the bleeding input again from the scenario: a checklist with no tick yet is still a
    checklist (the scenario has no level of its own), not the level it comes to."""
    at = app({"loc": "iliofemoral", "days": "7", "bleed": "moderate"})
    at.radio(key="in_bleeding").set_value("checklist").run()
    assert not at.exception and at.radio(key="in_bleeding").value == "checklist"
    for lang in ("es", "en"):
        at.button_group(key="in_lang").set_value(lang).run()
        assert not at.exception
        assert at.radio(key="in_bleeding").value == "checklist", lang


def test_a_link_in_spanish_opens_in_spanish_and_an_unknown_language_says_so_in_english():
    at = app({**ACUTE, "lang": "es"})
    assert at.button_group(key="in_lang").value == "es"
    at = app({**ACUTE, "lang": "fr"})
    assert at.button_group(key="in_lang").value == "en" and not at.exception
    assert [w.value for w in at.warning if w.value.startswith("From the link")] == [
        "From the link: The link asked for a language this tool does not have, so the page is in English."]
    assert at.selectbox(key="in_location").label == "Where is the clot?"


def test_opening_a_teaching_case_keeps_the_language():
    at = app({**ACUTE, "lang": "es"})
    at.switch_page("app_pages/teaching.py").run()
    at.button(key="teach_open").click().run()
    assert not at.exception
    assert at.button_group(key="in_lang").value == "es" and param(at, "lang") == "es"


# ---------------------------------------------------------------- every word of the Spanish screen


def spanish_screen(**extra):
    at = opened(app({**ACUTE, "lang": "es", **extra}))  # every part one click away, open
    at.toggle(key="sure_before_open").set_value(True).run()
    for item in ("sure", "understand", "risk_benefit", "encouragement"):
        at.button_group(key=f"sure_before_{item}").set_value("No" if item == "sure" else "Yes").run()
    at.toggle(key="sure_after_open").set_value(True).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("view", ["summary", "pictures", "goals", "table", "tradeoff"])
def test_no_english_word_of_the_page_is_left_on_the_spanish_screen(view):
    at = spanish_screen(view=view)
    text = page_words(at)
    fragments = english_fragments()
    left = {k: f for k, f in fragments.items() if f in text}
    report(f"spanish screen ({view}): {len(fragments)} English catalogue strings looked for, {len(left)} found")
    assert left == {}
    for words in ("Puntaje: 3 de 4.", i18n.catalogue("es").t("readiness.conflict"),
                  i18n.catalogue("es").t("readiness.items.sure.if_no"), "¿Cómo le gustaría que se tome esta decisión?"):
        assert words in text


def test_the_spanish_screen_shows_the_spanish_evidence_text():
    text = page_words(spanish_screen())
    c = ES.content
    for words in (c.decision, c.urgent_call, c.urgent_signs[0], c.questions_to_ask[-1], c.about.purpose,
                  c.about.translation_note, c.options["cdt"].like["procedure_day"], "Palabras que se usan en esta página",
                  "Las páginas de Enseñanza y de Métodos están en inglés.", ES.vocabulary.locations["iliofemoral"],
                  "1 de " if ES.rules.evidence_date.day == 1 else f"{ES.rules.evidence_date.day} de "):
        assert words in text, words
    assert "El equipo del proyecto" in c.about.translation_note and "911" in c.urgent_call


def test_the_trade_off_chart_speaks_spanish():
    at = app({**ACUTE, "lang": "es", "view": "tradeoff"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["title"]["text"] == i18n.catalogue("es").t("ui.views.x_title")
    assert "de cada 100" in spec["data"][0]["hovertemplate"]
    assert at.radio(key="in_tradeoff_pts").label == i18n.catalogue("es").t("ui.views.tradeoff_label")
    assert not set(at.radio(key="in_tradeoff_pts").options) & set(app({**ACUTE, "view": "tradeoff"}).radio(
        key="in_tradeoff_pts").options)  # the measures' names are Spanish too


def test_spanish_text_is_marked_lang_es_where_streamlit_allows_it():
    at = spanish_screen()
    blocks = html_bodies(at)
    worded = [b for b in blocks if re.sub(r"<style>.*?</style>|<[^>]+>", "", b, flags=re.S).strip()]
    assert worded and all(b.startswith('<div lang="es">') for b in worded)
    markdown = [m.value for m in at.markdown]
    assert markdown and all(m.startswith('<div lang="es">\n\n') for m in markdown)
    captions = [c.value for c in at.caption]
    assert captions and all(c.startswith('<span lang="es">') for c in captions)
    assert not at.title and not at.header and not at.subheader  # headings are markdown headings inside lang="es"
    report(f"spanish screen lang marks: {len(worded)} HTML blocks, {len(markdown)} markdown blocks and "
           f"{len(captions)} captions carry lang=\"es\"; {len(widget_words(at))} widget labels, options and help "
           "texts cannot (Streamlit 1.67 widgets take no HTML)")


def test_english_screen_carries_no_lang_wrapper():
    at = app(ACUTE)
    assert not any(m.value.startswith("<div lang") for m in at.markdown)
    assert not any(b.startswith("<div lang") for b in html_bodies(at))
    assert [t.value for t in at.title] == ["Treatment choices for a leg clot (DVT)"]


def test_about_states_the_translation_note_in_english_too():
    text = all_text(app(ACUTE))
    assert BASE.content.about.translation_note in text
    assert "The Teaching and Methods pages are in English." not in text  # said only in another language


# ---------------------------------------------------------------- what stays English


def test_chart_note_stays_english_and_names_the_language_of_the_materials():
    es_note = opened(app({**ACUTE, "lang": "es"}), "open_note").code[0].value
    en_note = opened(app(ACUTE), "open_note").code[0].value
    assert "Patient materials (screen and handout) were in Spanish." in es_note
    assert "Patient materials (screen and handout) were in English." in en_note
    assert es_note.replace("Spanish.", "English.", 1) == en_note  # the same note, the same numbers
    assert ES.content.decision not in es_note and "Solo anticoagulantes" not in es_note


@pytest.mark.parametrize("page", ["app_pages/teaching.py", "app_pages/methods.py"])
def test_teaching_and_methods_stay_english_and_say_so_in_spanish(page):
    at = app({**ACUTE, "lang": "es"})
    at.switch_page(page).run()
    assert not at.exception
    bodies = html_bodies(at)
    notice = i18n.catalogue("es").t("ui.language.this_page")
    assert any(b.startswith('<div lang="es">') and notice in b for b in bodies)
    assert any(t.value.startswith(("Teaching", "Methods")) for t in at.title)
    english = app(ACUTE)
    english.switch_page(page).run()
    assert not any(notice in b for b in html_bodies(english))


def test_methods_states_the_translation_note():
    at = app()
    at.switch_page("app_pages/methods.py").run()
    assert f"**Translation.** {BASE.content.about.translation_note}" in [shown(m.value) for m in at.markdown]


def test_a_broken_catalogue_gives_the_error_page_not_a_traceback(tmp_path, monkeypatch):
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    spanish = folder / "es" / "ui.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace('  the_inputs: "los datos"\n', ""), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    at = app(ACUTE)
    assert not at.exception
    assert [t.value for t in at.title] == ["The evidence files could not be read"]
    assert any("ui.sidebar.the_inputs" in m.value for m in at.markdown)
