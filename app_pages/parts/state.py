"""Evidence loading, the scenario kept in session and URL, and the error page."""

from __future__ import annotations

import re

import streamlit as st

import sdm
from sdm.engine.compute import with_goals
from sdm.evidence import translate
from sdm.evidence.loader import EvidenceError
from sdm.outputs import urlstate
from sdm.words import i18n

from . import lazy
from .memo import memo

FIELDS = "scenario_fields"
VIEW = "scenario_view"
SENT = "address_sent"  # the query parameters this session last wrote
DRAWN = "results_drawn"  # {"now": (result, per) or None}: what the results last drew, for the take-home part
LANG = "in_lang"  # the language switch's widget key


@st.cache_resource(show_spinner=False)
def _evidence():
    # sdm.default() keeps the loaded evidence per process outside Streamlit's caches, so a client's
    # clear-cache message (which empties them for everyone) does not make every user reload the files.
    return sdm.default()


@memo(1024)
def _worked_out(facts_json: str, base_id: int, _scenario, _base):
    """The engine's result for the first scenario seen with these facts (all but the goals)."""
    return sdm.run(_scenario, _base)


@memo(1024)
def _run(scenario_json: str, base_id: int, _facts_json: str, _scenario, _base):
    return with_goals(_worked_out(_facts_json, base_id, _scenario, _base), _scenario, _base)


def run(scenario, base):
    """The engine's result for a scenario; results are immutable, so sessions can share them.

    The figures are worked out once per set of clinical facts: another order of goals (in this session or
    another) puts the same cells in its own order (sdm.engine.compute.with_goals, equal to a fresh run)."""
    return _run(scenario.model_dump_json(), id(base), scenario.model_dump_json(exclude={"goals"}), scenario, base)


def evidence_or_stop():
    """The evidence base; if a file is missing or invalid, say which and show no numbers.

    The word catalogues (data/locales/) are checked here too, so a broken one gives this page, not a traceback."""
    try:
        base = _evidence()
        for lang in i18n.LANGUAGES:
            i18n.catalogue(lang)
        return base
    except EvidenceError as exc:
        _stop(exc)


def localised(base, lang: str):
    """The evidence base with its text in `lang` (same numbers); a broken translation gives the error page."""
    try:
        return translate.localise(base, lang)
    except EvidenceError as exc:
        _stop(exc)


def _stop(exc: EvidenceError):
    """The error page: which file, record and field is wrong; no numbers are shown."""
    st.title("The evidence files could not be read")
    st.error(
        "This tool shows no numbers until its evidence files are fixed. "
        "Please tell the people who run this tool. Problems found:"
    )

    def code(text: str) -> str:  # names from the file, shown as code: no markdown inside
        return text.replace("`", "'")

    def plain(text: str) -> str:  # a message can quote the file: every markdown sign is shown as itself
        return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])", r"\\\1", text)

    shown, more = exc.shown()  # problems are one line each, and at most sdm.evidence.MAX_PROBLEMS_SHOWN
    for p in shown:
        st.markdown(f"- **{p.file}**, record `{code(p.record)}`, field `{code(p.field)}`: {plain(p.message)}",
                    unsafe_allow_html=False)
    if more:
        st.markdown(f"- and {more:,} more problems: fix these first, then check again with "
                    "`python -m sdm validate`.")
    st.stop()


def current(base) -> tuple[dict, int, str]:
    """Scenario fields, denominator and view: from the session, or from the link on first load."""
    if FIELDS not in st.session_state:
        parsed = urlstate.from_params(st.query_params.to_dict(), base.rules)
        st.session_state[FIELDS] = parsed.fields
        st.session_state[VIEW] = (parsed.per, parsed.view)
        if parsed.problems:
            st.session_state["url_problems"] = parsed.problems
    per, view = st.session_state[VIEW]
    return dict(st.session_state[FIELDS]), per, view


def remember(scenario, per: int, view: str) -> None:
    """Keep the scenario for other pages and in the address bar (never on the server's disk)."""
    st.session_state[FIELDS] = scenario.model_dump(mode="json", exclude_none=True)
    st.session_state[VIEW] = (per, view)
    params = urlstate.to_params(scenario, per, view)
    # Compared with what this session last wrote as well: a rerun can bring back the address the page had before
    # an update made inside the consult page's fragment, and the address must still follow the scenario.
    if st.query_params.to_dict() != params or st.session_state.get(SENT) != params:
        st.query_params.from_dict(params)
        st.session_state[SENT] = params


def hold(result, per: int) -> None:
    """Keep what the results part draws now (None: it drew no numbers) for the take-home part, which is not
    redrawn on every change: its download reads this when it is clicked."""
    drawn()["now"] = None if result is None else (result, per)


def drawn() -> dict:
    """One dict per session, the same object every run, so that a download drawn earlier reads it at its click."""
    return st.session_state.setdefault(DRAWN, {})


def language() -> str:
    """This session's language: the switch, else the scenario kept in the session, else the link."""
    chosen = st.session_state.get(LANG)
    if chosen in i18n.LANGUAGES:
        return chosen
    kept = st.session_state.get(FIELDS) or {}
    if kept.get("lang") in i18n.LANGUAGES:
        return kept["lang"]
    asked = st.query_params.get("lang")
    return asked if asked in i18n.LANGUAGES else i18n.DEFAULT


def load_case(fields: dict) -> None:
    """Open a teaching case in the consult view, in the session's language."""
    lang = language()
    # the inputs, and the folds with their first state, so a case's ticks open their fold as a link's would
    for key in [k for k in st.session_state if str(k).startswith(("in_", "open_")) or k == lazy.FIRST]:
        del st.session_state[key]
    st.session_state[FIELDS] = {**fields, "lang": lang}
    st.switch_page("app_pages/consult.py")
