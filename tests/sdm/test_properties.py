"""Property tests over the whole input space."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import sdm
from sdm.engine.compute import with_goals
from tests.strategies import bleeding_fields, scenario_fields

BASE = sdm.default()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_fields, bleeding_fields)
def test_every_valid_input_gives_sound_numbers(f, b):
    result = sdm.run(sdm.make(BASE.rules, **f, **b), BASE)
    assert len(result.options) == 5
    for opt in result.options:
        for o in opt.outcomes:
            for p in (o.risk, o.risk_low, o.risk_high, o.comparator_risk):
                assert p is None or 0.0 <= p <= 1.0
            if o.risk_low is not None:
                assert o.risk_low <= o.risk <= o.risk_high
            if o.risk is not None:
                assert o.source_ids and o.horizon and o.certainty


@settings(max_examples=200, deadline=None)
@given(scenario_fields)
def test_higher_bleeding_tier_never_lowers_a_bleeding_estimate(f):
    results = [sdm.run(sdm.make(BASE.rules, **f, bleeding_tier=t), BASE) for t in ("low", "moderate", "high")]
    for opt_id in ("anticoagulation", "cdt", "pcdt", "thrombectomy", "stenting"):
        risks = [r.option(opt_id).outcome("major_bleeding").risk for r in results]
        if risks[0] is not None:
            assert risks[0] <= risks[1] <= risks[2], (opt_id, risks)


junk = st.one_of(st.none(), st.integers(-1000, 1000), st.text(max_size=12), st.booleans(), st.floats(allow_nan=True),
                 st.lists(st.text(max_size=5), max_size=3))


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(st.sampled_from(["location", "symptom_days", "bleeding_tier", "chest_factors",
                                        "vte_bleed_factors", "contraindications", "limb_threatening",
                                        "iliac_compression", "age", "goals", "extra"]), junk, max_size=8))
def test_any_invalid_input_raises_a_validation_error_and_nothing_else(raw):
    try:
        scenario = sdm.make(BASE.rules, **raw)
    except ValidationError:
        return
    sdm.run(scenario, BASE)  # whatever validated must run


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_fields, bleeding_fields, st.permutations(list(sdm.Goal)), st.integers(0, 5),
       st.sampled_from(["en", "es"]))
def test_another_goal_order_gives_the_same_result_as_a_fresh_run(f, b, goals, keep, lang):
    """The pages reuse a result for another order of goals (sdm.engine.compute.with_goals): it must be
    exactly what a fresh run of that scenario gives, every cell, reason and word."""
    first = sdm.make(BASE.rules, **{**f, "lang": lang}, **b)
    other = first.model_copy(update={"goals": tuple(goals[:keep])})
    reused = with_goals(sdm.run(first, BASE), other, BASE)
    assert reused.model_dump() == sdm.run(other, BASE).model_dump()


def test_a_result_is_reused_only_for_a_change_of_goals():
    first = sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low")
    with pytest.raises(ValueError):
        with_goals(sdm.run(first, BASE), first.model_copy(update={"symptom_days": 8}), BASE)
