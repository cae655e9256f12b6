"""Decision readiness (SURE) before and after the talk, and who decides. Shown here and on the handout only.

The questions and answers are in the session's language (`cat`); the stored answers are "Yes"/"No" whatever the
language, so they survive a change of language."""

from __future__ import annotations

import streamlit as st

from sdm.teaching import readiness
from sdm.words import i18n

from . import lang, lazy

ANSWERS = ("Yes", "No")  # widget values; their words are ui.sure.yes / ui.sure.no


def sure(stage: str, title: str, cat: i18n.Catalogue, with_role: bool = False):
    """Four yes/no questions behind a switch; returns the scored result once all four are answered.

    Answers are kept for the session only (never stored on the server or in the link), so they
    survive hiding the questions again."""
    items = readiness.sure_items(cat)
    if not st.toggle(title, key=f"sure_{stage}_open", persist_state="session"):
        return kept(stage, cat)
    with st.container(border=True):
        lang.caption(cat.t("ui.sure.caption"), cat)
        answers = {}
        for item in items:
            value = st.segmented_control(item.question, list(ANSWERS), key=f"sure_{stage}_{item.id}",
                                         format_func=lambda a: cat.t(f"ui.sure.{a.lower()}"), persist_state="session")
            if value is not None:
                answers[item.id] = value == "Yes"
        result = None
        if len(answers) == len(items):
            result = readiness.score_sure(answers, cat)
            lang.markdown(cat.t("ui.sure.score", score=result.score, out_of=result.out_of, message=result.message)
                          + "\n" + "\n".join(f"- {step}" for step in result.next_steps), cat)
        if with_role:
            who_decides(cat)
        return result


def kept(stage: str, cat: i18n.Catalogue):
    """The scored answers kept in the session while the questions are hidden (None until all are answered)."""
    answers = {i.id: st.session_state.get(f"sure_{stage}_{i.id}") for i in readiness.sure_items(cat)}
    if all(v is not None for v in answers.values()):
        return readiness.score_sure({k: v == "Yes" for k, v in answers.items()}, cat)
    return None


def section(cat: i18n.Catalogue):
    """(before, after): the questions in an expander that is built only while open; closed, the kept answers."""
    box, is_open = lazy.expander(cat.t("ui.consult.readiness_title"), "open_readiness")
    if not is_open:
        return kept("before", cat), kept("after", cat)
    with box:
        return (sure("before", cat.t("ui.consult.before"), cat),
                sure("after", cat.t("ui.consult.after"), cat, with_role=True))


def who_decides(cat: i18n.Catalogue):
    labels = dict(readiness.role_choices(cat))
    return st.radio(readiness.role_question(cat), list(labels), index=None, format_func=labels.get, key="who_decides",
                    persist_state="session")


def role() -> str | None:
    return st.session_state.get("who_decides")
