"""Baseline for the server-side rerun benchmark (bench goal 2): the empty script.

Nothing but the one input the benchmark changes, so that its rerun goes through the same
widget-change path as the consult page's rerun; everything else Streamlit does per rerun is
the floor that the consult page is compared against.
"""

import streamlit as st

st.selectbox("Choice", ["a", "b"], key="choice")
