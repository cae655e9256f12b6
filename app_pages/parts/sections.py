"""Parts of the consult screen that are words: decision, cards, guidelines, take-home, help.

The HTML of the folds is built by sdm.present.folds_html. Evidence text is text: it reaches markdown only
through sdm.evidence.safe_text.markdown (md) and HTML only through html.escape, so an image, link or tag written
in a data file shows as the characters typed. The page's own
words come from the catalogue of the session's language (`cat`); `base` is the evidence base in that language
(sdm.evidence.translate.localise), except where a function says it needs the English one."""

from __future__ import annotations

from datetime import date

import streamlit as st

from sdm.evidence import loader as evidence
from sdm.evidence.safe_text import markdown as md
from sdm.outputs import handout
from sdm.outputs.chart_note import chart_note
from sdm.present import folds_html
from sdm.words import i18n

from . import lang, lazy
from .memo import memo


def decision(content, cat: i18n.Catalogue) -> None:
    """The decision in a sentence, that blood thinners are the base, and that the page does not choose."""
    base_line = content.foundation.split(". ")[0].rstrip(".") + "."
    lang.markdown(f"**{md(content.decision)}** {md(base_line)} *{md(content.not_advice)}*", cat)


def goals_line(result, cat: i18n.Catalogue) -> None:
    """Without goals the summary has no rows: say where to pick them."""
    if not result.scenario.goals:
        lang.caption(cat.t("ui.consult.pick_goals"), cat)


def warnings(result) -> None:
    for w in result.warnings:
        st.warning(md(w), icon=":material/warning:")





@memo(256)
def _guidelines_html(guideline_ids: tuple[str, ...], base_id: int, lang_code: str, _result, _base) -> str:
    """Built once per set of guideline statements, evidence base and language."""
    cat = i18n.catalogue(lang_code)
    return lang.wrap(folds_html.guidelines(_result.guidelines, cat), cat)


def guidelines(result, base, cat: i18n.Catalogue) -> str:
    """What guidelines say for this situation: one click away, below the numbers (HTML to show)."""
    return _guidelines_html(tuple(g.id for g in result.guidelines), id(base), cat.lang, result, base)


@memo(16)
def _options_html(base_id: int, lang_code: str, _base) -> str:
    cat = i18n.catalogue(lang_code)
    return lang.wrap(folds_html.options(_base, cat), cat)


def options(base, cat: i18n.Catalogue) -> None:
    """What each option is like, folded: the same for every scenario, so the whole page's run draws it below the
    results and a change of input does not send it again."""
    lang.show(_options_html(id(base), cat.lang, base))


NOTE_FOLD = "open_note"  # the chart note's fold: while it is open, a change of input redraws it


def take_home(drawn: dict, english, cat: i18n.Catalogue, before=None, after=None, role=None) -> None:
    """The handout (in the result's language, result.scenario.lang) and the chart note (always English), of what
    the results show (`drawn`, app_pages/parts/state.drawn). Nothing when they show no numbers.

    `english` is the English evidence base: sdm.outputs.handout and the chart note localise from it themselves."""
    if drawn.get("now") is None:
        return
    result = drawn["now"][0]
    lines = handout.readiness_lines(before, after, role, cat=cat)
    st.download_button(cat.t("ui.take_home.download"), data=lambda: handout_now(drawn, english, lines),
                       file_name=cat.t("ui.take_home.file_name"), mime="application/pdf",
                       icon=":material/download:", on_click="ignore", help=cat.t("ui.take_home.caption"))
    box, is_open = lazy.expander(cat.t("ui.take_home.note_title"), NOTE_FOLD)
    if is_open:
        box.code(_note(result.scenario.model_dump_json(), date.today().isoformat(), id(english), result, english),
                 language=None)


def handout_now(drawn: dict, english, lines) -> bytes:
    """At the click (on a thread of its own): the handout of what the results show now, which may have changed
    since the button was drawn. They show no numbers: no handout (the download fails)."""
    now = drawn.get("now")
    if now is None:
        raise LookupError("now")  # Streamlit answers the click with an error and no file
    result, per = now
    return handout.render_for_download(result, english, per=per, readiness=lines)


@memo(256)
def _note(scenario_json: str, day: str, base_id: int, _result, _english) -> str:
    """The chart note, in English whatever the patient's language (same scenario, same numbers)."""
    return chart_note(_result, _english)





@memo(16)
def _reference_html(base_id: int, stale: bool, lang_code: str, _base) -> str:
    """Built once per evidence base and language."""
    cat = i18n.catalogue(lang_code)
    return lang.wrap(folds_html.reference(_base, cat, stale), cat)


def reference(base, cat: i18n.Catalogue) -> None:
    """Always at hand: when to get help, questions to ask, about this tool, the glossary."""
    lang.show(_reference_html(id(base), evidence.is_stale(base), cat.lang, base))
