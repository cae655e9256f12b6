"""The teaching page's parts. Every number comes from the engine via sdm.teaching.

Evidence text reaches markdown and widget labels only through sdm.evidence.safe_text.markdown (md), and Plotly labels only
through sdm.evidence.safe_text.plotly, so markup written in a data file shows as the characters typed."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from sdm import teaching
from sdm.evidence import safe_text
from sdm.evidence.models import Location, Tier
from sdm.evidence.safe_text import markdown as md
from sdm.words.wording import per100

from . import state

STATUS_CODE = {"studied": 4, "one_group": 3, "indirect": 2, "no_evidence": 1, "contraindicated": 0}
STATUS_WORD = teaching.STATUS_WORDS
# Okabe-Ito, one colour per status code 0..4; each cell also carries its status in words.
STATUS_COLOURS = ["#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#009E73"]
STATUS_SCALE = [[(i + edge) / len(STATUS_COLOURS), c] for i, c in enumerate(STATUS_COLOURS) for edge in (0, 1)]


@st.cache_resource(show_spinner=False)
def vignettes(_base):
    return teaching.load_vignettes(_base)


@st.cache_resource(show_spinner=False)
def _grid(_base):
    return teaching.sensitivity_grid(_base)


def case_library(cases):
    st.header("Case library")
    titles = {c.id: c.title for c in cases}
    chosen = st.selectbox("Choose a case", list(titles), format_func=titles.get, key="teach_case")
    case = next(c for c in cases if c.id == chosen)
    st.markdown(md(case.story))
    for p in case.teaching_points:
        refs = f" *({md(', '.join(p.evidence))})*" if p.evidence else ""
        st.markdown(f"- {md(p.text)}{refs}")
    if st.button("Open this case in the consult view", icon=":material/open_in_new:", key="teach_open"):
        state.load_case(case.scenario.model_dump(mode="json", exclude_none=True))
    return case


def compare_inputs(base, fields: dict) -> dict:
    st.caption("The left column is the case above. Change the right column to see what moves.")
    c1, c2, c3, c4 = st.columns(4)
    locs = [loc.value for loc in Location]
    right = dict(fields)
    right["location"] = c1.selectbox("Clot location (right)", locs, index=locs.index(fields["location"]),
                                     format_func=lambda v: base.vocabulary.locations[Location(v)], key="teach_loc")
    right["symptom_days"] = int(c2.number_input("Days since symptoms (right)", 0, base.rules.max_symptom_days,
                                                int(fields["symptom_days"]), key="teach_days"))
    tiers = [t.value for t in Tier]
    current_tier = fields.get("bleeding_tier") or "low"
    tier = c3.selectbox("Bleeding risk (right)", tiers, index=tiers.index(current_tier), key="teach_tier")
    if tier != fields.get("bleeding_tier"):
        right.pop("chest_factors", None)
        right.pop("vte_bleed_factors", None)
        right["bleeding_tier"] = tier
    right["limb_threatening"] = c4.checkbox("Threatens the leg (right)", bool(fields.get("limb_threatening")),
                                            key="teach_limb")
    return right


TABLE_HEADS = {"major_bleeding": "Serious bleeding", "pts_moderate_severe": "Moderate or severe PTS"}


def _summary(result) -> pd.DataFrame:
    """One row per option: its figure per 100, with the row's blood-thinners-alone reference beside it."""
    rows = []
    for row in teaching.side_table(result, teaching.TABLE_OUTCOMES):
        rec = {"Option": row.short, "Status": STATUS_WORD[row.status]}
        for c in row.cells:
            rec[TABLE_HEADS.get(c.outcome, c.outcome)] = c.text
        rows.append(rec)
    return pd.DataFrame(rows)


def _references(result, base) -> None:
    lines = teaching.reference_lines(result, base, teaching.TABLE_OUTCOMES)
    st.caption("Blood thinners alone, the one figure each row is compared with: "
               + " ".join(md(line.text) for line in lines))


def side_by_side(left, right, base, title: str) -> None:
    st.caption("Each figure is people per 100. \"vs\" gives the same row's figure with blood thinners alone: "
               "the one figure every option in that row is compared with.")
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**Left: {md(title)}**")
        st.dataframe(_summary(left), hide_index=True)
        _references(left, base)
    with c2:
        st.markdown("**Right: your changes**")
        st.dataframe(_summary(right), hide_index=True)
        _references(right, base)
    changes = teaching.diff_scenarios(left, right, base)
    if not changes:
        st.success("Nothing differs yet: change the right column.", icon=":material/compare_arrows:")
    else:
        main_kinds = ("input", "clot_age", "bleeding_tier", "reference", "status", "risk")
        order = {k: i for i, k in enumerate(main_kinds)}
        main = sorted((c for c in changes if c.kind in order), key=lambda c: order[c.kind])
        st.markdown("**What changed**")
        for ch in main[:20]:
            st.markdown(f"- :orange-background[{ch.kind.replace('_', ' ')}] {md(ch.text)}")
        rest = [c for c in changes if c.kind not in order] + main[20:]
        if rest:
            with st.expander(f"{len(rest)} more changes"):
                for ch in rest:
                    st.markdown(f"- {md(ch.text)}")


def _bleed_text(c) -> str:
    if c.major_bleeding is None:
        return "bleed -"
    alone = f"<br>alone {per100(c.major_bleeding_comparator)}" if (
        c.major_bleeding_comparator is not None and c.option != "anticoagulation") else ""
    return f"bleed {per100(c.major_bleeding)}{alone}"


GRID_COLUMNS = {f"{oid}_comparator": f"{oid}_blood_thinners_alone" for oid in teaching.GRID_OUTCOMES}


def sensitivity(base) -> None:
    cells = _grid(base)
    opts = [o for o in base.vocabulary.options]
    labels = {o.id.value: o.short for o in opts}
    option = st.selectbox("Option", list(labels), index=2, format_func=labels.get, key="teach_grid_option")
    tiers = [t.value for t in Tier]
    fig = make_subplots(rows=1, cols=3, subplot_titles=[f"{t} bleeding risk" for t in tiers], shared_yaxes=True)
    for i, tier in enumerate(tiers, start=1):
        locs, days, rows = teaching.arrange(cells, option, tier)
        z = [[STATUS_CODE[c.status] for c in row] for row in rows]
        text = [[f"{STATUS_WORD[c.status]}<br>{_bleed_text(c)}" for c in row] for row in rows]
        fig.add_trace(go.Heatmap(z=z, x=[f"{d} d" for d in days],
                                 y=[safe_text.plotly(base.vocabulary.locations[loc].split(" (")[0]) for loc in locs],
                                 text=text, texttemplate="%{text}", zmin=0, zmax=len(STATUS_COLOURS) - 1,
                                 colorscale=STATUS_SCALE, showscale=False, hoverinfo="skip", xgap=2, ygap=2,
                                 textfont={"color": "black"}),
                      row=1, col=i)
    # The key: one entry per status, in words, with its colour (a legend, not a colour bar).
    for status, code in sorted(STATUS_CODE.items(), key=lambda kv: -kv[1]):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=safe_text.plotly(STATUS_WORD[status]),
                                 marker={"symbol": "square", "size": 14, "color": STATUS_COLOURS[code],
                                         "line": {"color": "black", "width": 1}},
                                 showlegend=True, hoverinfo="skip"), row=1, col=1)
    # the key sits in the bottom margin, below the day labels (container coordinates)
    fig.update_layout(height=410, margin=dict(l=10, r=10, t=40, b=60), template="simple_white",
                      legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0,
                                  title={"text": "Status: "}))
    alt = (f"Status of {labels[option]} by clot location, days since symptoms and bleeding tier; "
           "each cell names its status in words ("
           + ", ".join(STATUS_WORD[s] for s in STATUS_CODE)
           + "), the serious-bleeding figure per 100 and, when it is compared, the blood-thinners-alone figure.")
    st.plotly_chart(fig, theme=None, alt=alt, config={"displaylogo": False})
    st.caption("Computed by the engine for every combination (not typed in). 'bleed' = serious bleeding per 100 "
               "for this option, counting a procedure's extra bleeding; 'alone' = the same row's figure with "
               "blood thinners alone, the one every option is compared with. 'one group' = one treated group "
               "with no comparison group. Colours repeat the words in each cell.")
    with st.expander("The same grid as a table"):
        frame = teaching.to_frame([c for c in cells if c.option == option]).rename(columns=GRID_COLUMNS)
        st.dataframe(frame, hide_index=True)


def guess_first(result, base, case_id: str) -> None:
    items = teaching.guess_items(result, base)[:6]
    if not items:
        st.markdown("This case has no numbers to guess.")
        return
    st.caption("Guess each number before you reveal it. Your guesses stay on this page only.")
    guesses = {}
    with st.form(f"guess_{case_id}"):
        for it in items:
            guesses[it.id] = st.number_input(md(it.question), 0, 100, None, key=f"guess_{case_id}_{it.id}",
                                             placeholder="your guess, out of 100")
        shown = st.form_submit_button("Reveal")
    given = {k: v / 100 for k, v in guesses.items() if v is not None}
    if shown and not given:
        st.warning("Type at least one guess, then press Reveal.", icon=":material/edit:")
    elif shown:
        cal = teaching.score_guesses(given, teaching.truths(items))
        st.markdown(f"**{md(cal.summary)}**")
        st.dataframe(pd.DataFrame([
            {"Question": it.question, "Your guess": guesses[it.id], "Answer per 100": per100(it.truth),
             "Blood thinners alone per 100": _alone(it),
             "Where the answer comes from": it.label + (f": {it.working}" if it.working else "")}
            for it in items
        ]), hide_index=True)
        st.caption("'Published' is a figure as a study reported it. 'Worked out' is a study's effect applied to "
                   "the blood-thinners-alone figure for this patient's row, with the sum shown.")


def _alone(it) -> str:
    if it.option == "anticoagulation":
        return "the reference itself"
    return per100(it.reference) if it.reference is not None else "not compared"


def prompts(base) -> None:
    for p in teaching.discussion_prompts(base):
        with st.expander(md(p.title)):
            st.markdown(md(p.text))
            refs = [md(r) for r in p.sources + p.guidelines]
            if p.reference:
                refs.append(md(p.reference) + (f" ({safe_text.doi_markdown(p.doi)})" if p.doi else ""))
            if refs:
                st.caption("Sources: " + "; ".join(refs))
