"""The pages' process-wide memo (app_pages/parts/memo.py): keyed like st.cache_resource, kept through a clear."""

import gc

import streamlit as st

from app_pages.parts.memo import memo


def _counting():
    calls = []

    @memo(2)
    def build(key: str, number: int, _thing) -> tuple:
        calls.append((key, number))
        return key, number, id(_thing)

    return build, calls


def test_arguments_with_a_leading_underscore_are_not_part_of_the_key():
    build, calls = _counting()
    first = build("a", 1, object())
    assert build("a", 1, object()) is first
    assert calls == [("a", 1)]
    build("a", 2, object())
    assert calls == [("a", 1), ("a", 2)]


def test_the_oldest_unused_value_goes_first():
    build, calls = _counting()
    build("a", 1, None)
    build("b", 1, None)
    build("a", 1, None)  # a is used again: b is now the oldest
    build("c", 1, None)
    build("a", 1, None)
    assert calls == [("a", 1), ("b", 1), ("c", 1)]
    build("b", 1, None)
    assert calls[-1] == ("b", 1)


def test_an_entry_keeps_its_objects_so_their_ids_cannot_name_another():
    """A key names an evidence base by id(); the entry holds that base, so a new base never gets the same id."""

    class Base:
        pass

    @memo(4)
    def built(base_id: int, _base) -> Base:
        return _base

    base = Base()
    key = id(base)
    assert built(key, base) is base
    del base
    gc.collect()
    later = [Base() for _ in range(1000)]
    assert key not in {id(b) for b in later}
    assert built(key, None).__class__ is Base  # still the first base, alive in its entry


def test_a_clear_cache_message_does_not_empty_it():
    build, calls = _counting()
    build("a", 1, None)
    st.cache_resource.clear()
    st.cache_data.clear()
    build("a", 1, None)
    assert calls == [("a", 1)]


def test_another_order_of_goals_reuses_the_figures_and_gives_a_fresh_runs_result():
    """state.run works the figures out once per set of clinical facts; a session with other goals gets the same
    cells in its own order, equal to what the engine gives that scenario itself."""
    import sdm
    from app_pages.parts import state

    base = sdm.default()
    facts = dict(location="femoropopliteal", symptom_days=11, bleeding_tier="moderate")
    one = sdm.make(base.rules, **facts, goals=["avoid_bleeding", "avoid_pts"])
    other = sdm.make(base.rules, **facts, goals=["avoid_pts", "fast_relief", "avoid_bleeding"])
    first, second = state.run(one, base), state.run(other, base)
    assert second.model_dump() == sdm.run(other, base).model_dump()
    assert first.outcome_order != second.outcome_order
    cell = first.option("pcdt").outcome("major_bleeding")
    assert second.option("pcdt").outcome("major_bleeding") is cell  # worked out once, shared
    assert state.run(other, base) is second
    later = state.run(sdm.make(base.rules, **{**facts, "symptom_days": 12}, goals=["avoid_bleeding"]), base)  # another fact: its own figures
    assert later.option("pcdt").outcome("major_bleeding") is not cell
