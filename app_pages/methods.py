"""Methods and transparency: how the evidence was chosen and how each number is worked out.

Evidence text reaches markdown only through sdm.evidence.safe_text.markdown (md); tables show text as it is."""

import pandas as pd
import streamlit as st

from app_pages.parts import lang, state
from sdm.evidence.safe_text import markdown as md
from sdm.teaching import methods
from sdm.words import wording

base = state.evidence_or_stop()
lang.english_only_notice()  # this page stays English; in another language the notice says so in that language
about = base.content.about
summary = methods.evidence_summary(base)

st.title("Methods and transparency")
st.markdown(f"**Evidence last reviewed:** {base.rules.evidence_date:%d %B %Y}. **Update policy:** {md(about.update_policy)}")
if summary.stale:
    st.warning("The evidence may be out of date: it has not been reviewed within the update policy.")

st.header("What this tool is, and what it is not")
st.markdown(f"{md(about.purpose)} {md(about.audience)}")
st.markdown(
    "It does not recommend, rank or score treatments, and it is not for emergencies. "
    "It shows published group results; it cannot predict what will happen to one person."
)
st.markdown(f"**Limits.** {md(about.limitations)}")
st.markdown(f"**Funding and conflicts.** {md(about.funding)}")
st.markdown(f"**Translation.** {md(about.translation_note)}")

st.header("How evidence was selected")
st.markdown(
    "Figures come from randomised trials, pooled analyses, registries and guidelines on anticoagulation alone, "
    "catheter-directed thrombolysis, pharmacomechanical thrombolysis, mechanical thrombectomy and venous stenting "
    "for leg DVT. Each figure was checked against a stored copy of the paper or its abstract and carries a mark: "
    "checked in the paper, worked out from checked figures, or seen only in a secondary source (shown with a "
    "caveat). Figures from memory or not found are never shown. Each study's population (clot location, "
    "days since symptoms, bleeding risk, age, whether leg-threatening clots were included) decides whether it "
    "applies to a patient directly, only indirectly, or not at all."
)
st.dataframe(pd.DataFrame([
    {"What": "Sources", "How many": summary.sources},
    {"What": "Sources paid for by industry", "How many": summary.industry_sponsored},
    {"What": "Numbers (estimates)", "How many": summary.estimates},
    {"What": "Results in words only", "How many": summary.findings},
    {"What": "Known gaps", "How many": summary.gaps},
    {"What": "Guideline statements", "How many": summary.guidelines},
] + [{"What": f"Estimates marked {k}", "How many": v} for k, v in summary.estimates_by_verification.items()]),
    hide_index=True)

st.header("One blood-thinners-alone figure per row")
st.caption("Every option in a row is compared with this one figure. Cohorts that follow people over time are shown "
           "beside it as notes, and are the figure only where no trial group fits.")
st.dataframe(pd.DataFrame(methods.reference_table(base)), hide_index=True)

st.header("How each number is worked out")
for f in methods.formulas(base):
    st.markdown(f"**{md(f.name)}** (used for {md(f.used_for)}). {md(f.text)}")

st.header("What certainty means")
for level, words in wording.CERTAINTY_WORDS.items():
    st.markdown(f"- **{level.capitalize()}**: {words}")
st.markdown(
    "Certainty is the GRADE rating where the study or a guideline gave one; otherwise it is this project's own "
    "judgement, and the screen says which."
)

st.header("Known gaps")
for g in base.gaps:
    st.markdown(f"- {md(g.text)}")

st.header("Sources")
st.dataframe(pd.DataFrame([
    {"Id": s.id, "Citation": s.citation, "Link": s.link or "", "Design": s.design.value, "People": s.patients,
     "Follow-up": s.follow_up, "Checked": s.checked.isoformat(), "Mark": s.verification.value}
    for s in base.sources
]), hide_index=True, column_config={"Link": st.column_config.LinkColumn("Link")})

st.header("IPDAS self-check")
st.caption("Generated from data/ipdas.yaml: each International Patient Decision Aid Standards criterion, "
           "whether this tool meets it, and where.")
rows = methods.ipdas_table(base)
st.dataframe(pd.DataFrame([
    {"Criterion": r.id, "Group": r.group, "What it asks": r.text, "Status": r.status,
     "Where": ", ".join(str(w) for w in r.where), "Note": r.note or ""} for r in rows
]), hide_index=True)
