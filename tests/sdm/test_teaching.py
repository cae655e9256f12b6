"""Teaching mode: vignettes, sensitivity grid, scenario diffs, guess-first exercise, prompts."""

import math
import re
from itertools import product
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import sdm
from sdm import teaching
from sdm.engine.result import Status
from sdm.evidence.loader import EvidenceError
from sdm.evidence.models import Location
from sdm.teaching import (
    GridCell,
    diff_scenarios,
    discussion_prompts,
    grid_cells,
    guess_items,
    load_vignettes,
    score_guesses,
    sensitivity_grid,
    side_table,
)
from sdm.words.wording import per100
from tests.safety_plugin import report

PRESCRIPTIVE = ("recommend", "best", "should choose", "preferred option", "you should", "ought to")
# The whole teaching grid, as tests/sdm/test_cli.py walks it.
TEACHING_GRID = list(product([loc.value for loc in Location], (3, 10, 18, 40), ("low", "moderate", "high"),
                             (False, True)))


@pytest.fixture(scope="module")
def grid_results(base):
    return [sdm.run(sdm.make(base.rules, location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb), base)
            for loc, d, t, limb in TEACHING_GRID]


@pytest.fixture(scope="module")
def vignettes(base):
    return load_vignettes(base)


@pytest.fixture(scope="module")
def prompts(base):
    return discussion_prompts(base)


# ----------------------------------------------------------------- vignettes


def test_at_least_eight_vignettes_with_unique_ids(vignettes):
    assert len(vignettes) >= 8
    assert len({v.id for v in vignettes}) == len(vignettes)


def test_every_vignette_is_a_valid_scenario_and_runs(base, vignettes):
    for v in vignettes:
        assert isinstance(v.scenario, sdm.Scenario)
        fields = v.scenario.model_dump(exclude_defaults=True)
        assert sdm.make(base.rules, **fields) == v.scenario
        result = sdm.run(v.scenario, base)
        assert len(result.options) == len(base.vocabulary.options)


def test_vignettes_span_the_spectrum(base, vignettes):
    scenarios = [v.scenario for v in vignettes]
    assert {s.location for s in scenarios} == set(Location)
    assert any(s.limb_threatening for s in scenarios)
    assert any(s.iliac_compression for s in scenarios)
    assert any("active_bleeding" in s.contraindications for s in scenarios)
    assert any(s.symptom_days > 28 for s in scenarios)
    assert any("active_cancer" in s.vte_bleed_factors or "cancer" in s.chest_factors for s in scenarios)
    assert any("recent_surgery" in s.chest_factors for s in scenarios)
    tiers = {sdm.run(s, base).bleeding.tier for s in scenarios}
    assert tiers == {"low", "moderate", "high"}
    statuses = {o.status for s in scenarios for o in sdm.run(s, base).options}
    assert statuses == set(get_args(Status))  # studied, one group, indirect, not studied, not safe


def test_teaching_points_cite_known_evidence(base, vignettes):
    known = {s.id for s in base.sources} | {g.id for g in base.guidelines}
    for v in vignettes:
        assert 2 <= len(v.teaching_points) <= 3
        for tp in v.teaching_points:
            assert set(tp.evidence) <= known


def test_stories_hold_no_outcome_numbers(vignettes):
    """Numbers in a story are the patient's age or a span of time, never an outcome."""
    for v in vignettes:
        assert "%" not in v.story and " in 100" not in v.story and "out of" not in v.story.lower()
        for m in re.finditer(r"\d+(?:\.\d+)?", v.story):
            is_age = float(m.group()) == v.scenario.age
            is_time = re.match(r"\s*(days?|weeks?|months?|years?)\b", v.story[m.end():])
            assert is_age or is_time, (v.id, m.group())
        if str(v.scenario.symptom_days) in v.story:
            assert f"{v.scenario.symptom_days} day" in v.story, v.id
        assert 2 <= len(re.findall(r"[.!?](\s|$)", v.story)) <= 3, v.id


def test_story_reading_level(vignettes):
    textstat = pytest.importorskip("textstat")
    text = " ".join(v.story for v in vignettes)
    assert textstat.flesch_kincaid_grade(text) <= 8


def test_prompt_reading_level(prompts):
    textstat = pytest.importorskip("textstat")
    assert textstat.flesch_kincaid_grade(" ".join(p.text for p in prompts)) <= 8


def test_bad_vignette_names_the_record_and_field(base, tmp_path):
    (tmp_path / "vignettes.yaml").write_text(
        "- id: broken_case\n  title: T\n  story: S.\n"
        "  teaching_points: [{text: a}, {text: b}]\n"
        "  scenario: {location: knee, symptom_days: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(EvidenceError) as err:
        load_vignettes(base, tmp_path)
    assert "broken_case" in str(err.value) and "location" in str(err.value)


def test_vignette_with_unknown_evidence_id_is_refused(base, tmp_path):
    (tmp_path / "vignettes.yaml").write_text(
        "- id: case_one\n  title: T\n  story: S.\n"
        "  teaching_points: [{text: a, evidence: [no_such_trial]}, {text: b}]\n"
        "  scenario: {location: iliofemoral, symptom_days: 3, bleeding_tier: low}\n",
        encoding="utf-8",
    )
    with pytest.raises(EvidenceError, match="no_such_trial"):
        load_vignettes(base, tmp_path)


# ----------------------------------------------------------------- sensitivity grid


def test_grid_equals_the_engine_for_every_cell(base):
    cells = sensitivity_grid(base)
    days, tiers = teaching.DEFAULT_GRID_DAYS, ("low", "moderate", "high")
    assert len(cells) == len(Location) * len(days) * len(tiers) * len(base.vocabulary.options)
    by_key = {(c.location.value, c.days, c.tier.value, c.option): c for c in cells}
    assert len(by_key) == len(cells)
    for loc in Location:
        for d in days:
            for t in tiers:
                r = sdm.run(sdm.make(base.rules, location=loc.value, symptom_days=d, bleeding_tier=t), base)
                for opt in r.options:
                    c = by_key[(loc.value, d, t, opt.id)]
                    assert c.status == opt.status
                    assert c.clot_age == r.clot_age
                    for oid in teaching.GRID_OUTCOMES:
                        o = opt.outcome(oid)
                        assert getattr(c, oid) == o.risk
                        assert getattr(c, f"{oid}_comparator") == o.comparator_risk


def test_grid_cells_are_frozen_and_limb_flag_reaches_the_engine(base):
    cells = sensitivity_grid(base, days=(5,), tiers=("low",), locations=("iliofemoral",), limb=True)
    assert all(isinstance(c, GridCell) for c in cells)
    with pytest.raises(ValidationError):
        cells[0].status = "studied"
    r = sdm.run(sdm.make(base.rules, location="iliofemoral", symptom_days=5, bleeding_tier="low",
                         limb_threatening=True), base)
    assert cells == grid_cells(r)
    assert {c.option: c.status for c in cells}["pcdt"] == "indirect"


def test_grid_to_frame(base):
    pytest.importorskip("pandas")
    cells = sensitivity_grid(base, days=(3,), tiers=("low",))
    frame = teaching.to_frame(cells)
    assert len(frame) == len(cells)
    assert {"location", "days", "tier", "option", "status", "major_bleeding"} <= set(frame.columns)


# ----------------------------------------------------------------- diffs


def test_diff_finds_a_changed_location_and_a_changed_status(base, scenario):
    a = sdm.run(scenario(location="iliofemoral", bleeding_tier="low"), base)
    b = sdm.run(scenario(location="femoropopliteal", bleeding_tier="low"), base)
    changes = diff_scenarios(a, b)
    loc = [c for c in changes if c.kind == "input" and c.field == "location"]
    assert len(loc) == 1 and loc[0].before == Location.iliofemoral and loc[0].after == Location.femoropopliteal
    stent = [c for c in changes if c.kind == "status" and c.option == "stenting"]
    assert stent and (stent[0].before, stent[0].after) == ("one_group", "no_evidence")
    pts = [c for c in changes if c.kind == "risk" and c.option == "pcdt" and c.outcome == "pts_moderate_severe"]
    assert len(pts) == 1
    assert pts[0].before == a.option("pcdt").outcome("pts_moderate_severe").risk
    assert pts[0].after == b.option("pcdt").outcome("pts_moderate_severe").risk
    assert all(c.text for c in changes)


def test_diff_names_each_rows_reference_once_not_once_per_option(base, scenario):
    a = sdm.run(scenario(location="iliofemoral", bleeding_tier="low"), base)
    b = sdm.run(scenario(location="femoropopliteal", bleeding_tier="low"), base)
    changes = diff_scenarios(a, b, base)
    ref = [c for c in changes if c.kind == "reference" and c.outcome == "pts_moderate_severe"]
    assert len(ref) == 1  # one line for the row, however many options are compared with it
    before, after = a.reference("pts_moderate_severe"), b.reference("pts_moderate_severe")
    assert before.id != after.id
    assert (ref[0].before, ref[0].after) == (before.risk, after.risk)
    assert f"{per100(before.risk)} in 100" in ref[0].text and f"{per100(after.risk)} in 100" in ref[0].text
    assert "comparator_risk" not in {c.kind for c in changes}
    # the blood-thinners-alone cell is the reference: not repeated as an option's risk or source change
    assert not [c for c in changes if c.option == "anticoagulation" and c.kind in ("risk", "source")
                and c.outcome in a.references]
    kinds = [(c.kind, c.outcome) for c in changes if c.kind == "reference"]
    assert len(kinds) == len(set(kinds))


def test_diff_of_a_result_with_itself_is_empty(base, scenario):
    r = sdm.run(scenario(bleeding_tier="moderate"), base)
    assert diff_scenarios(r, r) == []


def test_diff_sees_tier_and_bleeding_risk(base, scenario):
    a = sdm.run(scenario(bleeding_tier="low"), base)
    b = sdm.run(scenario(bleeding_tier="high"), base)
    changes = diff_scenarios(a, b)
    assert any(c.kind == "bleeding_tier" and (c.before, c.after) == ("low", "high") for c in changes)
    bleed = [c for c in changes if c.kind == "risk" and c.outcome == "major_bleeding"]
    assert {c.option for c in bleed} >= {"cdt", "pcdt"}
    assert all(c.after > c.before for c in bleed)
    tier = [c for c in changes if c.kind == "reference" and c.outcome == "major_bleeding"]
    assert len(tier) == 1 and tier[0].after > tier[0].before  # blood thinners alone: the row's reference
    assert (tier[0].before, tier[0].after) == (a.reference("major_bleeding").risk, b.reference("major_bleeding").risk)


def test_diff_sees_a_contraindication(base, scenario):
    a = sdm.run(scenario(bleeding_tier="low"), base)
    b = sdm.run(scenario(bleeding_tier="low", contraindications=("active_bleeding",)), base)
    statuses = {c.option: c.after for c in diff_scenarios(a, b) if c.kind == "status"}
    assert statuses == {"cdt": "contraindicated", "pcdt": "contraindicated"}


# ----------------------------------------------------------------- guess first


def test_guess_items_carry_engine_truths_and_plain_questions(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    items = guess_items(r, base)
    ids = {i.id for i in items}
    assert {"pcdt.major_bleeding", "pcdt.pts_moderate_severe", "anticoagulation.major_bleeding"} <= ids
    assert "thrombectomy.major_bleeding" not in ids  # no number: nothing to guess
    for i in items:
        assert i.truth == r.option(i.option).outcome(i.outcome).risk
        assert i.question.startswith("Out of 100 people like this") and i.question.endswith("?")
    q = next(i for i in items if i.id == "anticoagulation.major_bleeding").question
    assert q == ("Out of 100 people like this who take blood thinners alone, how many have serious bleeding "
                 f"in the {base.rules.bleeding.horizon}?")
    # a procedure's bleeding is the tier plus its extra bleeding, over the span its trial measured it
    pcdt = r.option("pcdt").outcome("major_bleeding")
    extra = next(e for e in base.estimates if e.id == pcdt.estimate_id).horizon
    q = next(i for i in items if i.id == "pcdt.major_bleeding").question
    assert q == ("Out of 100 people like this who have PCDT, how many have serious bleeding "
                 f"in the {base.rules.bleeding.horizon}, counting the extra bleeding {extra}?")


def test_guess_items_skip_ruled_out_options(base, scenario):
    r = sdm.run(scenario(location="distal", bleeding_tier="low"), base)
    assert {i.option for i in guess_items(r, base)} == {"anticoagulation"}
    r = sdm.run(scenario(bleeding_tier="low", contraindications=("active_bleeding",)), base)
    assert not {i.option for i in guess_items(r, base)} & {"cdt", "pcdt"}


def test_score_guesses_examples():
    truths = {"a": 0.10, "b": 0.20, "c": 0.30}
    cal = score_guesses({"a": 0.15, "b": 0.30, "c": 0.31}, truths)
    assert [round(i.error_per_100, 6) for i in cal.items] == [5.0, 10.0, 1.0]
    assert math.isclose(cal.mean_error_per_100, 16 / 3)
    assert cal.within == 2
    assert cal.direction == "overestimate"
    assert "too high" in cal.summary and cal.summary.endswith(".")

    cal = score_guesses({"a": 0.05, "b": 0.10}, truths)
    assert cal.direction == "underestimate" and cal.skipped == ["c"] and "too low" in cal.summary

    cal = score_guesses({"a": 0.20, "b": 0.10}, truths)
    assert cal.direction == "mixed" and cal.within == 0

    cal = score_guesses(dict(truths), truths)
    assert cal.mean_error_per_100 == 0 and cal.within == 3 and cal.direction == "exact"


def test_score_guesses_refuses_bad_input():
    with pytest.raises(ValueError):
        score_guesses({"x": 0.1}, {"a": 0.1})
    with pytest.raises(ValueError):
        score_guesses({}, {"a": 0.1})
    with pytest.raises(ValueError):
        score_guesses({"a": 12}, {"a": 0.1})  # a count, not a proportion
    with pytest.raises(ValueError):
        score_guesses({"a": float("nan")}, {"a": 0.1})


proportion = st.floats(0.0, 1.0, allow_nan=False)
keys = st.lists(st.text("abcdefgh", min_size=1, max_size=4), min_size=1, max_size=6, unique=True)


@given(keys.flatmap(lambda ks: st.tuples(st.fixed_dictionaries({k: proportion for k in ks}),
                                         st.fixed_dictionaries({k: proportion for k in ks}))))
def test_errors_are_never_negative_and_perfect_guesses_score_zero(pair):
    guesses, truths = pair
    cal = score_guesses(guesses, truths)
    assert all(i.error_per_100 >= 0 for i in cal.items)
    assert cal.mean_error_per_100 >= 0
    assert 0 <= cal.within <= len(cal.items) == len(truths)
    assert cal.mean_error_per_100 <= 100 + 1e-9
    perfect = score_guesses(dict(truths), truths)
    assert perfect.mean_error_per_100 == 0
    assert all(i.error_per_100 == 0 for i in perfect.items)
    assert perfect.within == len(truths) and perfect.direction == "exact"


def test_the_exercise_end_to_end(base, vignettes):
    r = sdm.run(vignettes[0].scenario, base)
    items = guess_items(r, base)
    cal = score_guesses({i.id: min(1.0, i.truth + 0.02) for i in items}, teaching.truths(items))
    assert cal.direction == "overestimate"
    assert cal.within == len(items)


# ----------------------------------------------------------------- prompts and wording


def test_prompts_load_and_cite(base, prompts):
    assert 5 <= len(prompts) <= 8
    sources = {s.id for s in base.sources}
    for p in prompts:
        assert p.sources or p.guidelines or p.reference
        assert set(p.sources) <= sources
    gap = next(p for p in prompts if p.id == "risk_tolerance_gap")
    assert gap.doi == "10.1177/02683555251326711"
    assert "40" in gap.text and "5" in gap.text and "30" in gap.text
    assert "Phlebology 2025" in gap.reference
    clot_age = next(p for p in prompts if p.id == "clot_age_uncertain")
    assert "55.1%" in clot_age.text


def test_prompt_needs_a_source(base, tmp_path):
    (tmp_path / "teaching_prompts.yaml").write_text("- id: lonely\n  title: T\n  text: What now\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="lonely"):
        discussion_prompts(base, tmp_path)


def test_no_prescriptive_words_in_teaching_text(vignettes, prompts):
    texts = [v.title for v in vignettes] + [v.story for v in vignettes]
    texts += [tp.text for v in vignettes for tp in v.teaching_points]
    texts += [p.title for p in prompts] + [p.text for p in prompts]
    for text in texts:
        low = text.lower()
        for word in PRESCRIPTIVE:
            assert word not in low, (word, text)


def test_new_modules_never_import_streamlit_or_hold_clinical_proportions():
    from pathlib import Path

    for name in ("teaching/vignettes.py", "teaching/sensitivity.py", "teaching/figures.py", "teaching/compare.py",
                 "teaching/guess.py", "teaching/readiness.py", "teaching/methods.py"):
        code = (Path(sdm.__file__).parent / name).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", code, re.M), name
        assert not re.search(r"(?<![\w.])0\.(?!0+\b)\d+(?![\w.])", code), name  # no literal risks like 0.17


def test_arrange_lays_out_one_option_and_tier_as_locations_by_days():
    base = sdm.default()
    cells = teaching.sensitivity_grid(base)
    locs, days, rows = teaching.arrange(cells, "pcdt", "low")
    assert [loc.value for loc in locs] == ["distal", "femoropopliteal", "iliofemoral", "iliocaval"]
    assert days == [3, 10, 18, 40]
    for loc, row in zip(locs, rows, strict=True):
        for d, c in zip(days, row, strict=True):
            assert (c.location, c.days, c.option, c.tier.value) == (loc, d, "pcdt", "low")


# ----------------------------------------------------------------- one reference per row (issue 9)


def _table_conflicts(result) -> list[tuple[str, str]]:
    """Side-by-side cells whose figure is set against anything but the row's one reference."""
    bad = []
    for row in side_table(result, result.outcome_order):
        for c in row.cells:
            o = result.option(row.option).outcome(c.outcome)
            ref = result.reference(c.outcome)
            if c.comparison == "reference":
                ok = ref is not None and c.risk == ref.risk and c.text == f"{per100(ref.risk)} (the reference)"
            elif c.reference is not None:
                ok = (ref is not None and c.reference == ref.risk == o.comparator_risk
                      and c.text.endswith(f" vs {per100(ref.risk)}"))
            else:
                ok = o.comparator_risk is None and " vs " not in c.text
            if not ok:
                bad.append((row.option, c.outcome))
    return bad


def test_side_by_side_tables_set_every_option_against_the_rows_reference(base, grid_results):
    cells = conflicts = 0
    for r in grid_results:
        cells += sum(len(row.cells) for row in side_table(r, r.outcome_order))
        conflicts += len(_table_conflicts(r))
        lines = teaching.reference_lines(r, base, r.outcome_order)
        assert [line.outcome for line in lines] == r.outcome_order  # one reference line per row
        for line in lines:
            ref = r.reference(line.outcome)
            assert (line.risk, line.reference_id) == ((ref.risk, ref.id) if ref else (None, None))
    report(f"teaching side-by-side tables: {cells} cells over {len(grid_results)} scenarios, "
           f"{conflicts} set against a figure other than the row's reference")
    assert conflicts == 0


def test_the_table_check_can_fail(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    assert _table_conflicts(r) == []
    pcdt = r.option("pcdt")
    other = pcdt.outcome("pts_moderate_severe").model_copy(update={"comparator_risk": 0.13})  # a different study's
    doctored = r.model_copy(update={"options": [
        o if o.id != "pcdt" else pcdt.model_copy(update={"outcomes": [
            other if x.id == other.id else x for x in pcdt.outcomes]}) for o in r.options]})
    assert _table_conflicts(doctored) == [("pcdt", "pts_moderate_severe")]


def test_side_table_example_pcdt_against_attract_iliofemoral_controls(base, scenario):
    """Acute iliofemoral clot: PCDT's moderate-or-severe PTS is the risk ratio applied to the ATTRACT
    iliofemoral control group, and the table puts that control group beside it."""
    r = sdm.run(scenario(bleeding_tier="low"), base)
    ref = r.reference("pts_moderate_severe")
    o = r.option("pcdt").outcome("pts_moderate_severe")
    row = {x.option: x for x in side_table(r)}
    cell = next(c for c in row["pcdt"].cells if c.outcome == "pts_moderate_severe")
    assert ref.source_ids == ["comerota2019"] and cell.reference == ref.risk == o.comparator_risk
    assert cell.text == f"{per100(o.risk)} vs {per100(ref.risk)}"
    alone = next(c for c in row["anticoagulation"].cells if c.outcome == "pts_moderate_severe")
    assert alone.risk == ref.risk and alone.comparison == "reference"


def test_a_worked_out_figure_is_never_labelled_published(base, grid_results):
    counts = {"published": 0, "worked_out": 0}
    mislabelled = unmarked = 0
    for r in grid_results:
        for opt in r.options:
            unmarked += sum(o.risk is not None and o.figure is None for o in opt.outcomes)
        for it in guess_items(r, base, outcomes=r.outcome_order):
            o = r.option(it.option).outcome(it.outcome)
            ref = r.reference(it.outcome)
            assert it.figure == o.figure
            counts[o.figure] += 1
            published = it.label.startswith("Published")
            applied = o.comparison in ("relative", "added")  # a study's effect set on the reference
            if published != (o.figure == "published") or (applied and published):
                mislabelled += 1
            if applied:
                assert it.label.startswith("Worked out from") and it.reference == ref.risk == o.comparator_risk
                assert it.working and per100(ref.risk) in it.working and per100(o.risk) in it.working
                assert teaching.source_name(base, ref.source_ids[0]) in it.label
            if o.comparison == "reference":
                assert published and it.truth == it.reference == ref.risk
                assert teaching.source_name(base, ref.source_ids[0]) in it.label
            if o.comparison == "one_group":
                assert published and it.reference is None and "no comparison group" in it.label
    report(f"teaching guess-first: {counts['worked_out']} worked-out and {counts['published']} published figures "
           f"over {len(grid_results)} scenarios, {mislabelled} worked-out figures labelled published")
    assert counts["worked_out"] > 0 and counts["published"] > 0
    assert mislabelled == 0 and unmarked == 0


def test_figure_labels_follow_the_engines_mark(base, scenario):
    r = sdm.run(scenario(bleeding_tier="low"), base)
    o = r.option("pcdt").outcome("pts_moderate_severe")
    assert o.figure == "worked_out"
    label = teaching.figure_label(r, o, base)
    assert label == ("Worked out from the effect in Comerota AJ 2019, applied to the blood-thinners-alone group in "
                     "Comerota AJ 2019")
    bleed = r.option("pcdt").outcome("major_bleeding")
    assert teaching.figure_label(r, bleed, base).startswith("Worked out from the extra bleeding in Vedantham S 2017, "
                                                            "added to the bleeding risk for this tier in")
    assert teaching.figure_label(r, r.option("anticoagulation").outcome("pts_moderate_severe"), base) == (
        "Published: the blood-thinners-alone group in Comerota AJ 2019")
    unmarked = o.model_copy(update={"figure": None})
    assert not teaching.figure_label(r, unmarked, base).startswith("Published")


def test_grid_comparators_are_the_row_reference_over_the_whole_grid(grid_results):
    checked = off = 0
    statuses = set()
    for r in grid_results:
        for c in grid_cells(r):
            statuses.add(c.status)
            for oid in teaching.GRID_OUTCOMES:
                comp = getattr(c, f"{oid}_comparator")
                if comp is None:
                    continue
                checked += 1
                off += comp != r.reference(oid).risk
    report(f"teaching sensitivity grid: {checked} comparator figures, {off} differ from the row's reference")
    assert checked > 0 and off == 0
    assert "one_group" in statuses


def test_every_status_has_words():
    assert set(teaching.STATUS_WORDS) == set(get_args(Status))
