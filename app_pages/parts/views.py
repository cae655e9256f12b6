"""The views of the same numbers: summary, pictures, goals, question table, trade-off chart.

Evidence text reaches markdown (st.table reads markdown in every cell) only through sdm.evidence.safe_text.markdown (md),
and Plotly labels only through sdm.evidence.safe_text.plotly. The page's own words come from the catalogue (`cat`);
`base` here is the evidence base in the session's language (sdm.evidence.translate.localise)."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sdm.evidence import safe_text
from sdm.evidence.safe_text import markdown as md
from sdm.outputs import urlstate
from sdm.present import grid, html_views, summary, summary_html, tables
from sdm.words import i18n

from . import lang
from .memo import memo

VIEWS = urlstate.VIEWS  # ids; their names are in the catalogue (ui.consult.views.<id>)


SWITCH = "in_view"  # the view switch's widget key


def view_name(view: str, cat: i18n.Catalogue) -> str:
    return cat.t(f"ui.consult.views.{view}")


def switch(view: str, cat: i18n.Catalogue, on_change) -> None:
    """Summary, pictures, goals, table or trade-off: the same numbers in another form, above the results."""
    st.session_state.setdefault(SWITCH, view)
    st.segmented_control(cat.t("ui.consult.view_label"), list(VIEWS), format_func=lambda v: view_name(v, cat),
                         key=SWITCH, required=True, help=cat.t("ui.consult.view_help"), label_visibility="collapsed",
                         on_change=on_change)


@memo(512)
def _grid_html(scenario_json: str, per: int, base_id: int, _result, _base) -> str:
    """The pictures for one scenario, built once: the scenario's JSON is the cache key."""
    return html_views.grid_html(grid.rows(_result, _base, per), per, _base.content.glossary)


@memo(512)
def _summary_html(scenario_json: str, per: int, base_id: int, lang_code: str, _result, _base) -> str:
    """The summary for one scenario, built once: the scenario's JSON (its language included) is the cache key."""
    cat = i18n.catalogue(lang_code)
    built = summary.build(_result, _base, per)
    html = summary_html.summary_html(built, _base.content.glossary)
    more = summary.folded_elsewhere(_result, _base, built)
    if more:
        items = escape(", ".join(m[:1].lower() + m[1:] for m in more), quote=False)
        html += f'<p class="sumx-more">{cat.t("ui.views.not_in_summary", items=items)}</p>'
    return lang.wrap(html, cat)


def summary_view(result, base, per: int, cat: i18n.Catalogue, then: str = "") -> None:
    """The patient's top goals, every option against one blood-thinners-alone figure a row; `then`, HTML drawn
    right below it in the same block (one element fewer to send on every change)."""
    lang.show(_summary_html(result.scenario.model_dump_json(), per, id(base), cat.lang, result, base) + then)


def pictures(result, base, per: int, cat: i18n.Catalogue) -> None:
    lang.html(_grid_html(result.scenario.model_dump_json(), per, id(base), result, base), cat)
    missing = grid.unfigured(result, base)
    if missing:
        lang.caption(md(cat.t("ui.views.no_figure", items=", ".join(m[:1].lower() + m[1:] for m in missing))), cat)


def goals(result, base, per: int, cat: i18n.Catalogue) -> None:
    top = list(result.scenario.goals)[:3]
    if not top:
        st.info(cat.t("ui.views.pick_goals"))
        return
    rows = grid.rows(result, base, per)
    by_goal = tables.rows_by_goal(rows, top, base)
    for goal_id, goal_rows in by_goal:
        label = next(g.label for g in base.vocabulary.goals if g.id == goal_id)
        lang.heading(md(label), 3, cat)
        if goal_rows:
            lang.html(html_views.grid_html(goal_rows, per, base.content.glossary), cat)
        else:
            lang.markdown(md(tables.no_numbers_for_goal(goal_id, result)), cat)
    lang.caption(cat.t("ui.views.not_ranked"), cat)


def question_table(result, base, per: int, cat: i18n.Catalogue) -> None:
    lang.caption(cat.t("ui.views.table_caption"), cat)
    lang.html(html_views.questions_html(tables.option_grid(result, base, per)), cat)


def _hover(text: str) -> str:
    """Text for a hover template: escaped for Plotly, and '%' kept from starting a template field."""
    return safe_text.plotly(text).replace("%", "&#37;")


def tradeoff(result, base, cat: i18n.Catalogue) -> None:
    measures = tables.pts_measures(cat)
    measure = st.radio(cat.t("ui.views.tradeoff_label"), list(measures), format_func=measures.get, horizontal=True,
                       key="in_tradeoff_pts")
    points = tables.tradeoff_points(result, measure)
    missing = [o.short for o in result.options[1:] if o.id not in {p.option_id for p in points}]
    if missing:
        lang.caption(md(cat.t("ui.views.not_drawn", items=", ".join(missing))), cat)
    if not points:
        st.info(cat.t("ui.views.no_points"))
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
            hovertemplate=cat.t("ui.views.hover", label=_hover(p.label), x="%{x:.1f}", y="%{y:.1f}",
                                pts=_hover(p.pts_label)) + "<extra></extra>",
        ))
    fig.add_hline(y=0, line_color="#999999")
    fig.add_vline(x=0, line_color="#999999")
    fig.update_layout(
        height=420, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
        xaxis_title=cat.t("ui.views.x_title"),
        yaxis_title=safe_text.plotly(cat.t("ui.views.y_title", measure=measures[measure])),
        template="simple_white",
    )
    st.plotly_chart(fig, theme=None, alt=tables.tradeoff_alt(points), config={"displaylogo": False})
    lang.caption(cat.t("ui.views.tradeoff_caption"), cat)
    st.dataframe(pd.DataFrame([p.as_row() for p in points]), hide_index=True)
