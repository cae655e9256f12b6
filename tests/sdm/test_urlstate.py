from hypothesis import given, settings
from hypothesis import strategies as st

import sdm
from sdm import urlstate

BASE = sdm.default()


def test_round_trip(scenario):
    s = scenario(location="iliocaval", symptom_days=18, chest_factors=("cancer",), contraindications=("pregnancy",),
                 limb_threatening=True, age=61, goals=("save_limb", "avoid_bleeding"))
    params = urlstate.to_params(s, per=1000, view="table")
    parsed = urlstate.from_params(params, BASE.rules)
    assert parsed.problems == []
    assert sdm.make(BASE.rules, **parsed.fields) == s
    assert (parsed.per, parsed.view) == (1000, "table")


def test_hostile_values_are_dropped_with_a_message():
    parsed = urlstate.from_params({"loc": "<script>alert(1)</script>", "days": "9999", "per": "7",
                                   "ci": "drop table", "view": "admin"}, BASE.rules)
    s = sdm.make(BASE.rules, **parsed.fields)
    assert s.location.value == "iliofemoral" and s.symptom_days == 7
    assert len(parsed.problems) >= 4
    assert all("<script>" not in p for p in parsed.problems)


def test_one_bad_value_keeps_the_rest():
    parsed = urlstate.from_params({"loc": "distal", "days": "abc", "age": "70"}, BASE.rules)
    s = sdm.make(BASE.rules, **parsed.fields)
    assert (s.location.value, s.symptom_days, s.age) == ("distal", 7, 70)


text = st.text(max_size=50)


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(st.sampled_from(["loc", "days", "bleed", "chest", "vte", "ci", "limb", "iliac", "age",
                                        "goals", "per", "view", "x"]) | text,
                       text | st.lists(text, max_size=3), max_size=8))
def test_fuzzed_query_strings_never_crash_and_always_give_a_valid_scenario(params):
    parsed = urlstate.from_params(params, BASE.rules)
    sdm.run(sdm.make(BASE.rules, **parsed.fields), BASE)
    assert parsed.per in (100, 1000) and parsed.view in urlstate.VIEWS
