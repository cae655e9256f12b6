"""A level entered with a checklist (from a link) is a floor: the engine uses the higher, and the chart note
records both (issue 10)."""

from datetime import date
from itertools import product

import pytest
from pydantic import ValidationError

import sdm
from sdm.engine.compute import bleeding
from sdm.engine.scenario import bleeding_from_checklist
from sdm.evidence.models import TIER_ORDER, Tier
from sdm.outputs.chart_note import chart_note

CHECKLISTS = [((), ()), (("cancer",), ()), (("cancer", "diabetes"), ()), ((), ("active_cancer",)), ((), ("anaemia",))]


@pytest.mark.parametrize("floor,checklist", list(product([t.value for t in Tier], CHECKLISTS)))
def test_the_higher_of_the_level_and_the_checklist_is_used(base, scenario, floor, checklist):
    chest, vte = checklist
    alone = bleeding(scenario(chest_factors=chest, vte_bleed_factors=vte), base)
    b = bleeding(scenario(chest_factors=chest, vte_bleed_factors=vte, bleeding_floor=floor), base)
    assert b.tier == max(Tier(floor), Tier(alone.tier), key=TIER_ORDER.get).value
    assert (b.entered_tier, b.checklist_tier) == (floor, alone.tier)
    assert b.notices and b.notices[0] in b.explanation
    line = chart_note(sdm.run(scenario(chest_factors=chest, vte_bleed_factors=vte, bleeding_floor=floor), base), base,
                      date(2026, 1, 1))
    said = f"Bleeding risk tier: {b.tier} (entered as {floor}; checklist gives {alone.tier}"
    assert said in line
    assert ("the higher is used" in line) == (floor != alone.tier)


def test_a_level_chosen_outright_cannot_also_have_a_floor(scenario):
    with pytest.raises(ValidationError):
        scenario(bleeding_tier="low", bleeding_floor="high")
    with pytest.raises(ValidationError):  # a level and a checklist without the floor stay a contradiction
        scenario(bleeding_tier="low", chest_factors=("cancer",))


def test_an_unrecognised_factor_is_said_and_lowers_nothing(base, scenario):
    for fields in ({"bleeding_tier": "high"}, {"chest_factors": ("cancer",)}, {"bleeding_floor": "moderate"}):
        plain = bleeding(scenario(**fields), base)
        flagged = bleeding(scenario(**fields, unrecognised_bleeding_factors=True), base)
        assert flagged.tier == plain.tier and flagged.unrecognised_factors
        assert any("A bleeding risk factor in the link was not recognised" in n for n in flagged.notices)
        note = chart_note(sdm.run(scenario(**fields, unrecognised_bleeding_factors=True), base), base)
        assert "a bleeding risk factor in the link was not recognised and was not counted" in note


def test_without_a_floor_the_note_and_the_explanation_are_as_before(base, scenario):
    b = bleeding(scenario(chest_factors=("cancer",)), base)
    assert (b.entered_tier, b.checklist_tier, b.notices) == (None, None, [])
    assert "Bleeding risk tier: low (method: entered)." in chart_note(sdm.run(scenario(bleeding_tier="low"), base), base)
    assert bleeding(scenario(), base).explanation[0] == "No bleeding risk factors ticked, so the low tier is used."


def test_the_handout_renders_with_the_conflict_explained(base, scenario):
    from sdm.outputs import handout

    r = sdm.run(scenario(chest_factors=("cancer",), bleeding_floor="high", unrecognised_bleeding_factors=True), base)
    pdf = handout.render(r, base, per=100)
    assert pdf[:5] == b"%PDF-"


@pytest.mark.parametrize("fields,checklist", [
    ({"bleeding_tier": "moderate"}, False),
    ({"chest_factors": ("cancer",)}, True),
    ({"chest_factors": (), "vte_bleed_factors": ()}, True),  # the checklist chosen, nothing ticked yet
    ({"chest_factors": ("cancer",), "bleeding_floor": "high"}, True),
    ({"unrecognised_bleeding_factors": True}, True),
])
def test_a_scenario_says_whether_its_bleeding_risk_came_from_a_checklist(base, scenario, fields, checklist):
    s = scenario(**fields)
    for dumped in (s.model_dump(mode="json", exclude_none=True), s.model_dump()):
        assert bleeding_from_checklist(dumped) is checklist
    assert (bleeding(s, base).method == "entered") is not checklist
