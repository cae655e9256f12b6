"""The chart note stays English for the record and says which language the patient's materials were in."""

import pytest

import sdm
from sdm.outputs.chart_note import chart_note

BASE = sdm.default()


@pytest.mark.parametrize("fields", [dict(location="distal", symptom_days=5, bleeding_tier="low"),
                                    dict(location="iliofemoral", symptom_days=7, chest_factors=("cancer",), age=70,
                                         contraindications=("pregnancy",))])
def test_a_spanish_result_gives_the_english_note_with_the_same_numbers(fields):
    english = chart_note(sdm.run(sdm.make(BASE.rules, **fields), BASE), BASE)
    spanish = chart_note(sdm.run(sdm.make(BASE.rules, **fields, lang="es"), BASE), BASE)
    assert "Patient materials (screen and handout) were in English." in english.splitlines()
    assert "Patient materials (screen and handout) were in Spanish." in spanish.splitlines()
    assert spanish.replace("were in Spanish.", "were in English.", 1) == english
    assert "anticoagulantes" not in spanish.lower()
