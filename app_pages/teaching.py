"""Teaching: case library, two scenarios side by side, sensitivity views, guess first, prompts."""

import streamlit as st

import sdm
from app_pages.parts import lang, state, teach

base = state.evidence_or_stop()
lang.english_only_notice()  # this page stays English; in another language the notice says so in that language

st.title("Teaching: how the trade-offs shift from one patient to the next")
st.info(
    "Teaching mode uses the same population-level evidence as the consult view. The numbers describe groups of "
    "people in studies, not any one patient, and no option is ranked or scored.",
    icon=":material/school:",
)

vignettes = teach.vignettes(base)
case = teach.case_library(vignettes)

st.header("Two patients side by side")
left_fields = case.scenario.model_dump(mode="json", exclude_none=True)
right_fields = teach.compare_inputs(base, left_fields)
left = sdm.run(sdm.make(base.rules, **left_fields), base)
right = sdm.run(sdm.make(base.rules, **right_fields), base)
teach.side_by_side(left, right, base, case.title)

st.header("Sensitivity: where the evidence applies")
teach.sensitivity(base)

st.header("Guess first")
teach.guess_first(left, base, case.id)

st.header("Questions for discussion")
teach.prompts(base)
