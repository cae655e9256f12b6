"""The four views of the same numbers: pictures, goals, question table, trade-off chart.

Evidence text reaches markdown (st.table reads markdown in every cell) only through sdm.safe_text.markdown (md),
and Plotly labels only through sdm.safe_text.plotly."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sdm import grid, html_views, safe_text, summary, summary_html, tables
from sdm.safe_text import markdown as md

VIEWS = {
    "summary": "Summary",
    "pictures": "Detailed pictures",
    "goals": "By goal",
    "table": "Questions and answers",
    "tradeoff": "Trade-off (clinicians)",
}


@st.cache_resource(max_entries=512, show_spinner=False)
def _grid_html(scenario_json: str, per: int, base_id: int, _result, _base) -> str:
    """The pictures for one scenario, built once: the scenario's JSON is the cache key."""
    return html_views.grid_html(grid.rows(_result, _base, per), per, _base.content.glossary)


@st.cache_resource(max_entries=512, show_spinner=False)
def _summary_html(scenario_json: str, per: int, base_id: int, _result, _base) -> str:
    """The summary for one scenario, built once: the scenario's JSON is the cache key."""
    built = summary.build(_result, _base, per)
    html = summary_html.summary_html(built, _base.content.glossary)
    more = summary.folded_elsewhere(_result, _base, built)
    if more:
        names = ", ".join(escape(m[:1].lower() + m[1:]) for m in more)
        html += f'<p class="sumx-more">Not in this summary, and no checked figure for any option: {names}.</p>'
    return html


def summary_view(result, base, per: int) -> None:
    """The patient's top goals, every option against one blood-thinners-alone figure a row."""
    st.html(_summary_html(result.scenario.model_dump_json(), per, id(base), result, base))


def pictures(result, base, per: int) -> None:
    st.html(_grid_html(result.scenario.model_dump_json(), per, id(base), result, base))
    missing = grid.unfigured(result, base)
    if missing:
        st.caption(md(f"No checked figure yet, for any option, for: {', '.join(m[:1].lower() + m[1:] for m in missing)}."))


def goals(result, base, per: int) -> None:
    top = list(result.scenario.goals)[:3]
    if not top:
        st.info("Pick what matters most in the list above to see it here.")
        return
    rows = grid.rows(result, base, per)
    by_goal = tables.rows_by_goal(rows, top, base)
    for goal_id, goal_rows in by_goal:
        label = next(g.label for g in base.vocabulary.goals if g.id == goal_id)
        st.subheader(md(label))
        if goal_rows:
            st.html(html_views.grid_html(goal_rows, per, base.content.glossary))
        else:
            st.markdown(md(tables.no_numbers_for_goal(goal_id, result)))
    st.caption("No option is scored or ranked. The boxes show each option's numbers side by side.")


def question_table(result, base, per: int) -> None:
    st.caption("Each column is an option. Read across a row to compare the answers.")
    st.html(html_views.questions_html(tables.option_grid(result, base, per)))


def _hover(text: str) -> str:
    """Text for a hover template: escaped for Plotly, and '%' kept from starting a template field."""
    return safe_text.plotly(text).replace("%", "&#37;")


def tradeoff(result, base) -> None:
    measure = st.radio("Long-term leg problems to count", list(tables.PTS_MEASURES), format_func=tables.PTS_MEASURES.get,
                       horizontal=True, key="in_tradeoff_pts")
    points = tables.tradeoff_points(result, measure)
    missing = [o.short for o in result.options[1:] if o.id not in {p.option_id for p in points}]
    if missing:
        st.caption(md(f"Not drawn, for lack of both figures for this patient: {', '.join(missing)}."))
    if not points:
        st.info("No option has both a bleeding and a long-term leg problem figure for this patient.")
        return
    fig = go.Figure()
    symbols = ["circle", "square", "diamond", "triangle-up", "x"]
    for i, p in enumerate(points):
        fig.add_trace(go.Scatter(
            x=[p.extra_bleeding], y=[p.fewer_pts], mode="markers+text", name=safe_text.plotly(p.label),
            text=[safe_text.plotly(p.short)],
            textposition="top center",
            marker=dict(size=12, symbol=symbols[i % len(symbols)], color="#0072B2"),
            error_x=dict(type="data", symmetric=False, array=[p.bleed_high - p.extra_bleeding],
                         arrayminus=[p.extra_bleeding - p.bleed_low], color="#555555"),
            error_y=dict(type="data", symmetric=False, array=[p.pts_high - p.fewer_pts],
                         arrayminus=[p.fewer_pts - p.pts_low], color="#555555"),
            hovertemplate=f"{_hover(p.label)}<br>%{{x:.1f}} more with serious bleeding per 100<br>"
                          f"%{{y:.1f}} fewer with {_hover(p.pts_label)} per 100<extra></extra>",
        ))
    fig.add_hline(y=0, line_color="#999999")
    fig.add_vline(x=0, line_color="#999999")
    fig.update_layout(
        height=420, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
        xaxis_title="Extra people with serious bleeding, per 100",
        yaxis_title=f"Fewer people with {tables.PTS_MEASURES[measure]}, per 100",
        template="simple_white",
    )
    st.plotly_chart(fig, theme=None, alt=tables.tradeoff_alt(points), config={"displaylogo": False})
    st.caption(
        "Each point compares an option with blood thinners alone, with 95% ranges as lines; the table names the "
        "studies behind each number. Studies differ in people and time frames. Points are not ranked; distance "
        "from the corner is not a score."
    )
    st.dataframe(pd.DataFrame([p.as_row() for p in points]), hide_index=True)
