"""The take-home PDF handout and the chart note."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import sdm
from sdm.engine.scenario import Goal
from sdm.outputs import handout
from sdm.outputs.chart_note import NOT_A_RECOMMENDATION, chart_note
from sdm.present import summary
from sdm.words import i18n
from sdm.words.wording import both_frames, of_n
from tests.strategies import bleeding_fields, scenario_fields

BASE = sdm.default()
ROOT = Path(__file__).resolve().parents[2]
EN = i18n.catalogue("en")
GOALS_OF = {o.id: o.goals for o in BASE.vocabulary.outcomes}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), flat(" ".join(page.extract_text() or "" for page in reader.pages))


def render(per=100, name=None, **fields):
    result = sdm.run(sdm.make(BASE.rules, **fields), BASE)
    pdf, fit = handout.layout(result, BASE, per=per, name=name)
    data = bytes(pdf.output())
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    assert fit.patient_pages <= handout.PATIENT_PAGES and pages == fit.pages <= handout.MAX_PAGES
    return result, data, text


def shown_on_reference_page(result, fit):
    s = summary.build(result, BASE, 100, top=fit.patient.top)
    return handout.plan_in_turn(result, fit.results, GOALS_OF, {r.outcome_id for r in s.rows})


def in_order(text: str, parts: list[str]) -> None:
    positions = [text.find(flat(p)) for p in parts]
    assert all(p >= 0 for p in positions), [p for p, i in zip(parts, positions, strict=True) if i < 0]
    assert positions == sorted(positions), positions


def common_checks(result, text: str) -> None:
    sc = result.scenario
    assert flat(BASE.content.not_advice) in text
    assert flat(BASE.vocabulary.locations[sc.location]) in text
    assert f"{sc.symptom_days} days since symptoms began" in text
    assert result.evidence_date in text
    assert f"Bleeding risk: {result.bleeding.tier}" in text  # the tier's label starts with the tier
    labels = {g.id: g.label for g in BASE.vocabulary.goals}
    in_order(text, [labels[g.value] for g in sc.goals])
    # options in their fixed order, never sorted
    in_order(text, [o.label for o in result.options])
    # a DOI or PMID from the sources list
    nospace = text.replace(" ", "")
    dois = [s.doi for s in BASE.sources if s.doi]
    assert any(d in nospace for d in dois)
    for word in ("best option", "we recommend", "you should choose", "ranked"):
        assert word not in text.lower()


def test_acute_iliofemoral_low_bleeding_shows_the_engines_numbers():
    result, _, text = render(location="iliofemoral", symptom_days=7, bleeding_tier="low")
    common_checks(result, text)
    assert "acute" in text
    assert "Bleeding risk entered as low." in text
    s = summary.build(result, BASE, 100)
    numbers = [(c.number, c.range_text) for row in s.rows for c in row.cells if c.number]
    assert len(numbers) >= 6
    for number, rng in numbers:  # every figure of the summary, with its range, as sdm.summary gives it
        assert f"{number} " in text or text.endswith(number)
        assert rng is None or rng in text
    ac = result.option("anticoagulation").outcome("major_bleeding")
    assert f"Each option is set against {of_n(ac.risk, 100).replace(' of ', ' in ')} with blood thinners alone" \
        in text  # the row's one reference, said once
    pcdt = result.option("pcdt").outcome("pts_moderate_severe")
    assert f"{of_n(pcdt.risk, 100).replace(' of ', ' in ')}" in text


def test_reference_page_results_are_the_engines_numbers_with_sources():
    goals = ("avoid_procedure", "avoid_pts", "avoid_bleeding", "fast_relief", "save_limb")
    result = sdm.run(sdm.make(BASE.rules, location="femoropopliteal", symptom_days=10, bleeding_tier="low",
                              goals=goals), BASE)
    pdf, fit = handout.layout(result, BASE)
    _, text = pdf_text(bytes(pdf.output()))
    plans = shown_on_reference_page(result, fit)
    shown = [(p.option, o) for p in plans for o in p.shown]
    if fit.results == 0:
        assert flat(EN.t("handout.reference.intro_none")) in text
    elif fit.results is not None:
        total = sum(len(p.shown) + p.hidden for p in plans)
        assert flat(EN.t("handout.reference.for_space", n=str(len(shown)), all=str(total))) in text
    assert shown or fit.results == 0
    info = {o.id: o for o in BASE.vocabulary.outcomes}
    for _, o in shown:
        head = EN.t("handout.reference.result_head", label=o.label, horizon=o.horizon)
        assert flat(head) in text, head
        if o.risk is not None:
            assert flat(both_frames(o.risk, 100, info[o.id].event_words, info[o.id].no_event_words)) in text
        else:
            assert flat(o.finding)[:60] in text
    print(f"reference page for femoropopliteal 10 days: {len(shown)} results beyond the summary")


def test_results_in_turn_take_every_options_first_before_any_second():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    full = handout.plan_in_turn(result, None, GOALS_OF)
    have = [len(p.shown) for p in full]
    five = handout.plan_in_turn(result, 5, GOALS_OF)
    assert [len(p.shown) for p in five] == [min(1, n) for n in have][:5] or sum(len(p.shown) for p in five) == 5
    assert all(len(p.shown) <= 1 for p in five) or min(have) == 0
    for p, q in zip(five, full, strict=True):
        assert p.shown == q.shown[:len(p.shown)]  # each option's first results, in its own order
        assert p.hidden == q.hidden + len(q.shown) - len(p.shown)


def test_distal_clot_says_not_studied():
    result, _, text = render(location="distal", symptom_days=5, bleeding_tier="moderate")
    common_checks(result, text)
    assert flat(EN.t("handout.status.no_evidence")) in text
    assert "Not studied in calf clots" in text


def test_forty_day_clot_is_chronic_and_older_than_the_trials():
    result, _, text = render(location="iliofemoral", symptom_days=40, bleeding_tier="low")
    common_checks(result, text)
    assert "40 days since symptoms began" in text and "chronic" in text
    assert "This clot is older than any clot in the studies of this option." in text


def test_limb_threat_high_bleeding_and_contraindications():
    result, _, text = render(
        location="iliofemoral", symptom_days=3, chest_factors=("cancer", "previous_bleeding"),
        contraindications=("active_bleeding", "pregnancy"), limb_threatening=True, iliac_compression=True, age=52,
    )
    common_checks(result, text)
    assert result.bleeding.tier == "high"
    assert "Bleeding risk: high" in text and "CHEST risk factors ticked: 2" in text
    assert "Active bleeding inside the body" in text and "Pregnancy or breastfeeding" in text
    assert flat(EN.t("handout.status.contraindicated")) in text
    assert "Clot threatens the leg (phlegmasia): Yes." in text
    assert "Each option: was it studied in people like you?" in text
    assert "Suspected." in text and "52 years" in text
    assert "emergency" in text  # the warning
    for w in result.warnings:
        assert flat(w) in text
    for g in result.guidelines:  # including any limb-threat statement
        assert flat(g.statement) in text


def test_all_goals_reversed_keeps_options_fixed_and_goals_in_order():
    goals = tuple(reversed([g.value for g in Goal]))
    result, _, text = render(location="femoropopliteal", symptom_days=10, bleeding_tier="low", goals=goals)
    common_checks(result, text)


def test_sections_questions_urgent_signs_and_guidelines():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    pdf, fit = handout.layout(result, BASE)
    _, text = pdf_text(bytes(pdf.output()))
    cap = fit.patient.max_questions
    qs = BASE.content.questions_to_ask
    for q in qs if cap is None else qs[:cap]:
        assert flat(q) in text
    if cap is not None and cap < len(qs):
        assert flat(EN.t("handout.help.more_questions")) in text
    for s in BASE.content.urgent_signs:
        assert flat(s) in text
    assert flat(BASE.content.urgent_call) in text and "Call 911" in text
    for g in result.guidelines:
        assert flat(f"{g.statement} ({g.strength}; {g.certainty})") in text
    assert flat(BASE.content.decision) in text
    assert (flat(BASE.content.foundation) in text) == fit.patient.foundation


def test_every_source_used_is_cited_with_doi_or_pmid():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    pdf, fit = handout.layout(result, BASE)
    _, text = pdf_text(bytes(pdf.output()))
    nospace = text.replace(" ", "")
    sources = {s.id: s for s in BASE.sources}
    used = handout.used_source_ids(result, shown_on_reference_page(result, fit),
                                   summary.build(result, BASE, 100, top=fit.patient.top))
    assert len(used) >= 5
    for sid in used:
        s = sources[sid]
        assert s.doi or s.pmid
        assert (s.doi and s.doi in nospace) or (s.pmid and s.pmid in nospace), sid


def test_name_is_printed_but_not_in_metadata():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    data = handout.render(result, BASE, name="Ada Example")
    reader = PdfReader(io.BytesIO(data))
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    assert "Ada Example" in text
    meta = reader.metadata or {}
    assert all("Ada" not in str(v) for v in meta.values())
    assert meta.get("/Title")
    assert b"/Lang" in data
    assert "Ada" not in pdf_text(handout.render(result, BASE))[1]


def test_per_1000():
    result, _, text = render(per=1000, location="iliofemoral", symptom_days=7, bleeding_tier="low")
    ac = result.option("anticoagulation").outcome("major_bleeding")
    assert f"{of_n(ac.risk, 1000).replace(' of ', ' in ')}" in text
    assert "Each picture shows 1,000 people" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_worst_case_inputs_still_fit_the_patient_part_on_two_pages(lang):
    """Every contraindication, every bleeding factor, a long name and readiness lines: the tightest style."""
    result = sdm.run(sdm.make(
        BASE.rules, location="iliocaval", symptom_days=3, chest_factors=tuple(BASE.rules.bleeding.chest_factors),
        vte_bleed_factors=tuple(BASE.rules.bleeding.vte_bleed_weights),
        contraindications=tuple(c.id for c in BASE.rules.contraindications),
        limb_threatening=True, iliac_compression=True, age=12, lang=lang), BASE)
    lines = [f"Before the talk: 2 of 4 yes answers on the SURE questions. {'A longer message. ' * 4}"] * 2
    pdf, fit = handout.layout(result, BASE, per=1000, name="A. Very-Long-Name " * 6, readiness=lines)
    assert fit.patient_pages <= handout.PATIENT_PAGES and fit.pages <= handout.MAX_PAGES
    assert fit.patient.brief_inputs  # it needed the shortest account of what was entered




@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_fields, bleeding_fields, st.sampled_from([100, 1000]), st.none() | st.text(max_size=60))
def test_every_valid_scenario_keeps_the_patient_part_on_two_pages(f, b, per, name):
    result = sdm.run(sdm.make(BASE.rules, **f, **b), BASE)
    pdf, fit = handout.layout(result, BASE, per=per, name=name)
    data = bytes(pdf.output())
    assert data.startswith(b"%PDF")
    assert fit.patient_pages <= handout.PATIENT_PAGES
    assert len(PdfReader(io.BytesIO(data)).pages) == fit.pages <= handout.MAX_PAGES


# ----------------------------------------------------------------- chart note


def test_chart_note_content():
    sc = sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, chest_factors=("cancer",),
                  contraindications=("pregnancy",), age=44,
                  goals=("avoid_pts", "fast_relief", "avoid_bleeding", "avoid_procedure", "save_limb"))
    result = sdm.run(sc, BASE)
    note = chart_note(result, BASE)
    assert note.rstrip().endswith(NOT_A_RECOMMENDATION)
    assert "Decision aid used to support shared decision making; it does not recommend a treatment." in note
    assert f"Evidence date: {result.evidence_date}" in note
    assert re.search(r"Date: \d{4}-\d{2}-\d{2}", note)
    assert "7 days" in note and "Pregnancy or breastfeeding (relative)" in note and "Age: 44" in note
    assert f"Bleeding risk tier: {result.bleeding.tier}" in note
    for line in result.bleeding.explanation:
        assert line in note
    labels = {g.id: g.label for g in BASE.vocabulary.goals}
    in_order(note, [f"{i}. {labels[g.value]}" for i, g in enumerate(sc.goals, 1)])
    in_order(note, [f"- {o.label} ({o.short})" for o in result.options])
    ms = result.option("pcdt").outcome("pts_moderate_severe")
    assert "Long-term leg problems (PTS), moderate or severe, 6 to 24 months: 18 per 100" in note or ms.risk is None
    assert "comerota2019 (DOI 10.1161/CIRCULATIONAHA.118.037425, PMID 30586751)" in note
    for g in result.guidelines:
        assert g.statement in note
    for opt in result.options:
        for r in opt.reasons:
            assert r in note


def test_chart_note_has_no_identifying_field():
    result = sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=3, bleeding_tier="low"), BASE)
    note = chart_note(result, BASE).lower()
    for word in ("name:", "mrn", "date of birth", "dob", "address"):
        assert word not in note


# ----------------------------------------------------------------- command line


def test_cli_writes_a_pdf(tmp_path):
    out = tmp_path / "h.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "sdm", "handout", "--location", "iliofemoral", "--days", "7", "--bleeding", "low",
         "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) <= handout.MAX_PAGES


def test_cli_writes_a_spanish_pdf(tmp_path):
    out = tmp_path / "es.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "sdm", "handout", "--location", "iliofemoral", "--days", "7", "--bleeding", "low",
         "--lang", "es", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = flat(" ".join(p.extract_text() for p in reader.pages))
    es = i18n.catalogue("es")
    assert flat(es.t("handout.title")) in text and "Llame al 911" in text
    assert "de noviembre de" in text  # the evidence date's month, by Babel, in Spanish
    assert b"/Lang (es-US)" in out.read_bytes()


def test_fonts_are_vendored():
    folder = ROOT / "data" / "fonts"
    for f in handout.FONT_FILES.values():
        assert (folder / f).is_file()
    assert (folder / "LICENSE").is_file()
    assert handout.font_dir() == folder


@pytest.mark.parametrize("per", [50, 0])
def test_bad_denominator_is_rejected(per):
    result = sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=3), BASE)
    with pytest.raises(ValueError):
        handout.render(result, BASE, per=per)


def test_short_handout_spreads_results_over_goals():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    cdt = handout.plan(result, 2, GOALS_OF)[1]
    assert cdt.option.id == "cdt"
    shown_goals = [GOALS_OF[o.id][0] for o in cdt.shown]
    assert len(set(shown_goals)) == 2, shown_goals  # a harm and a benefit, not two bleeding rows


def test_reference_page_leaves_out_what_the_summary_shows():
    result = sdm.run(sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), BASE)
    rows = {r.outcome_id for r in summary.build(result, BASE, 100).rows}
    for p in handout.plan(result, None, GOALS_OF, rows):
        assert not {o.id for o in p.shown} & rows
        assert p.hidden == 0


def test_months_come_from_babel_in_each_language():
    from datetime import date

    result = sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=3, lang="es"), BASE)
    pdf, _ = handout.layout(result, BASE, today=date(2026, 3, 5))
    _, text = pdf_text(bytes(pdf.output()))
    assert "Hecho el 5 de marzo de 2026." in text
    result = sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=3), BASE)
    pdf, _ = handout.layout(result, BASE, today=date(2026, 3, 5))
    assert "Made on March 5, 2026." in pdf_text(bytes(pdf.output()))[1]
