"""Spanish evidence text (data/es/): words change, numbers never do.

- key parity: every translatable English field has a Spanish text and the overlay carries nothing
  else (no unknown id, no field off the list, no missing record); the check is shown to fail;
- number parity: each Spanish text has exactly the numbers of its English text;
- consistency: equal English texts have equal Spanish texts, and different ones stay different
  (the engine compares horizons);
- `localise(base, "es")` changes no number, id or setting anywhere in the evidence base;
- the engine over the teaching grid gives the same numbers, in the same places, in both languages;
- readability of the patient-facing Spanish evidence text (Fernández-Huerta, INFLESZ).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections import Counter
from functools import cache
from itertools import product
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from textstat.textstat import textstatistics

import sdm
from sdm.evidence import translate
from sdm.evidence.loader import EvidenceError
from sdm.evidence.models import EvidenceBase
from sdm.present import grid
from tests.safety_plugin import report

BASE = sdm.default()
ES_DIR = Path(translate.__file__).resolve().parents[2] / "data" / "es"
GRID = [dict(location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
        for loc, d, t, limb in product(("distal", "femoropopliteal", "iliofemoral", "iliocaval"), (3, 10, 18, 40),
                                       ("low", "moderate", "high"), (False, True))]
MIN_FERNANDEZ_HUERTA = 70.0


@pytest.fixture(scope="module")
def merged() -> translate.Merge:
    return translate.merge(BASE, "es")


@pytest.fixture(scope="module")
def spanish() -> EvidenceBase:
    return translate.localise(BASE, "es")


# ---------------------------------------------------------------- key parity


def test_spanish_overlay_has_every_english_text_and_nothing_else(merged):
    problems = [str(i.problem) for i in merged.issues]
    missing, extra = merged.count("missing"), merged.count("extra") + merged.count("not_translatable")
    report(f"spanish evidence text: {len(merged.texts)} fields, key parity {missing} missing {extra} extra")
    assert problems == []
    assert len(merged.texts) > 400  # every file contributes: a silent empty merge would be caught here
    files = {f for f, *_ in merged.texts}
    assert files == {f"es/{name}" for name in translate.SPEC}


def _overlay_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "es"
    shutil.copytree(ES_DIR, folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _record(records: list, rid: str, key: str = "id") -> dict:
    return next(r for r in records if r[key] == rid)


MUTATIONS = {
    "missing field": ("findings.yaml", lambda d: _record(d, "pcdt_reclot_pearl").pop("horizon"),
                      "missing", "pcdt_reclot_pearl", "horizon"),
    "missing record": ("gaps.yaml", lambda d: d.remove(_record(d, "stenting_add_on")),
                       "missing", "stenting_add_on", "(record)"),
    "unknown id": ("guidelines.yaml", lambda d: d.append({"id": "made_up_2099", "statement": "Nada."}),
                   "extra", "made_up_2099", "(record)"),
    "number field": ("estimates.yaml", lambda d: _record(d, "pcdt_pts_ms_iliofemoral").update(
        {"effect": {"measure": "RR", "value": 0.1}}), "not_translatable", "pcdt_pts_ms_iliofemoral", "effect"),
    "enum field": ("sources.yaml", lambda d: _record(d, "attract2017").update({"design": "registry"}),
                   "not_translatable", "attract2017", "design"),
    "text the English lacks": ("estimates.yaml", lambda d: _record(d, "cdt_vein_open_cavent").update(
        {"differs": "Otra cosa."}), "extra", "cdt_vein_open_cavent", "differs"),
    "nested number": ("rules.yaml", lambda d: _record(d["bleeding"]["tiers"], "high", "tier").update({"risk": 0.5}),
                      "not_translatable", "bleeding: high", "tiers.risk"),
    "mapping key": ("vocabulary.yaml", lambda d: d["locations"].update({"knee": "Rodilla"}),
                    "extra", "locations", "knee"),
    "missing card": ("content.yaml", lambda d: d["options"]["cdt"]["like"].pop("follow_up"),
                     "missing", "options", "cdt.like.follow_up"),
    "one sign too many": ("content.yaml", lambda d: d["urgent_signs"].append("Otra señal."),
                          "extra", "urgent_signs", "7"),
    "missing glossary term": ("content.yaml", lambda d: d["glossary"].pop("PTS"), "missing", "glossary", "PTS"),
    "changed number": ("findings.yaml", lambda d: _record(d, "ac_bleeding_calf_riete").update(
        {"text": _record(d, "ac_bleeding_calf_riete")["text"].replace("2 de cada 100", "3 de cada 100")}),
        "numbers", "ac_bleeding_calf_riete", "text"),
    "number in words": ("references.yaml", lambda d: _record(d, "ref_recurrent_proximal").update(
        {"horizon": "dos años"}), "numbers", "ref_recurrent_proximal", "horizon"),
    "dotted run that is no number": ("findings.yaml", lambda d: _record(d, "ac_bleeding_calf_riete").update(
        {"text": _record(d, "ac_bleeding_calf_riete")["text"] + " Véase 127.0.0.9."}),
        "numbers", "ac_bleeding_calf_riete", "text"),
}


@pytest.mark.parametrize("case", MUTATIONS)
def test_overlay_check_fails_naming_file_record_and_field(tmp_path, case):
    name, change, kind, record, field = MUTATIONS[case]
    folder = _overlay_copy(tmp_path)
    _edit(folder, name, change)
    result = translate.merge(BASE, "es", folder)
    found = [(i.kind, i.problem.file, i.problem.record, i.problem.field) for i in result.issues]
    assert (kind, f"es/{name}", record, field) in found, found
    assert len(found) == 1, found
    with pytest.raises(EvidenceError) as err:
        translate.localise(BASE, "es", folder)
    assert f"es/{name}" in str(err.value) and record in str(err.value)


def test_a_missing_or_unknown_overlay_file_is_an_error(tmp_path):
    folder = _overlay_copy(tmp_path)
    (folder / "gaps.yaml").unlink()
    (folder / "finding.yaml").write_text("[]\n", encoding="utf-8")
    files = {(i.kind, i.problem.file) for i in translate.merge(BASE, "es", folder).issues}
    assert files == {("missing", "es/gaps.yaml"), ("extra", "es/finding.yaml")}


def test_broken_yaml_names_the_file_and_line(tmp_path):
    folder = _overlay_copy(tmp_path)
    (folder / "rules.yaml").write_text("bleeding:\n  note: [unclosed\n", encoding="utf-8")
    issues = translate.merge(BASE, "es", folder).issues
    assert [(i.problem.file, i.problem.field) for i in issues] == [("es/rules.yaml", "(syntax)")]
    assert issues[0].problem.record.startswith("line ")


# ---------------------------------------------------------------- number parity and consistency


def test_numbers_helper():
    n = translate.numbers
    assert n("1,000 people") == n("1000 personas") == n("1.000 personas") == Counter({"1000": 1})
    assert n("P = 0.09") == n("P = 0,09")
    assert n("2 to 9 in 1,000") == n("entre 2 y 9 de cada 1,000")
    assert n("2 years") != n("dos años")
    assert n("at 1 and 6 months") != n("al mes 6")
    assert n("IPG651, 14 days") == n("IPG651, 14 días")


def test_every_spanish_text_keeps_the_numbers_of_its_english_text(merged):
    differ = [(place, en, tr) for _, place, en, tr in merged.texts if en and translate.numbers(en) != translate.numbers(tr)]
    with_numbers = sum(1 for _, _, en, _ in merged.texts if translate.numbers(en))
    report(f"spanish evidence text: number parity in {len(merged.texts)} fields "
           f"({with_numbers} carry numbers), {len(differ)} differ")
    assert differ == []
    assert with_numbers > 50


def test_equal_english_texts_have_equal_spanish_texts(merged):
    """The engine compares texts such as horizons, so a translation must keep equal ones equal, and others apart."""
    forward: dict[str, set[str]] = {}
    backward: dict[str, set[str]] = {}
    for _, _, en, tr in merged.texts:
        if en:
            forward.setdefault(en, set()).add(tr)
            backward.setdefault(tr, set()).add(en)
    split = {en: sorted(trs) for en, trs in forward.items() if len(trs) > 1}
    merged_together = {tr: sorted(ens) for tr, ens in backward.items() if len(ens) > 1}
    repeated = sum(1 for en in forward if sum(1 for *_, e, _ in merged.texts if e == en) > 1)
    report(f"spanish evidence text: consistency over {repeated} English texts used more than once, "
           f"{len(split)} translated two ways, {len(merged_together)} Spanish texts for two English ones")
    assert split == {}
    assert merged_together == {}
    assert repeated > 10  # horizons such as "6 to 24 months" recur across files


def test_horizons_compared_by_the_engine_agree_in_spanish(spanish):
    en = {e.id: e.horizon for e in BASE.estimates} | {r.id: r.horizon for r in BASE.references}
    es = {e.id: e.horizon for e in spanish.estimates} | {r.id: r.horizon for r in spanish.references}
    pairs = [(a, b) for a in en for b in en if a < b]
    assert all((en[a] == en[b]) == (es[a] == es[b]) for a, b in pairs)
    assert BASE.rules.bleeding.horizon == next(r.horizon for r in BASE.references if r.kind == "bleeding_tier")
    assert spanish.rules.bleeding.horizon == next(r.horizon for r in spanish.references if r.kind == "bleeding_tier")


def test_glossary_terms_in_brackets_follow_the_translation(merged, spanish):
    """A term written "(PTS)" gets its hover definition; the Spanish text writes the Spanish term, "(SPT)"."""
    terms = dict(zip(BASE.content.glossary, spanish.content.glossary, strict=True))
    checked = 0
    for _, place, en, tr in merged.texts:
        for term, term_es in terms.items():
            if en and f"({term})" in en:
                checked += 1
                assert f"({term_es})" in tr, (place, term, tr)
    assert checked > 10
    assert terms["PTS"] == "SPT" and terms["DVT"] == "TVP" and terms["CDT"] == "CDT"


# ---------------------------------------------------------------- the localised evidence base


def _skeleton(value):
    """Every leaf that is not text, with text replaced by the numbers written in it (in the same place)."""
    kind = type(value)
    if kind in (int, float, bool) or value is None:
        return value
    if kind is str:
        return _text_numbers(value)
    if kind is list or kind is tuple:
        return [_skeleton(v) for v in value]
    if kind is dict:
        return {k: _skeleton(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        return _skeleton(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _skeleton({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {k: _skeleton(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_skeleton(v) for v in value]
    if isinstance(value, str):
        return _text_numbers(value)
    return value


@cache
def _text_numbers(text: str) -> tuple:
    return ("text", tuple(sorted(translate.numbers(text).elements())))


def _leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _allowed(path: tuple) -> bool:
    """Is this leaf of the dumped evidence base one the overlay may change (a translatable text)?"""
    file = next(n for n, k in translate.FIELD_FOR_FILE.items() if k == path[0])
    spec, rest = translate.SPEC[file], list(path[1:])
    while rest:
        step = rest.pop(0)
        if isinstance(spec, translate.Records) and isinstance(step, int):
            spec = spec.fields
        elif isinstance(spec, translate.Each):
            spec = spec.value
        elif isinstance(spec, translate.Items) and isinstance(step, int):
            spec = translate.TEXT
        elif isinstance(spec, dict) and step in spec:
            spec = spec[step]
        else:
            return False
    return spec == translate.TEXT


def test_localise_changes_no_number_id_or_setting(spanish):
    en, es = BASE.model_dump(mode="json"), spanish.model_dump(mode="json")
    glossary_en, glossary_es = en["content"].pop("glossary"), es["content"].pop("glossary")
    assert len(glossary_en) == len(glossary_es)
    assert [translate.numbers(t) for t in glossary_en.values()] == [translate.numbers(t) for t in glossary_es.values()]
    assert _skeleton(en) == _skeleton(es)
    leaves_en, leaves_es = dict(_leaves(en)), dict(_leaves(es))
    assert leaves_en.keys() == leaves_es.keys()
    changed = [p for p in leaves_en if leaves_en[p] != leaves_es[p]]
    numbers = [p for p in leaves_en if not isinstance(leaves_en[p], str)]
    assert [p for p in changed if not _allowed(p)] == []
    assert all(leaves_en[p] == leaves_es[p] and type(leaves_en[p]) is type(leaves_es[p]) for p in numbers)
    assert len(changed) > 350 and len(numbers) > 500
    # the check itself can fail: a changed risk is not an allowed leaf
    assert not _allowed(("estimates", 0, "intervention", "risk")) and _allowed(("estimates", 0, "horizon"))


def test_localise_keeps_english_as_it_was_and_caches(spanish):
    before = BASE.model_dump(mode="json")
    assert translate.localise(BASE, "en") is BASE
    assert translate.localise(BASE, "es") is spanish
    assert BASE.model_dump(mode="json") == before
    assert BASE.content.options["anticoagulation"].name == "Blood thinners alone"
    assert spanish.content.options["anticoagulation"].name == "Solo anticoagulantes"
    assert spanish.model_config.get("frozen") is True
    with pytest.raises(ValueError):
        translate.localise(BASE, "fr")


def test_translation_note_is_in_both_languages(spanish):
    """About this tool says who wrote the Spanish text and what checks it has not had, in both languages."""
    assert translate.pending("es", BASE) == {}  # nothing waits for an English field any more
    assert "certified medical translator" in BASE.content.about.translation_note
    assert "Spanish-speaking patients" in BASE.content.about.translation_note
    assert "traductor médico certificado" in spanish.content.about.translation_note
    assert "pacientes que hablan español" in spanish.content.about.translation_note


def test_localising_twice_changes_nothing(spanish):
    """A page may hand the Spanish base to code that localises it again (the handout): it stays the same base."""
    assert translate.localise(spanish, "es") is spanish
    assert sdm.run(sdm.make(BASE.rules, location="distal", symptom_days=5, bleeding_tier="low", lang="es"),
                   spanish).options[0].label == "Solo anticoagulantes"


# ---------------------------------------------------------------- the engine in Spanish


def test_engine_gives_the_same_numbers_in_spanish_over_the_teaching_grid(spanish):
    compared = 0
    for fields in GRID:
        en = sdm.run(sdm.make(BASE.rules, **fields), BASE)
        es = sdm.run(sdm.make(spanish.rules, **fields), spanish)
        assert _skeleton(es) == _skeleton(en), fields
        for per in (100, 1000):
            assert _skeleton(grid.rows(es, spanish, per)) == _skeleton(grid.rows(en, BASE, per)), (fields, per)
        compared += 1
    report(f"spanish evidence text: engine number parity over {compared} scenarios "
           "(results and comparison grid, per 100 and per 1,000)")
    assert compared == 96


def test_engine_parity_check_can_fail(spanish):
    """A number changed inside a Spanish text, or a risk changed, shows up in the comparison."""
    fields = dict(location="iliofemoral", symptom_days=7, bleeding_tier="low")
    en = _skeleton(grid.rows(sdm.run(sdm.make(BASE.rules, **fields), BASE), BASE))
    data = spanish.model_dump(mode="json")
    finding = next(f for f in data["findings"] if f["id"] == "pcdt_reclot_pearl")
    finding["text"] = finding["text"].replace("80 de cada 100", "81 de cada 100")
    wrong_text = EvidenceBase.model_validate(data)
    data = spanish.model_dump(mode="json")
    data["references"][1]["arm"]["risk"] = 0.41
    wrong_risk = EvidenceBase.model_validate(data)
    for tampered in (wrong_text, wrong_risk):
        rows = grid.rows(sdm.run(sdm.make(tampered.rules, **fields), tampered), tampered)
        assert _skeleton(rows) != en


def test_spanish_text_reaches_the_engine_output(spanish):
    """The parity above would pass trivially if the Spanish never got through: check that it does."""
    r = sdm.run(sdm.make(spanish.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), spanish)
    rows = grid.rows(r, spanish)
    assert any(row.label.startswith("Problemas de la pierna a largo plazo (SPT)") for row in rows)
    assert any(g.statement.startswith("La guía CHEST 2021") for g in r.guidelines)


# ---------------------------------------------------------------- readability


def _patient_groups(spanish, merged) -> dict[str, list[str]]:
    c = spanish.content
    content = [c.decision, c.foundation, c.not_advice, c.urgent_call, *c.urgent_signs, *c.questions_to_ask,
               *c.about.model_dump().values(), *merged.pending.values()]
    for o in c.options.values():
        content += [o.plain, *o.like.values()]
    return {
        "content (decision, cards, help, about)": content,
        "glossary": list(c.glossary.values()),
        "findings and gaps": [f.text for f in spanish.findings] + [g.text for g in spanish.gaps],
        "guideline statements": [g.statement for g in spanish.guidelines],
    }


def _provenance(spanish) -> list[str]:
    return ([s.population.description for s in spanish.sources] + [r.definition for r in spanish.references]
            + [r.why for r in spanish.references] + [e.note for e in spanish.estimates if e.note]
            + [e.differs for e in spanish.estimates if e.differs] + [spanish.rules.bleeding.note])


def test_spanish_readability(spanish, merged):
    ts = textstatistics()  # its own instance: the language setting never leaks into the English checks
    ts.set_lang("es")
    groups = _patient_groups(spanish, merged)
    for name, texts in groups.items():
        text = " ".join(texts)
        report(f"spanish readability: {name}: Fernández-Huerta {ts.fernandez_huerta(text):.1f}, "
               f"INFLESZ {ts.szigriszt_pazos(text):.1f} over {len(texts)} strings")
    every = " ".join(t for texts in groups.values() for t in texts)
    fh, inflesz = ts.fernandez_huerta(every), ts.szigriszt_pazos(every)
    report(f"spanish readability (evidence text): Fernández-Huerta {fh:.1f}, INFLESZ {inflesz:.1f} "
           f"(limit {MIN_FERNANDEZ_HUERTA:g}, aim 80)")
    source_words = " ".join(_provenance(spanish))
    report(f"spanish readability: study details (who, why this figure, notes): Fernández-Huerta "
           f"{ts.fernandez_huerta(source_words):.1f}, INFLESZ {ts.szigriszt_pazos(source_words):.1f}")
    assert fh >= MIN_FERNANDEZ_HUERTA
    assert all(ts.fernandez_huerta(" ".join(texts)) >= MIN_FERNANDEZ_HUERTA for texts in groups.values())
    assert ts.fernandez_huerta(source_words) >= MIN_FERNANDEZ_HUERTA - 10
    # the measure can fail: long sentences of long words score far lower
    hard = ("La administración concomitante de tratamiento farmacomecánico intravascular, conjuntamente con "
            "anticoagulación terapéutica prolongada, disminuyó significativamente la incidencia acumulada.")
    assert ts.fernandez_huerta(hard) < MIN_FERNANDEZ_HUERTA


def test_no_spanish_text_picks_an_option(merged):
    prescriptive = re.compile(r"\b(la mejor opción|el mejor tratamiento|le recomendamos|recomendamos|usted debe "
                              r"(elegir|escoger)|debería elegir|la opción correcta|la opción ideal)\b", re.I)
    assert prescriptive.search("Le recomendamos la PCDT")
    hits = [tr for *_, tr in merged.texts if prescriptive.search(tr)]
    assert hits == []
