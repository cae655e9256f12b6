"""Decision readiness (SURE) before and after the talk, and who decides. Shown here and on the handout only."""

from __future__ import annotations

import streamlit as st

from sdm import readiness


def sure(stage: str, title: str):
    """Four yes/no questions; returns the scored result once all four are answered."""
    with st.expander(title):
        st.caption("Four yes or no questions (the SURE test). Answers stay on this screen and the handout only.")
        answers = {}
        for item in readiness.SURE_ITEMS:
            value = st.segmented_control(item.question, ["Yes", "No"], key=f"sure_{stage}_{item.id}")
            if value is not None:
                answers[item.id] = value == "Yes"
        if len(answers) < len(readiness.SURE_ITEMS):
            return None
        result = readiness.score_sure(answers)
        st.markdown(f"**Score: {result.score} of {result.out_of}.** {result.message}")
        for step in result.next_steps:
            st.markdown(f"- {step}")
        return result


def who_decides():
    labels = dict(readiness.role_choices())
    return st.radio(readiness.ROLE_QUESTION, list(labels), index=None, format_func=labels.get, key="who_decides")
