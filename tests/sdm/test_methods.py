"""Methods page: IPDAS table, evidence summary and formulas."""

import pytest

import sdm
from sdm.engine import risk
from sdm.evidence.loader import EvidenceError
from sdm.evidence.models import Design, Verification
from sdm.teaching import methods
from sdm.teaching.methods import EXPECTED_IDS, evidence_summary, formulas, ipdas_counts, ipdas_table


@pytest.fixture(scope="module")
def table(base):
    return ipdas_table(base)


def test_all_qualifying_and_certification_criteria_are_there(table):
    ids = [r.id for r in table]
    assert [i for i in ids if r_group(table, i) == "qualifying"] == [f"Q{i}" for i in range(1, 7)]
    assert [i for i in ids if r_group(table, i) == "certification"] == [f"C{i}" for i in range(1, 7)]
    assert [i for i in ids if r_group(table, i) == "quality"] == [f"QC{i}" for i in range(1, 24)]
    assert tuple(ids) == EXPECTED_IDS


def r_group(table, cid):
    return next(r.group for r in table if r.id == cid)


def test_every_row_says_where_unless_not_met(table):
    for r in table:
        assert r.text and r.status in ("met", "partly", "not")
        if r.status != "not":
            assert r.where, r.id


def test_certification_criteria_are_all_met(table):
    assert all(r.status == "met" for r in table if r.group == "certification")
    counts = ipdas_counts(table)
    assert sum(counts["certification"].values()) == 6 and sum(counts["qualifying"].values()) == 6


def test_dates_come_from_the_evidence_base(base, table):
    c3 = next(r for r in table if r.id == "C3")
    c4 = next(r for r in table if r.id == "C4")
    assert base.rules.evidence_date.isoformat() in c3.note
    assert str(base.rules.review_every_days) in c4.note
    assert all("{" not in (r.note or "") for r in table)


def test_screening_only_criteria_are_left_out(table):
    ids = {r.id for r in table}
    assert not ids & {"C7", "C8", "C9", "C10", "QC24", "QC25", "QC26", "QC27", "QC28"}


def test_a_missing_or_unplaced_criterion_is_an_error(base, tmp_path):
    text = (sdm.evidence.loader.data_dir() / "ipdas.yaml").read_text(encoding="utf-8")
    start = text.index("- id: C5\n")
    missing = text[:start] + text[text.index("- id: C6\n"):]
    (tmp_path / "ipdas.yaml").write_text(missing, encoding="utf-8")
    with pytest.raises(EvidenceError, match="C5.*missing"):
        ipdas_table(base, tmp_path)
    head = '- id: C6\n  text: "Says who paid for making it."\n  status: met\n  where: [about panel]'
    assert head in text
    (tmp_path / "ipdas.yaml").write_text(text.replace(head, head.replace("[about panel]", "[]")), encoding="utf-8")
    with pytest.raises(EvidenceError, match="C6"):
        ipdas_table(base, tmp_path)
    (tmp_path / "ipdas.yaml").write_text(text.replace("where: [about panel]", "where: [somewhere else]", 1),
                                         encoding="utf-8")
    with pytest.raises(EvidenceError):
        ipdas_table(base, tmp_path)


def test_evidence_summary_counts_match_the_base(base):
    s = evidence_summary(base)
    assert s.sources == len(base.sources) == sum(s.sources_by_design.values())
    assert set(s.sources_by_design) == {d.value for d in Design}
    assert s.sources_by_design["RCT"] == sum(1 for x in base.sources if x.design == Design.rct)
    assert s.estimates == len(base.estimates) == sum(s.estimates_by_verification.values())
    assert set(s.estimates_by_verification) == {v.value for v in Verification}
    assert s.estimates_by_verification["M"] == 0 and s.estimates_by_verification["NF"] == 0
    assert s.estimates == sum(s.estimates_by_certainty.values())
    assert s.gaps == len(base.gaps) and 0 <= s.gaps_blocking <= s.gaps
    assert s.findings == len(base.findings) and s.guidelines == len(base.guidelines)
    assert s.evidence_date == base.rules.evidence_date
    assert s.stale is False or s.stale is True


def test_formulas_describe_the_engine(base):
    fs = {f.id: f for f in formulas(base)}
    assert {"row_reference", "bleeding_increment", "ratio_on_reference", "katz", "wilson", "difference_only",
            "one_group"} <= set(fs)
    inc = fs["bleeding_increment"].text
    assert "tier baseline +" in inc and "Newcombe" in inc and "hybrid score" in inc
    ratio = fs["ratio_on_reference"].text
    assert "reference x RR" in ratio and "odds" in ratio and "OR" in ratio and "Katz" in ratio
    assert "never set against" in fs["one_group"].text
    assert "Wilson" in fs["wilson"].name and f"{risk.Z95:.2f}" in fs["wilson"].text
    assert base.rules.bleeding.horizon in fs["tier_baseline"].text
    for f in fs.values():
        for word in ("recommend", "best option", "should choose"):
            assert word not in f.text.lower()


def test_formula_text_matches_the_arithmetic(base, scenario):
    """The increment formula, done by hand from the data, equals the engine's number."""
    r = sdm.run(scenario(bleeding_tier="moderate"), base)
    est = next(e for e in base.estimates if e.id == "pcdt_bleeding_attract")
    tier = next(t for t in base.rules.bleeding.tiers if t.tier.value == "moderate")
    by_hand = tier.risk + (est.intervention.risk - est.comparator.risk)
    o = r.option("pcdt").outcome("major_bleeding")
    assert o.risk == pytest.approx(by_hand)
    lo, hi = risk.newcombe_difference(est.intervention.risk, est.intervention.n, est.comparator.risk,
                                      est.comparator.n)
    assert o.risk_low == pytest.approx(min(tier.risk + lo, by_hand))
    assert o.risk_high == pytest.approx(max(tier.risk + hi, by_hand))


def test_reference_table_lists_every_reference(base):
    from sdm.teaching.methods import reference_table

    rows = reference_table(base)
    assert len(rows) == len(base.references)
    assert all(r["Why"] and r["Source"] and r["Mark"] in {"V", "V-derived", "V-sec"} for r in rows)


def test_ratio_formula_matches_the_engine(base, scenario):
    """The ratio formula, done by hand from the data: the reference x the published RR."""
    r = sdm.run(scenario(bleeding_tier="low"), base)
    est = next(e for e in base.estimates if e.id == "pcdt_pts_ms_iliofemoral")
    ref = next(x for x in base.references if x.id == "ref_pts_ms_iliofemoral")
    o = r.option("pcdt").outcome("pts_moderate_severe")
    assert o.risk == pytest.approx(ref.arm.risk * est.effect.value)
    assert o.risk_low == pytest.approx(ref.arm.risk * est.effect.low)
    assert o.risk_high == pytest.approx(ref.arm.risk * est.effect.high)


def test_new_modules_import_without_streamlit():
    import subprocess
    import sys

    code = ("import sys, sdm.teaching, sdm.teaching.readiness, sdm.teaching.methods; "
            "assert not any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=methods.__file__.rsplit("/sdm/", 1)[0])
