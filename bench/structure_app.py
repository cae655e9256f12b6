"""The consult page's shape with none of its work (bench goal 4a, "structure floor"): what Streamlit costs for
a change on a page built like app_pages/consult.py, before the page computes or writes anything of its own.

The whole script keeps a place at the top of the side panel; the results fragment draws the one input the
benchmark changes there (as the consult page's results draw the clot's location: app_pages/parts/inputs.py), so
each change is one run of the results. An inputs fragment beside it holds another input, which a change of the
first does not redraw. The results fragment writes the choice into the link and sends one HTML block as large as
the consult summary (its size in bytes is the script's argument; the words are filler, no figures). Compared with
the empty script under the same load, it shows how much of the consult page's ratio is the structure and how
much is the page's own work."""

import sys

import streamlit as st

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
UNIT = "<p>Filler words of about the size of the consult summary's text.</p>"


class Built(str):
    """Sent as it is, as app_pages/parts/lang.Built (no re-indenting)."""

    def _repr_html_(self) -> str:
        return str(self)


BODY = UNIT * (SIZE // len(UNIT) + 1)
place = st.sidebar.container()


@st.fragment(key="inputs")
def inputs():
    st.sidebar.checkbox("Another input", key="other")


@st.fragment(key="results")
def results():
    place.selectbox("Choice", ["a", "b"], key="choice")
    choice = st.session_state.get("choice") or "a"
    st.query_params["choice"] = choice
    st.html(Built(f"<div data-choice='{choice}'>{BODY}</div>"))


inputs()
results()
