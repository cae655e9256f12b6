"""The summary at the top of the consult screen (AppTest): every number equals the engine's, rows follow the
patient's goal order, one reference a row, an option that does not apply says why once."""

from __future__ import annotations

import pytest
import streamlit as st

import sdm
from sdm.present import summary
from sdm.words import wording
from tests.apptest_helpers import app, summary_cells
from tests.safety_plugin import report

BASE = sdm.default()


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def engine(**fields):
    return sdm.run(sdm.make(BASE.rules, **fields), BASE)


def check(at, result, per: int = 100) -> int:
    rows, cells = summary_cells(at)
    expected = [oid for oid, _ in summary.summary_outcomes(result, BASE)
                if any(o.risk is not None or o.finding for o in (opt.outcome(oid) for opt in result.options))]
    assert rows == expected  # the patient's top goals, in their order
    numbers = 0
    for (option_id, outcome_id), cell in cells.items():
        opt = result.option(option_id)
        o = opt.outcome(outcome_id)
        if opt.status in summary.GREYED:
            assert not cell["arrays"] and cell["text"].strip().endswith("–")
            continue
        if o.risk is None:
            assert not cell["arrays"]
            continue
        (arr,) = cell["arrays"]
        assert arr["total"] == per and arr["had"] + arr["maybe-had"] == wording.count(o.risk, per)
        assert wording.of_n(o.risk, per).replace(" of ", " in ") in cell["text"]
        ref = result.reference(outcome_id)
        if o.comparison in ("relative", "added"):  # the row's one reference, beside the option's own figure
            assert f"{wording.of_n(ref.risk, per).replace(' of ', ' in ')} with blood thinners alone" in cell["text"]
        if o.risk_low is not None:
            lo, hi = wording.count(o.risk_low, per), wording.count(o.risk_high, per)
            assert (f"could be {lo:,} to {hi:,}" if lo != hi else f"close to {lo:,}") in cell["text"]
        numbers += 1
    return numbers


@pytest.mark.parametrize("query,fields", [
    ({}, dict(location="iliofemoral", symptom_days=7, bleeding_tier="low")),
    ({"loc": "femoropopliteal", "days": "10", "bleed": "moderate", "per": "1000"},
     dict(location="femoropopliteal", symptom_days=10, bleeding_tier="moderate")),
    ({"loc": "distal", "days": "5", "bleed": "low"}, dict(location="distal", symptom_days=5, bleeding_tier="low")),
    ({"loc": "iliofemoral", "days": "7", "bleed": "low", "goals": "avoid_procedure,fast_relief,avoid_pts"},
     dict(location="iliofemoral", symptom_days=7, bleeding_tier="low",
          goals=("avoid_procedure", "fast_relief", "avoid_pts"))),
], ids=["iliofemoral", "thigh-1000", "calf", "goals-reordered"])
def test_summary_numbers_equal_the_engine_and_follow_the_goals(query, fields):
    at = app(query)
    assert not at.exception
    per = int(query.get("per", 100))
    n = check(at, engine(**fields), per)
    report(f"summary check ({'&'.join(f'{k}={v}' for k, v in query.items()) or 'default'}): {n} numbers match the engine")


def test_a_greyed_option_says_why_once():
    at = app({"loc": "distal", "days": "5", "bleed": "low"})
    html = "".join(el.proto.body for el in at.get("html") if 'class="sumx"' in el.proto.body)
    for option in ("cdt", "pcdt", "thrombectomy"):  # each greyed column says why once, in its heading
        start = html.index(f'<th scope="col" class="st-no_evidence greyed" data-option="{option}"')
        heading = html[start:html.index("</th>", start)]
        assert heading.count("Not studied in calf clots") == 1
    assert html.count("Not studied in calf clots") == 3  # once per column, nowhere else


def test_rows_with_no_checked_figure_fold_into_one_line():
    at = app({"loc": "distal", "days": "5", "bleed": "low", "goals": "fast_relief,avoid_bleeding,avoid_pts"})
    html = "".join(el.proto.body for el in at.get("html") if 'class="sumx"' in el.proto.body)
    assert "No checked figures yet for: faster relief of leg pain and swelling" in html
    rows, _ = summary_cells(at)
    assert "early_symptom_relief" not in rows


def test_summary_keeps_options_in_their_fixed_order_and_never_ranks():
    at = app()
    html = "".join(el.proto.body for el in at.get("html") if 'class="sumx"' in el.proto.body)
    positions = [html.index(f'<th scope="col" class="st-{result.status}') for result in
                 engine(location="iliofemoral", symptom_days=7, bleeding_tier="low").options]
    headings = [html.index(f'data-option="{o.id.value}"') for o in BASE.vocabulary.options]
    assert headings == sorted(headings) and len(set(positions)) >= 2
    for word in ("best option", "recommended", "winner", "ranked", "total score"):
        assert word not in html.lower()
