"""One reference per outcome row: every option is compared with the same blood-thinners-alone risk.

Checked over the whole teaching grid (4 locations x days {3, 10, 18, 40} x 3 tiers x limb threat on/off):
- each outcome row has exactly one reference, and the blood-thinners-alone cell shows it;
- every compared option's `comparator_risk` equals it (one-group, difference-only and worded cells carry none);
- every option's direction against the reference matches the direction in its own source, worked out here
  from the raw YAML (the published interval; else the trial's counts): lower, higher, or no clear difference
  when the interval crosses the null; and the figure shown agrees with it;
- the published arms come out of the evidence base exactly as stored, and are shown in the provenance.
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

import pytest
import yaml

import sdm
from sdm.engine import risk
from sdm.outputs.cli import main
from sdm.present import grid
from sdm.words.wording import per100
from tests.safety_plugin import report

DATA = Path(__file__).resolve().parents[2] / "data"
RAW = {e["id"]: e for e in yaml.safe_load((DATA / "estimates.yaml").read_text(encoding="utf-8"))}
BASE = sdm.default()
GRID = [dict(location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
        for loc, d, t, limb in product(("distal", "femoropopliteal", "iliofemoral", "iliocaval"), (3, 10, 18, 40),
                                       ("low", "moderate", "high"), (False, True))]
COMPARED = {"reference", "relative", "added"}
RESULTS = [sdm.run(sdm.make(BASE.rules, **f), BASE) for f in GRID]


def source_direction(e: dict, added: bool) -> str:
    """The direction the option's own source found, from the raw YAML alone."""
    eff, i, c = e.get("effect"), e.get("intervention"), e.get("comparator")
    if eff and eff.get("low") is not None:
        null = 0.0 if eff["measure"] == "RD" else 1.0
        return risk.direction(eff["low"], eff["high"], null)
    if i and c:
        if added:
            return risk.direction(*risk.newcombe_difference(i["risk"], i["n"], c["risk"], c["n"]), 0.0)
        e1 = i.get("events", round(i["risk"] * i["n"]))
        e0 = c.get("events", round(c["risk"] * c["n"]))
        _, low, high = risk.risk_ratio(e1, i["n"], e0, c["n"])
        return risk.direction(low, high, 1.0)
    assert added and i, e["id"]  # a one-group rate added as extra bleeding: all of it is extra
    return risk.direction(*risk.wilson(i["risk"], i["n"]), 0.0)


def conflicting_cells(result) -> tuple[int, int, int]:
    """(rows, compared cells, conflicting cells) for one engine result."""
    rows = cells = conflicts = 0
    for oid in result.outcome_order:
        ref = result.reference(oid)
        outs = [opt.outcome(oid) for opt in result.options]
        rows += 1
        if ref is None:
            conflicts += sum(o.comparison in COMPARED or o.comparator_risk is not None for o in outs)
            continue
        ac = result.option("anticoagulation").outcome(oid)
        conflicts += not (ac.comparison == "reference" and ac.risk == ref.risk and ac.reference_id == ref.id)
        for o in outs:
            if o.comparison in COMPARED:
                cells += 1
                conflicts += o.comparator_risk != ref.risk or o.reference_id != ref.id
            else:
                conflicts += o.comparator_risk is not None
    return rows, cells, conflicts


def test_each_row_has_one_reference_and_every_compared_cell_uses_it():
    totals = [conflicting_cells(r) for r in RESULTS]
    rows, cells, conflicts = (sum(t[i] for t in totals) for i in range(3))
    report(f"one reference per row: {len(RESULTS)} scenarios, {rows} rows, {cells} compared cells, "
           f"{conflicts} conflicting cells")
    assert conflicts == 0


def test_the_conflict_count_finds_a_cell_compared_with_another_figure():
    r = RESULTS[GRID.index(dict(location="iliofemoral", symptom_days=10, bleeding_tier="low", limb_threatening=False))]
    pcdt = r.option("pcdt")
    moved = pcdt.outcome("pts_moderate_severe").model_copy(update={"comparator_risk": 0.13})  # VETO's figure
    bad_pcdt = pcdt.model_copy(update={"outcomes": [moved if o.id == moved.id else o for o in pcdt.outcomes]})
    bad = r.model_copy(update={"options": [bad_pcdt if o.id == "pcdt" else o for o in r.options]})
    assert conflicting_cells(r)[2] == 0 and conflicting_cells(bad)[2] == 1


def test_every_direction_against_the_reference_matches_its_source():
    checked = mismatched = 0
    for result in RESULTS:
        for opt in result.options[1:]:
            for o in opt.outcomes:
                if o.comparison not in ("relative", "added"):
                    continue
                expected = source_direction(RAW[o.estimate_id], o.comparison == "added")
                shown = ("lower" if o.risk < o.comparator_risk else "higher" if o.risk > o.comparator_risk
                         else "no clear difference")
                fits = (o.direction == expected and (shown == expected if expected != "no clear difference"
                                                     else o.risk_low <= o.comparator_risk <= o.risk_high))
                checked += 1
                mismatched += not fits
                assert fits, (result.scenario.location, opt.id, o.id, o.direction, expected, shown)
    report(f"direction against the reference: {checked} cells, {mismatched} read against their own source")
    assert checked > 0


def test_published_arms_come_out_exactly_as_stored_and_are_in_the_provenance():
    seen = set()
    for result in RESULTS:
        for opt in result.options[1:]:
            for o in opt.outcomes:
                if o.trial is None:
                    continue
                raw = RAW[o.estimate_id]
                assert (o.trial.intervention, o.trial.comparator) == (raw["intervention"]["risk"],
                                                                      raw["comparator"]["risk"])
                assert f"{per100(raw['intervention']['risk'])} in 100 with {opt.short}" in o.trial.text
                assert f"{per100(raw['comparator']['risk'])} in 100 with blood thinners alone" in o.trial.text
                if o.comparison in ("relative", "added"):
                    assert o.trial.text in o.arithmetic  # one click away, beside the arithmetic
                seen.add(o.estimate_id)
    with_arms = {k for k, e in RAW.items() if e.get("intervention") and e.get("comparator") and e.get("apply", True)
                 and not e.get("shown_with")}
    assert with_arms - seen <= {"cdt_pts_any_cavent5", "cdt_pts_any_cava", "pcdt_pts_any_attract",
                                "pcdt_pts_ms_attract"}  # listed as other studies, on their own terms


def test_other_studies_are_said_on_their_own_terms_never_against_the_reference():
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    others = r.option("cdt").outcome("pts_any").others
    assert {o.estimate_id for o in others} == {"cdt_pts_any_cavent5", "cdt_pts_any_cava"}
    five = next(o for o in others if o.estimate_id == "cdt_pts_any_cavent5")
    assert "43 in 100 with CDT, 71 in 100 with blood thinners alone" in five.text  # that trial's own arms


def test_cochrane_any_bleeding_is_another_view_of_the_same_trials_not_a_row():
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    assert "any_bleeding" not in {row.outcome_id for row in grid.rows(r, BASE)}
    view = r.option("cdt").outcome("major_bleeding").others[0]
    assert view.text.startswith("Any bleeding problem: ") and "2.45" in view.text


def test_natural_history_is_context_never_the_reference():
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    ref = r.reference("pts_any")
    assert ref.kind == "trial_control" and ref.source_ids == ["comerota2019"]
    assert any("not the chance of ever having them" in c for c in ref.context)  # VETO, described as it is
    calf = sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=7, bleeding_tier="low"), BASE)
    assert calf.reference("pts_any").kind == "cohort"  # nothing better fits a calf clot


@pytest.mark.parametrize("argv", [["--location", "iliofemoral", "--days", "7", "--bleeding", "low"],
                                  ["--location", "femoropopliteal", "--days", "10", "--bleeding", "moderate"]])
def test_cli_json_comparator_is_always_the_rows_reference(argv, capsys):
    assert main(["scenario", *argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = out["references"]["pts_moderate_severe"]
    for opt in out["options"]:
        o = next(x for x in opt["outcomes"] if x["id"] == "pts_moderate_severe")
        if o["comparison"] in COMPARED:
            assert o["comparator_risk"] == ref["risk"]
        else:
            assert o["comparator_risk"] is None


def test_bleeding_horizons_say_what_was_measured():
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    assert r.option("pcdt").outcome("major_bleeding").horizon.endswith("plus the extra bleeding within 10 days of the procedure")
    assert r.option("cdt").outcome("major_bleeding").horizon.endswith("plus the extra bleeding during treatment")
    assert r.option("anticoagulation").outcome("major_bleeding").horizon == "first 3 months"


def test_new_outcome_rows_have_figures_or_say_no_checked_figure():
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    death = r.option("cdt").outcome("death")
    assert death.comparison == "difference" and "3 fewer in 1,000" in death.finding
    assert r.option("thrombectomy").outcome("death").comparison == "one_group"
    brain = r.option("cdt").outcome("brain_bleeding")
    assert brain.comparison == "relative" and brain.comparator_risk == r.reference("brain_bleeding").risk
    assert brain.certainty == "very low" and "matched after the fact" in r.reference("brain_bleeding").why
    assert "2 and 9 in 1,000" in r.option("stenting").outcome("pulmonary_embolism").finding
    assert "between 1 and 7 in 100" in r.option("stenting").outcome("stent_thrombosis").finding
    assert r.option("pcdt").outcome("pulmonary_embolism").reasons == [
        "No checked figure for a clot in the lungs during or after this procedure."]
    assert "Problems where the tube went in" in grid.unfigured(r, BASE)
    rows = {row.outcome_id for row in grid.rows(r, BASE)}
    assert {"death", "brain_bleeding", "pulmonary_embolism", "stent_thrombosis"} <= rows


def test_status_tells_randomised_from_single_group_evidence():
    def status(**f):
        r = sdm.run(sdm.make(BASE.rules, symptom_days=7, bleeding_tier="low", **f), BASE)
        return {o.id: o for o in r.options}
    ilio = status(location="iliofemoral")
    assert (ilio["pcdt"].status, ilio["cdt"].status) == ("studied", "studied")
    assert ilio["thrombectomy"].status == "one_group" and ilio["stenting"].status == "one_group"
    thigh = status(location="femoropopliteal")
    assert thigh["cdt"].status == "indirect"
    assert any("Only pooled results" in x for x in thigh["cdt"].reasons)
    assert any("NICE" in x and "research" in x for x in thigh["thrombectomy"].reasons)
    assert status(location="iliocaval")["cdt"].status == "indirect"


def test_stent_says_it_applies_only_if_a_narrowing_is_found():
    note = "A stent would only be put in if a narrowing were found during a procedure."
    none = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    assert any(note in x for x in none.option("stenting").reasons)
    found = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low",
                             iliac_compression=True), BASE)
    assert not any(note in x for x in found.option("stenting").reasons)


@pytest.mark.parametrize("age,expected", [(50, None), (70, "age over 65"), (80, "age over 65 and age over 75")])
def test_age_with_a_low_tier_points_to_the_checklist(age, expected):
    r = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low", age=age), BASE)
    said = [w for w in r.warnings if "CHEST table counts" in w]
    if expected is None:
        assert not said
    else:
        assert said and f"counts {expected} as bleeding risk factors" in said[0]
    moderate = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="moderate",
                                age=age), BASE)
    assert not any("CHEST table counts" in w for w in moderate.warnings)


def test_urgent_signs_say_to_call_911():
    assert "911" in BASE.content.urgent_call and "local emergency number" in BASE.content.urgent_call


def test_age_not_ticked_in_a_checklist_that_gives_low_is_pointed_to_as_well():
    """An age over 65 entered with a checklist that leaves it out (and gives low) gets the same pointer; once the
    age factor is ticked (the tier is then higher) there is nothing to point to."""
    empty = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, chest_factors=(), age=70), BASE)
    assert empty.bleeding.tier == "low"
    assert any("counts age over 65 as bleeding risk factors" in w for w in empty.warnings)
    ticked = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, chest_factors=("age_over_65",),
                              age=70), BASE)
    assert ticked.bleeding.tier != "low" and not any("CHEST table counts" in w for w in ticked.warnings)
