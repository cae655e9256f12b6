"""Reference app for the browser benchmarks: one selectbox, one Plotly chart whose title names the choice.

The consult view's interaction and first load are compared with this page (bench goal 1 and 3).
Run it like the dashboard: `streamlit run bench/reference_app.py` from the repo root.
"""

import plotly.graph_objects as go
import streamlit as st

CHOICES = ["Blood thinners alone", "Clot-dissolving procedure"]
RISK = {"Blood thinners alone": [2, 3, 4, 5], "Clot-dissolving procedure": [5, 4, 3, 2]}

choice = st.selectbox("Treatment", CHOICES, key="choice")
fig = go.Figure(go.Bar(x=["3 months", "6 months", "1 year", "2 years"], y=RISK[choice]))
fig.update_layout(title=f"Choice: {choice}", height=320, margin=dict(l=10, r=10, t=40, b=10))
st.plotly_chart(fig, alt=f"Bar chart for {choice}")
