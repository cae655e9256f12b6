import pytest
from pydantic import ValidationError

from sdm.evidence.models import Arm, Effect, Estimate, Population


def test_arm_rejects_events_above_group_size():
    with pytest.raises(ValidationError, match="events is greater than n"):
        Arm(risk=0.5, events=11, n=10)


def test_arm_rejects_risk_outside_its_range():
    with pytest.raises(ValidationError, match="outside its own range"):
        Arm(risk=0.5, low=0.1, high=0.2)


def test_effect_interval_must_contain_value():
    with pytest.raises(ValidationError, match="outside its own interval"):
        Effect(measure="RR", value=0.5, low=0.6, high=0.9)


def test_population_age_order():
    with pytest.raises(ValidationError, match="age_min is greater"):
        Population(locations=["distal"], age_min=80, age_max=20, description="x")


def test_estimate_forbids_unknown_fields():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Estimate.model_validate(
            dict(id="x1", source="src", option="cdt", outcome="pts_any", horizon="1 y", baseline="none",
                 intervention={"risk": 0.1}, certainty="low", certainty_by="project", verification="V", colour="red")
        )


def test_same_study_estimate_needs_both_arms():
    with pytest.raises(ValidationError, match="needs both arms or a published risk or odds ratio"):
        Estimate(id="x1", source="src", option="cdt", outcome="pts_any", horizon="1 y",
                 intervention=Arm(risk=0.1), certainty="low", certainty_by="project", verification="V")


def test_a_ratio_alone_is_enough_to_apply_to_the_rows_reference():
    e = Estimate(id="x2", source="src", option="pcdt", outcome="pts_any", horizon="1 y",
                 effect={"measure": "RR", "value": 0.9, "low": 0.7, "high": 1.1}, certainty="low",
                 certainty_by="project", verification="V")
    assert e.baseline == "comparator"
    with pytest.raises(ValidationError, match="needs a published risk difference"):
        Estimate(id="x3", source="src", option="cdt", outcome="death", horizon="30 d", baseline="difference",
                 effect={"measure": "RR", "value": 0.9}, certainty="low", certainty_by="project", verification="V")
    with pytest.raises(ValidationError, match="needs both arms"):
        Estimate(id="x4", source="src", option="cdt", outcome="pts_severe", horizon="5 y", apply=False,
                 effect={"measure": "RR", "value": 4.0}, certainty="low", certainty_by="project", verification="V")


def test_models_are_frozen():
    arm = Arm(risk=0.2)
    with pytest.raises(ValidationError):
        arm.risk = 0.3
