"""Evidence integrity: every number the dashboard shows is recomputed from data/ without the engine.

The expected figures are read with plain yaml.safe_load (not the project's loader) and worked out here:
- each row's reference (data/references.yaml, the row's blood-thinners-alone figure): its stored risk, or the
  patient's tier risk from data/rules.yaml; the blood-thinners-alone cell equals it exactly;
- relative estimates: the published RR or OR (else the ratio of the two stored arms) applied to the reference;
- bleeding-tier estimates: the tier's risk plus the trial's difference (or the one-group rate);
- one-group estimates: the stored risk, with no comparison.
Then every icon array that app.py draws (AppTest) must hold round(risk x 100) people, and figures whose
verification mark is not allowed for display must be refused when the evidence is loaded.
"""

from __future__ import annotations

import shutil
from itertools import product
from pathlib import Path

import pytest
import streamlit as st
import yaml

import sdm
from sdm.evidence import loader as evidence
from tests.apptest_helpers import app, icon_cells
from tests.safety_plugin import report

DATA = Path(__file__).resolve().parents[1] / "data"
RAW_ESTIMATES = {e["id"]: e for e in yaml.safe_load((DATA / "estimates.yaml").read_text(encoding="utf-8"))}
RAW_REFERENCES = yaml.safe_load((DATA / "references.yaml").read_text(encoding="utf-8"))
RAW_FINDINGS = yaml.safe_load((DATA / "findings.yaml").read_text(encoding="utf-8"))
RAW_SOURCES = {s["id"]: s for s in yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))}
RAW_RULES = yaml.safe_load((DATA / "rules.yaml").read_text(encoding="utf-8"))
TIER_RISK = {t["tier"]: t["risk"] for t in RAW_RULES["bleeding"]["tiers"]}
SHOWABLE = {"V", "V-derived", "V-sec"}
BASE = sdm.default()

LOCATIONS = ["distal", "femoropopliteal", "iliofemoral", "iliocaval"]
DAYS = [3, 10, 18, 40]
TIERS = ["low", "moderate", "high"]
CONTRAINDICATIONS = [(), ("active_bleeding",), ("allergy", "pregnancy"), ("no_anticoagulation",)]
SCENARIOS = [
    dict(location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb, contraindications=ci)
    for loc, d, t, limb, ci in product(LOCATIONS, DAYS, TIERS, (False, True), CONTRAINDICATIONS)
]


def clip(p: float) -> float:
    """Kept between 0 and 1, without binary floating-point noise (as sdm/risk.py documents: 9 decimals)."""
    return min(1.0, max(0.0, round(p, 9)))


def apply(measure: str, value: float, baseline: float) -> float:
    if measure == "RR":
        return clip(baseline * value)
    if measure == "OR":
        odds = baseline / (1 - baseline) * value
        return clip(odds / (1 + odds))
    raise AssertionError(f"unknown measure {measure}")


def raw_reference(outcome: str, location: str) -> dict | None:
    """The row's reference, chosen from the raw YAML: this location first, else a neighbouring one."""
    for places in ([location], RAW_RULES["location_neighbours"].get(location, [])):
        found = [r for r in RAW_REFERENCES if r["outcome"] == outcome and set(places) & set(r["locations"])]
        if found:
            return min(found, key=lambda r: (r.get("priority", 10), r["id"]))
    return None


def reference_risk(outcome: str, location: str, tier: str) -> float | None:
    r = raw_reference(outcome, location)
    if r is None:
        return None
    return TIER_RISK[tier] if r["kind"] == "bleeding_tier" else r["arm"]["risk"]


def expected(estimate_id: str | None, outcome: str, location: str, tier: str, option: str):
    """(risk with the option, the row's reference or None, kind), straight from the YAML."""
    ref = reference_risk(outcome, location, tier)
    if option == "anticoagulation":
        return ref, ref, "reference"
    e = RAW_ESTIMATES[estimate_id]
    baseline = e.get("baseline", "comparator")
    if baseline == "none":
        return e["intervention"]["risk"], None, "one_group"
    if baseline == "bleeding_tier":
        effect = e.get("effect")
        if effect and effect["measure"] == "RD":
            difference = effect["value"]
        elif e.get("comparator"):
            difference = e["intervention"]["risk"] - e["comparator"]["risk"]
        else:
            difference = e["intervention"]["risk"]
        return clip(ref + difference), ref, "added"
    assert baseline == "comparator", baseline
    effect = e.get("effect")
    if effect and effect["measure"] in ("RR", "OR"):
        return apply(effect["measure"], effect["value"], ref), ref, "relative"
    return apply("RR", e["intervention"]["risk"] / e["comparator"]["risk"], ref), ref, "relative"


def run(fields):
    return sdm.run(sdm.make(BASE.rules, **fields), BASE)


# ----------------------------------------------------------------- the engine's figures against the YAML


def test_every_figure_for_a_spread_of_scenarios_equals_the_yaml():
    checked = {"reference": 0, "relative": 0, "added": 0, "one_group": 0, "words": 0, "others": 0}
    for fields in SCENARIOS:
        result = run(fields)
        tier = result.bleeding.tier
        assert tier == fields["bleeding_tier"]
        for opt in result.options:
            for o in opt.outcomes:
                if o.risk is None:
                    assert o.comparator_risk is None and o.risk_low is None
                    if o.comparison == "words" and o.estimate_id is None:
                        texts = [f["text"] for f in RAW_FINDINGS if f["option"] == opt.id and f["outcome"] == o.id]
                        assert o.finding in texts
                        checked["words"] += 1
                    continue
                if opt.id != "anticoagulation":
                    raw = RAW_ESTIMATES[o.estimate_id]
                    assert (raw["option"], raw["outcome"]) == (opt.id, o.id), o.estimate_id
                    assert raw["source"] in o.source_ids
                    secondary = raw["verification"] == "V-sec" or RAW_SOURCES[raw["source"]]["verification"] == "V-sec"
                    assert o.secondary_source is secondary
                risk, comparator, kind = expected(o.estimate_id, o.id, fields["location"], tier, opt.id)
                assert o.comparison == kind, (fields, opt.id, o.id)
                if kind in ("reference", "one_group"):
                    assert o.risk == risk, (fields, opt.id, o.id)  # exactly the stored figure
                else:
                    assert o.risk == pytest.approx(risk, abs=1e-9), (fields, opt.id, o.id)
                    assert o.arithmetic  # worked-out figures show their working
                assert o.comparator_risk == comparator, (fields, opt.id, o.id)  # the row's one reference
                checked[kind] += 1
                checked["others"] += len(o.others)
    assert all(checked.values()), checked  # every kind of figure was met at least once
    report(f"evidence integrity: {len(SCENARIOS)} scenarios, {sum(checked.values())} figures recomputed from "
           f"data/ ({', '.join(f'{k} {v}' for k, v in checked.items())})")


def test_tier_figures_equal_rules_yaml():
    for tier, risk in TIER_RISK.items():
        result = run(dict(location="iliofemoral", symptom_days=7, bleeding_tier=tier))
        assert result.option("anticoagulation").outcome("major_bleeding").risk == risk
        assert result.option("pcdt").outcome("major_bleeding").comparator_risk == risk


# ----------------------------------------------------------------- the icon arrays the app draws

APP_SCENARIOS = [
    ({"loc": loc, "days": "10", "bleed": tier, **({"limb": "1"} if limb else {})}, 100)
    for loc, tier, limb in product(LOCATIONS, TIERS, (False, True))
] + [
    ({"loc": "iliofemoral", "days": "18", "bleed": "high", "ci": "active_bleeding", "per": "1000"}, 1000),
    ({"loc": "femoropopliteal", "days": "40", "bleed": "moderate", "per": "1000"}, 1000),
    ({"loc": "iliocaval", "days": "3", "chest": "cancer,diabetes", "ci": "pregnancy"}, 100),
]


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _fields(query: dict) -> dict:
    fields = dict(location=query["loc"], symptom_days=int(query["days"]), limb_threatening=query.get("limb") == "1",
                  contraindications=tuple(sorted(query["ci"].split(","))) if "ci" in query else ())
    if "chest" in query:
        fields["chest_factors"] = tuple(query["chest"].split(","))
    else:
        fields["bleeding_tier"] = query["bleed"]
    return fields


@pytest.mark.parametrize("query,per", APP_SCENARIOS, ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items())
                         if isinstance(v, dict) else str(v))
def test_every_icon_array_drawn_equals_the_yaml_figure(query, per):
    at = app({**query, "view": "pictures"})  # the detailed pictures: every figure, each with the row's reference
    assert not at.exception
    result = run(_fields(query))
    tier = result.bleeding.tier
    cells = icon_cells(at)
    numeric = {(opt.id, o.id) for opt in result.options for o in opt.outcomes if o.risk is not None}
    assert set(cells) == numeric, "every figure gets an icon array and nothing else does"
    for (option_id, outcome_id), arrays in cells.items():
        o = result.option(option_id).outcome(outcome_id)
        risk, comparator, _ = expected(o.estimate_id, outcome_id, query["loc"], tier, option_id)
        first = arrays[0]
        assert first["total"] == per
        assert first["had"] + first["maybe-had"] == round(risk * per), (option_id, outcome_id)
        assert first["had"] + first["maybe-had"] + first["maybe-not"] + first["did-not"] == per
        if comparator is None or option_id == "anticoagulation":
            assert len(arrays) == 1
        else:
            assert len(arrays) == 2
            assert arrays[1]["had"] + arrays[1]["maybe-had"] == round(comparator * per), (option_id, outcome_id)
    print(f"icon arrays: {len(cells)} cells for {query} match data/")


# ----------------------------------------------------------------- verification marks


def test_every_displayed_figure_carries_a_mark_allowed_for_display():
    shown: set[str] = set()
    for fields in SCENARIOS:
        for opt in run(fields).options:
            for o in opt.outcomes:
                if o.risk is not None and o.estimate_id:
                    shown.add(o.estimate_id)
                shown.update(x.estimate_id for x in o.others)
    for eid in shown:
        raw = RAW_ESTIMATES[eid]
        assert raw["verification"] in SHOWABLE, eid
        assert RAW_SOURCES[raw["source"]]["verification"] in SHOWABLE, (eid, raw["source"])
        assert RAW_SOURCES[raw["source"]].get("doi") or RAW_SOURCES[raw["source"]].get("pmid"), eid
    assert RAW_RULES["bleeding"]["verification"] in SHOWABLE  # the tier figures shown for every patient
    for r in RAW_REFERENCES:
        assert r["verification"] in SHOWABLE, r["id"]
        assert RAW_SOURCES[r["source"]].get("doi") or RAW_SOURCES[r["source"]].get("pmid"), r["id"]
    for f in RAW_FINDINGS:
        assert f["verification"] in SHOWABLE, f["id"]
    report(f"verification marks: {len(shown)} displayed estimates, all V, V-derived or V-sec")


def _copy(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(evidence.DEFAULT_DATA_DIR, folder)
    return folder


def _set(folder: Path, name: str, index: int, field: str, value) -> str:
    path = folder / name
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[index][field] = value
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return records[index]["id"]


@pytest.mark.parametrize("mark", ["M", "NF"])
@pytest.mark.parametrize("name", ["estimates.yaml", "findings.yaml", "guidelines.yaml", "references.yaml"])
def test_loader_refuses_a_figure_marked_from_memory_or_not_found(tmp_path, name, mark):
    folder = _copy(tmp_path)
    rid = _set(folder, name, 0, "verification", mark)
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    assert any(p.file == name and p.record.startswith(rid) and p.field == "verification" for p in err.value.problems)


def test_loader_refuses_a_figure_shown_in_the_default_scenario_when_marked_m(tmp_path):
    """The figure a clinician sees first (PCDT, moderate or severe PTS) must vanish as a whole app if marked M."""
    folder = _copy(tmp_path)
    eid = run(dict(location="iliofemoral", symptom_days=7, bleeding_tier="low")).option("pcdt").outcome(
        "pts_moderate_severe").estimate_id
    index = list(RAW_ESTIMATES).index(eid)
    _set(folder, "estimates.yaml", index, "verification", "M")
    with pytest.raises(evidence.EvidenceError, match="never stored as numbers"):
        evidence.load(folder)


@pytest.mark.parametrize("mark", ["M", "NF"])
def test_loader_refuses_bleeding_tier_figures_marked_from_memory(tmp_path, mark):
    folder = _copy(tmp_path)
    path = folder / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  verification: V\n" in text
    path.write_text(text.replace("\n  verification: V\n", f"\n  verification: {mark}\n", 1), encoding="utf-8")
    with pytest.raises(evidence.EvidenceError):
        evidence.load(folder)


def test_loader_refuses_a_source_marked_from_memory(tmp_path):
    folder = _copy(tmp_path)
    records = yaml.safe_load((folder / "estimates.yaml").read_text(encoding="utf-8"))
    used = records[0]["source"]
    sources = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    _set(folder, "sources.yaml", next(i for i, s in enumerate(sources) if s["id"] == used), "verification", "M")
    with pytest.raises(evidence.EvidenceError):
        evidence.load(folder)
