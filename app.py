"""Entry point: page setup, evidence check, navigation. Pages live in app_pages/."""

import streamlit as st

from app_pages.parts import gcsettings, lang, logfilter, state
from sdm.words import i18n

st.set_page_config(page_title="Leg clot (DVT) treatment choices", page_icon="🩺", layout="wide")
# A refused websocket frame logs one line, not a traceback (once per process; other errors untouched).
logfilter.install()

base = state.evidence_or_stop()
cat = lang.catalogue()  # this session's language (the switch on the consult page, or ?lang= in the link)
if cat.lang != i18n.DEFAULT:
    st.set_page_config(page_title=cat.t("ui.page.tab_title"))
# Streamlit's faded caption grey is below the WCAG AA contrast ratio on white; darken it.
st.html("<style>[data-testid='stCaptionContainer']{color:#4d4d4d;opacity:1}</style>")

# The Teaching and Methods pages stay English; in another language their links say so.
pages = [
    st.Page("app_pages/consult.py", title=cat.t("ui.page.nav_consult"), icon=":material/forum:", url_path="consult",
            default=True),
    st.Page("app_pages/teaching.py", title=cat.t("ui.page.nav_teaching"), icon=":material/school:",
            url_path="teaching"),
    st.Page("app_pages/methods.py", title=cat.t("ui.page.nav_methods"), icon=":material/menu_book:",
            url_path="methods"),
]
st.navigation(pages, position="top").run()
# Once per process, after the first run has loaded the modules and the evidence: fewer pauses (gcsettings).
gcsettings.install()
