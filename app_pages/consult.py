"""The consult screen: the decision, what matters most, the summary first; details one click away."""

import streamlit as st

from app_pages.parts import inputs, readiness, sections, state, views

base = state.evidence_or_stop()
content = base.content

st.title("Treatment choices for a leg clot (DVT)")
sections.decision(content)

scenario, per, view = inputs.sidebar(base)
result = state.run(scenario, base)

sections.warnings(result)

st.session_state.setdefault("in_view", view)
view = st.segmented_control(
    "View", list(views.VIEWS), format_func=views.VIEWS.get, key="in_view", required=True,
    help="Five ways to look at the same numbers. The summary shows what matters most to you.",
    label_visibility="collapsed",
) or "summary"
state.remember(scenario, per, view)

if view == "summary":
    views.summary_view(result, base, per)
elif view == "pictures":
    views.pictures(result, base, per)
elif view == "goals":
    views.goals(result, base, per)
elif view == "table":
    views.question_table(result, base, per)
else:
    views.tradeoff(result, base)

sections.details(result, base)
with st.expander("How ready do you feel to choose? (four yes or no questions, before and after you talk)"):
    before = readiness.sure("before", "Before you talk")
    after = readiness.sure("after", "After you talk, and who decides", with_role=True)
sections.take_home(result, base, per, before=before, after=after, role=readiness.role())
sections.reference(base)
