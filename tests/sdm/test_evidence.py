"""The evidence files load, and every displayable number is sourced."""

import shutil

import pytest
import yaml

from sdm import evidence
from sdm.models import DISPLAYABLE


def test_every_estimate_has_a_doi_or_pmid_and_an_allowed_mark(base):
    sources = {s.id: s for s in base.sources}
    assert base.estimates, "no estimates loaded"
    for e in base.estimates:
        src = sources[e.source]
        assert src.doi or src.pmid, f"{e.id}: source {src.id} has no DOI or PMID"
        assert e.verification in DISPLAYABLE, f"{e.id}: {e.verification}"


def test_findings_and_guidelines_carry_allowed_marks(base):
    for rec in [*base.findings, *base.guidelines]:
        assert rec.verification in DISPLAYABLE, rec.id


def test_dossier_coverage(base):
    ids = {s.id for s in base.sources}
    for needed in ["attract2017", "comerota2019", "kearon2019", "cavent2012", "cavent2016", "cava2021",
                   "cochrane2021", "clout2023", "razavi2015", "jevt2022", "veto2008", "chest2016", "klok2017",
                   "sir2014", "chest2021", "pearl2015"]:
        assert needed in ids
    bodies = {g.body_short for g in base.guidelines}
    assert {"ASH", "CHEST", "AHA", "SIR", "NICE", "ESVS", "SVS/AVF"} <= bodies


def test_published_figures_come_out_exactly_as_stored(base):
    est = {e.id: e for e in base.estimates}
    # ATTRACT iliofemoral analysis, moderate-or-severe PTS: 36/196 vs 55/195, RR 0.65 (0.45-0.94)
    e = est["pcdt_pts_ms_iliofemoral"]
    assert (e.intervention.events, e.intervention.n, e.comparator.events, e.comparator.n) == (36, 196, 55, 195)
    assert (e.effect.value, e.effect.low, e.effect.high) == (0.65, 0.45, 0.94)
    # CaVenT 24 months: 41.1% vs 55.6%
    e = est["cdt_pts_any_cavent2"]
    assert (e.intervention.risk, e.comparator.risk) == (0.411, 0.556)


def _copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(evidence.DEFAULT_DATA_DIR, dst)
    return dst


def test_corrupted_field_names_file_record_and_field(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[3]["intervention"]["risk"] = 1.7
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    problem = err.value.problems[0]
    assert problem.file == "estimates.yaml"
    assert problem.record.startswith(records[3]["id"])
    assert problem.field == "intervention.risk"


def test_forbidden_mark_is_rejected(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[0]["verification"] = "M"
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError, match="never stored as numbers"):
        evidence.load(folder)


def test_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "sources.yaml").unlink()
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    assert err.value.problems[0].file == "sources.yaml"
    assert "missing" in err.value.problems[0].message


def test_truncated_yaml_is_named(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "guidelines.yaml"
    path.write_text(path.read_text()[:500] + "\n  - [unclosed")
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    assert err.value.problems[0].file == "guidelines.yaml"


def test_unknown_source_reference(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[5]["source"] = "nosuchstudy"
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError, match="no source with id 'nosuchstudy'"):
        evidence.load(folder)


def test_stale_evidence_is_detected(base):
    from datetime import timedelta

    fresh = base.rules.evidence_date + timedelta(days=1)
    old = base.rules.evidence_date + timedelta(days=base.rules.review_every_days + 1)
    assert not evidence.is_stale(base, fresh)
    assert evidence.is_stale(base, old)
