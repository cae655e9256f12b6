"""Scenario engine: statuses, numbers, arithmetic, guidelines; never a ranking."""

import pytest

import sdm
from sdm.engine.compute import bleeding, outcome_order


def test_acute_iliofemoral_low_risk_uses_the_iliofemoral_trial(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    pcdt = r.option("pcdt")
    assert pcdt.status == "studied"
    ms = pcdt.outcome("pts_moderate_severe")
    assert ms.source_ids == ["comerota2019"]
    assert ms.comparison == "relative"
    assert (ms.risk, ms.comparator_risk) == (pytest.approx(0.28 * 0.65), 0.28)  # the trial's RR on its own control
    assert (ms.trial.intervention, ms.trial.comparator) == (0.18, 0.28)  # the published arms, as stored
    assert ms.direction == "lower" and ms.figure == "worked_out"
    assert ms.applicability == "direct"
    assert ms.risk_low < ms.risk < ms.risk_high


def test_femoropopliteal_gets_its_own_analysis(base, scenario):
    r = sdm.run(scenario(location="femoropopliteal", bleeding_tier="low"), base)
    pts = r.option("pcdt").outcome("pts_any")
    assert pts.source_ids == ["kearon2019", "attract2017"]
    assert pts.comparison == "relative"
    assert pts.comparator_risk == r.reference("pts_any").risk == 0.48
    assert pts.risk == pytest.approx(0.48 * 0.97)
    assert any("0.97" in line for line in pts.arithmetic)
    relief = r.option("pcdt").outcome("early_symptom_relief")
    assert relief.finding and "about the same" in relief.finding
    assert r.option("stenting").status == "no_evidence"


def test_calf_clot_says_not_studied_instead_of_borrowing_numbers(base, scenario):
    r = sdm.run(scenario(location="distal", bleeding_tier="low"), base)
    for oid in ("cdt", "pcdt", "thrombectomy", "stenting"):
        opt = r.option(oid)
        assert opt.status == "no_evidence"
        assert any("Not studied" in reason for reason in opt.reasons)
        assert all(o.risk is None for o in opt.outcomes)
    ac = r.option("anticoagulation")
    assert ac.status == "studied"
    assert ac.outcome("pts_any").source_ids == ["galanaud2020"]


def test_clot_older_than_every_trial_window(base, scenario):
    r = sdm.run(scenario(symptom_days=40, bleeding_tier="low"), base)
    for oid in ("cdt", "pcdt"):
        opt = r.option(oid)
        assert opt.status == "indirect"
        assert "This clot is older than any clot in the studies of this option." in opt.reasons
    assert r.clot_age == "chronic"
    assert "aha2011_chronic" in {g.id for g in r.guidelines}


def test_cdt_studied_between_14_and_21_days_but_pcdt_indirect(base, scenario):
    r = sdm.run(scenario(symptom_days=18, bleeding_tier="low"), base)
    assert r.option("cdt").status == "studied"
    assert r.option("pcdt").status == "indirect"


def test_absolute_contraindication(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low", contraindications=("active_bleeding",)), base)
    for oid in ("cdt", "pcdt"):
        opt = r.option(oid)
        assert opt.status == "contraindicated"
        assert opt.reasons[0].startswith("Not safe with:")
        assert opt.outcome("pts_any").risk is not None  # stays visible, with its numbers
    assert r.option("thrombectomy").status == "one_group"  # a registry only: no randomised comparison


def test_relative_contraindication_adds_caution_only(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low", contraindications=("pregnancy",)), base)
    assert r.option("cdt").status == "studied"
    assert any(reason.startswith("Take care:") for reason in r.option("cdt").reasons)


def test_limb_threat_makes_trial_evidence_indirect_and_shows_guidelines(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low", limb_threatening=True), base)
    assert r.option("pcdt").status == "indirect"
    assert any("phlegmasia" in reason for reason in r.option("pcdt").reasons)
    ids = {g.id for g in r.guidelines}
    assert {"aha2011_limb", "ash2020_limb", "chest2021_limb"} <= ids
    assert any("emergency" in w for w in r.warnings)


def test_bleeding_increment_arithmetic(base, scenario):
    r = sdm.run(scenario(bleeding_tier="moderate"), base)
    bleed = r.option("pcdt").outcome("major_bleeding")
    tier_risk = next(t.risk for t in base.rules.bleeding.tiers if t.tier.value == "moderate")
    assert bleed.comparator_risk == tier_risk
    assert bleed.risk == pytest.approx(tier_risk + 0.017 - 0.003)
    assert bleed.applicability == "indirect"
    assert bleed.comparison == "added" and bleed.horizon.endswith("within 10 days of the procedure")
    assert bleed.arithmetic[0].startswith(f"Blood thinners alone for this patient: {tier_risk * 100:.1f} in 100")
    assert bleed.arithmetic[-1] == bleed.trial.text and "1.7 in 100 with PCDT" in bleed.trial.text
    assert any(line.startswith("For this patient:") for line in bleed.arithmetic)
    assert r.option("anticoagulation").outcome("major_bleeding").risk == tier_risk


def test_bleeding_tier_from_checklists(base, scenario):
    b = bleeding(scenario(chest_factors=("cancer",)), base)
    assert (b.tier, b.method, b.chest_count) == ("moderate", "chest_count", 1)
    b = bleeding(scenario(vte_bleed_factors=("active_cancer",)), base)
    assert (b.tier, b.method, b.vte_bleed_score) == ("high", "vte_bleed", 2.0)
    b = bleeding(scenario(chest_factors=("diabetes",), vte_bleed_factors=("anaemia",)), base)
    assert (b.tier, b.method) == ("moderate", "both")
    assert bleeding(scenario(), base).method == "none_ticked"


def test_goals_change_only_the_order(base, scenario):
    a = sdm.run(scenario(bleeding_tier="low", goals=("avoid_bleeding", "avoid_pts")), base)
    b = sdm.run(scenario(bleeding_tier="low", goals=("fast_relief", "avoid_pts")), base)
    assert a.outcome_order[0] == "major_bleeding"
    assert b.outcome_order[0] == "early_symptom_relief"
    for oa in a.options:
        ob = b.option(oa.id)
        assert oa.status == ob.status
        assert {o.id: o.risk for o in oa.outcomes} == {o.id: o.risk for o in ob.outcomes}


def test_options_always_in_fixed_order_and_no_score(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    assert [o.id for o in r.options] == ["anticoagulation", "cdt", "pcdt", "thrombectomy", "stenting"]
    for opt in r.model_dump()["options"]:
        assert set(opt) == {"id", "label", "short", "status", "reasons", "outcomes"}
    text = r.model_dump_json().lower()
    for word in ("rank", "best", "recommended", "winner", "total"):
        assert word not in text


def test_contradictory_input_warns(base, scenario):
    r = sdm.run(scenario(location="distal", iliac_compression=True), base)
    assert any("does not fit" in w for w in r.warnings)


def test_iliocaval_borrows_iliofemoral_evidence_as_indirect(base, scenario):
    r = sdm.run(scenario(location="iliocaval", bleeding_tier="low"), base)
    pcdt = r.option("pcdt")
    assert pcdt.status == "indirect"
    assert any("vena cava" in reason for reason in pcdt.reasons)


def test_outcome_order_covers_every_outcome(base, scenario):
    order = outcome_order(scenario(), base)
    assert sorted(order) == sorted(o.id for o in base.vocabulary.outcomes)


def test_secondary_source_is_flagged(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    views = r.option("cdt").outcome("major_bleeding").others
    assert [v.estimate_id for v in views] == ["cdt_any_bleeding_cochrane"]
    assert views[0].text.endswith("Secondary source.")
    assert r.option("cdt").outcome("pts_any").secondary_source is False
