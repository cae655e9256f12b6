"""The engine works out each figure's words and arithmetic once per evidence base (applicability.memo):
another evidence base, or another catalogue, gets its own, and a run never changes what an earlier one returned."""

from __future__ import annotations

import shutil

import pytest
import yaml

import sdm
from sdm.words import i18n
from tests import evidence_text

FIELDS = dict(location="iliofemoral", symptom_days=7, bleeding_tier="low")


def _pts(result):
    return result.option("pcdt").outcome("pts_moderate_severe")


def test_a_changed_evidence_copy_gets_its_own_figures(tmp_path, base):
    before = sdm.run(sdm.make(base.rules, **FIELDS), base)
    folder = evidence_text.copy_data(tmp_path / "data")
    docs = evidence_text.read(folder)
    est = next(e for e in docs["estimates.yaml"] if e["id"] == "pcdt_pts_ms_iliofemoral")
    est["effect"]["value"] = 0.5
    evidence_text.write(folder, docs)
    changed = sdm.load(folder)
    after = sdm.run(sdm.make(changed.rules, **FIELDS), changed)
    assert _pts(after).risk == pytest.approx(0.28 * 0.5)
    assert any("0.50" in line for line in _pts(after).arithmetic)
    again = sdm.run(sdm.make(base.rules, **FIELDS), base)
    assert again.model_dump_json() == before.model_dump_json()
    assert _pts(again).risk == pytest.approx(0.28 * 0.65)


def test_a_changed_catalogue_gets_its_own_words(tmp_path, monkeypatch, base):
    before = sdm.run(sdm.make(base.rules, **FIELDS), base)
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    path = folder / "en" / "engine.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["reference"]["base"] = "CHANGED " + data["reference"]["base"]
    data["reference"]["arm"] = "CHANGED " + data["reference"]["arm"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    changed = sdm.run(sdm.make(base.rules, **FIELDS), base)
    assert _pts(changed).arithmetic[0].startswith("CHANGED ")
    assert changed.reference("pts_moderate_severe").arithmetic[0].startswith("CHANGED ")
    monkeypatch.undo()
    assert sdm.run(sdm.make(base.rules, **FIELDS), base).model_dump_json() == before.model_dump_json()


def test_a_result_is_its_own(base):
    """Lists a memoised figure gives are copied into each result: changing one result changes no other."""
    first = sdm.run(sdm.make(base.rules, **FIELDS), base)
    _pts(first).arithmetic.append("changed")
    _pts(first).source_ids.append("changed")
    second = sdm.run(sdm.make(base.rules, **FIELDS), base)
    assert "changed" not in _pts(second).arithmetic and "changed" not in _pts(second).source_ids
