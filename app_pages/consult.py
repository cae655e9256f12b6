"""The consult screen: the decision, what matters most, the five options side by side."""

import streamlit as st

from app_pages.parts import inputs, readiness, sections, state, views

base = state.evidence_or_stop()
content = base.content

st.title("Treatment choices for a leg clot (DVT)")
sections.decision(content)

scenario, per, view = inputs.sidebar(base)
result = state.run(scenario, base)

sections.warnings(result)
before = readiness.sure("before", "Before you talk: answer four questions on how ready you feel to choose")
sections.option_strip(result, base)

st.session_state.setdefault("in_view", view)
view = st.segmented_control(
    "View", list(views.VIEWS), format_func=views.VIEWS.get, key="in_view", required=True,
    help="Four ways to look at the same numbers.",
) or "pictures"
state.remember(scenario, per, view)

if view == "pictures":
    views.pictures(result, base, per)
elif view == "goals":
    views.goals(result, base, per)
elif view == "table":
    views.question_table(result, base, per)
else:
    views.tradeoff(result, base)

sections.option_cards(result, base)
sections.guidelines(result)
after = readiness.sure("after", "After you talk: answer them again, and say who decides", with_role=True)
sections.take_home(result, base, per, before=before, after=after, role=readiness.role())
sections.reference(base)
