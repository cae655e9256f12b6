"""Decision readiness (SURE) before and after the talk, and who decides. Shown here and on the handout only."""

from __future__ import annotations

import streamlit as st

from sdm import readiness


def sure(stage: str, title: str, with_role: bool = False):
    """Four yes/no questions behind a switch; returns the scored result once all four are answered.

    Answers are kept for the session only (never stored on the server or in the link), so they
    survive hiding the questions again."""
    if not st.toggle(title, key=f"sure_{stage}_open", persist_state="session"):
        kept = {i.id: st.session_state.get(f"sure_{stage}_{i.id}") for i in readiness.SURE_ITEMS}
        if all(v is not None for v in kept.values()):
            return readiness.score_sure({k: v == "Yes" for k, v in kept.items()})
        return None
    with st.container(border=True):
        st.caption("Four yes or no questions (the SURE test). Answers stay on this screen and the handout only.")
        answers = {}
        for item in readiness.SURE_ITEMS:
            value = st.segmented_control(item.question, ["Yes", "No"], key=f"sure_{stage}_{item.id}",
                                         persist_state="session")
            if value is not None:
                answers[item.id] = value == "Yes"
        result = None
        if len(answers) == len(readiness.SURE_ITEMS):
            result = readiness.score_sure(answers)
            st.markdown(f"**Score: {result.score} of {result.out_of}.** {result.message}\n"
                        + "\n".join(f"- {step}" for step in result.next_steps))
        if with_role:
            who_decides()
        return result


def who_decides():
    labels = dict(readiness.role_choices())
    return st.radio(readiness.ROLE_QUESTION, list(labels), index=None, format_func=labels.get, key="who_decides",
                    persist_state="session")


def role() -> str | None:
    return st.session_state.get("who_decides")
