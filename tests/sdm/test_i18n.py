"""The catalogues of words built in code (data/locales/<lang>/*.yaml, sdm.i18n).

- catalogue check: every key in both languages, the same {fields} and the same literal numbers;
  planted faults in a copy (a missing key, an extra key, a changed field, a changed number) are found;
- no patient-facing words are built outside the catalogue in the domain modules (an AST scan that is
  shown to catch a planted sentence);
- the engine's words reach the output in the scenario's language, and English stays as it was;
- plain Spanish: Fernández-Huerta and INFLESZ over the Spanish templates filled with typical values,
  and over the engine's Spanish words across the teaching grid.
"""

from __future__ import annotations

import ast
import re
import shutil
from itertools import product
from pathlib import Path

import pytest
import yaml
from textstat.textstat import textstatistics

import sdm
from sdm.evidence.loader import EvidenceError
from sdm.outputs import chart_note
from sdm.present import grid, icon_array, summary, tables
from sdm.words import i18n, wording
from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[2]
BASE = sdm.default()
CODE_AREAS = ("engine", "wording", "grid", "summary", "tables")
MIN_FERNANDEZ_HUERTA = 70.0

# ---------------------------------------------------------------- (1) the catalogue check


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_catalogues_have_the_same_keys_fields_and_numbers():
    found = i18n.problems()
    en, es = i18n.catalogue("en"), i18n.catalogue("es")
    areas = sorted({k.split(".")[0] for k in en.entries})
    mine = [k for k in en.entries if k.split(".")[0] in CODE_AREAS]
    report(f"catalogue check: {len(en.entries)} keys in each of en and es over {len(areas)} areas "
           f"({', '.join(areas)}), {len(found)} problems; the words built in code (engine, wording, grid, summary, tables) are {len(mine)} of them")
    assert found == []
    assert en.entries.keys() == es.entries.keys()
    assert set(CODE_AREAS) <= set(areas) and len(mine) > 150
    # a translation, not a copy: most Spanish templates differ from the English ones
    same = [k for k in mine if en.entries[k] == es.entries[k] and re.search(r"[a-z]{3}", en.entries[k])]
    assert len(same) < 5, same


@pytest.mark.parametrize("fault, change, kind", [
    ("missing key", lambda d: d["bleeding"].pop("entered"), "(key)"),
    ("extra key", lambda d: d.setdefault("warning", {}).update(new_one="Una frase de más."), "(key)"),
    ("changed field", lambda d: d["bleeding"].update(entered="Riesgo de sangrado anotado: {nivel}."), "(fields)"),
    ("changed number", lambda d: d.update(other_ratio="{measure} {value} (intervalo de 90%: de {low} a {high})."),
     "(numbers)"),
    ("bad template", lambda d: d["bleeding"].update(entered="Riesgo {tier."), "(template)"),
])
def test_catalogue_check_finds_a_planted_fault(tmp_path, fault, change, kind):
    folder = _copy(tmp_path)
    assert i18n.problems(folder) == []
    _edit(folder / "es" / "engine.yaml", change)
    found = i18n.problems(folder)
    assert [p.field for p in found] == [kind], (fault, found)
    assert all(p.file == "locales/es" for p in found)
    with pytest.raises(EvidenceError):
        i18n.catalogue("es", folder)
    report(f"catalogue check can fail: a planted {fault} is found ({found[0].record}: {found[0].message})")


def test_catalogue_check_finds_an_english_key_missing_from_spanish_and_a_whole_missing_file(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "en" / "grid.yaml", lambda d: d.update(brand_new="A new English sentence."))
    (folder / "es" / "tables.yaml").unlink()
    found = i18n.problems(folder)
    assert any(p.record == "grid.brand_new" and "missing" in p.message for p in found)
    assert sum(1 for p in found if p.record.startswith("tables.")) == len(
        [k for k in i18n.catalogue("en").entries if k.startswith("tables.")])


def test_numbers_are_formatted_the_same_way_in_both_languages():
    en, es = i18n.catalogue("en"), i18n.catalogue("es")
    for value in (0, 7, 93, 100, 1000, 11086, 123456):
        assert en.number(value) == es.number(value) == f"{value:,}"
    assert en.number(2.5, 1) == es.number(2.5, 1) == "2.5"
    assert en.join(["a", "b"]) == "a and b" and es.join(["a", "b"]) == "a y b"
    with pytest.raises(ValueError):
        i18n.catalogue("fr")


def test_no_template_carries_a_clinical_figure_of_its_own():
    """Figures come in as fields: a template may not hold '7 in 100' or '12%' (only the 95% of an interval)."""
    clinical = re.compile(r"\d+(\.\d+)?\s?%|\b\d+(\.\d+)? (in|of|per|de cada) (100|1,?000)\b")
    for lang in i18n.LANGUAGES:
        for key, template in i18n.catalogue(lang).entries.items():
            assert not clinical.search(template.replace("95%", "")), (lang, key, template)
    assert clinical.search("7 de cada 100") and clinical.search("12%")


def test_the_legend_words_match_the_icon_arrays_own():
    """sdm.icon_array keeps its English legend for the handout; the screen's catalogue says the same."""
    en = i18n.catalogue("en")
    assert {k: en.t(f"grid.legend.{k}") for k in icon_array.CATEGORIES} == icon_array.LEGEND


# ---------------------------------------------------------------- (2) no patient-facing words outside the catalogue

MODULES = ["sdm/engine/compute.py", "sdm/engine/cells.py", "sdm/engine/reference.py", "sdm/engine/applicability.py", "sdm/words/wording.py",
           "sdm/present/grid.py", "sdm/present/html_views.py", "sdm/present/summary.py", "sdm/present/summary_html.py", "sdm/present/tables.py",
           "sdm/outputs/cli.py"]
WORDS = re.compile(r"[^\W\d_]{3,}")  # a run of three letters or more
FIELD = "\x00"  # stands for an f-string's {value}
# Attributes whose values a reader or a screen reader meets; other attributes are markup (class, data-*, href).
READ_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "placeholder", "label", "summary"}
# Text that must stay in code, each with its reason.
ALLOWED: dict[str, str] = {
    "very low": "a certainty level: the id data/estimates.yaml uses, never shown as it is (wording.certainty_words)",
    "no clear difference": "a result.Direction id (a Literal), compared in code, never shown as it is",
}
# Names whose value is markup, not words: an HTML class list ("cell st-studied ref") for the style sheet.
# Each of its words must be a class the module's own <style> defines.
MARKUP_NAMES = {"classes": "class names for the style sheet", "cls": "class names for the style sheet"}
OPERATOR_FUNCTIONS = {
    # sdm/cli.py: the command line's options, help and error messages are for whoever runs the program
    # (like `--location` itself); the patient's words it prints come from cli.table, which is scanned.
    ("sdm/outputs/cli.py", "_parser"): "argparse options and help, for the operator",
    ("sdm/outputs/cli.py", "main"): "messages about files and input, for the operator",
}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(v.value if isinstance(v, ast.Constant) else FIELD for v in node.values)


def reader_words(text: str) -> list[str]:
    """What a reader would see in a string from code: markup, style sheets and fields taken away."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    attribute = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*')""")  # in a whole tag or a piece of one
    seen = [value[1:-1] for name, value in attribute.findall(text) if name.lower() in READ_ATTRIBUTES]
    text = attribute.sub(" ", text)
    seen.append(re.sub(r"</?[a-zA-Z][^<>]*>?", " ", text))
    return [s for s in seen if " " in s.strip() and WORDS.search(s)]


def _style_classes(text: str, styles: str) -> bool:
    """Is every word of `text` a class the module's style sheet defines ('st-' + a field: a class prefix)?"""
    tokens = text.split()
    return bool(tokens) and all(f".{t.split(FIELD)[0]}" in styles for t in tokens)


def scan(source: str, relpath: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal in `source` that looks like words for a reader."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def excused(node: ast.AST) -> bool:
        up = parents.get(id(node))
        while up is not None:
            if isinstance(up, ast.Raise):
                return True  # an exception's message is for the programmer
            if isinstance(up, ast.FunctionDef) and (relpath, up.name) in OPERATOR_FUNCTIONS:
                return True
            if isinstance(up, ast.Assign | ast.AugAssign):
                targets = up.targets if isinstance(up, ast.Assign) else [up.target]
                if any(isinstance(t, ast.Name) and t.id in MARKUP_NAMES for t in targets):
                    return _style_classes(_text(node), styles)
            up = parents.get(id(up))
        return False

    styles = " ".join(re.findall(r"<style>(.*?)</style>", source, flags=re.S))
    inner = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inner:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(node, ast.JoinedStr):
            text = _text(node)
            if text in ALLOWED or excused(node):
                continue
            if reader_words(text):
                found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("relpath", MODULES)
def test_no_patient_facing_words_are_built_outside_the_catalogue(relpath):
    found = scan((ROOT / relpath).read_text(encoding="utf-8"), relpath)
    assert found == [], f"{relpath}: words for a reader belong in data/locales/<lang>/*.yaml: {found}"


def test_outside_the_catalogue_scan_covers_every_module_and_can_fail():
    literals = 0
    for relpath in MODULES:
        tree = ast.parse((ROOT / relpath).read_text(encoding="utf-8"))
        literals += sum(1 for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    planted = '''
"""A docstring may say anything at all."""
CSS = """<style>.cell{font-size:1rem; color:#000} .st-a, .ref{margin:0}</style>"""

def words(who, per):
    """So may this one."""
    a = f"Blood thinners alone for {who}."
    b = f'<p title="How sure we are">{who}</p>'
    c = f'<div class="sdm" data-x="{who}"><p>{per}</p></div>'
    d = "engine.fit.neighbour"
    e = {"Question": who, "very low": 1}
    classes = f"cell st-{who}" + " ref"
    cls = "blood thinners alone"  # a sentence passed off as class names is still found
    if not who:
        raise ValueError(f"no such thing as {who}")
    return a, b, c, d, e
'''
    found = [text for _, text in scan(planted, "sdm/planted.py")]
    assert found == ["Blood thinners alone for \x00.", '<p title="How sure we are">\x00</p>',
                     "blood thinners alone"], found
    assert reader_words('<span class="on">\x00: </span>') == []
    report(f"no patient-facing string built outside the catalogue: {len(MODULES)} modules, {literals} string "
           f"literals scanned, 0 found (a planted sentence and a planted title are found; "
           f"{len(ALLOWED)} ids and {len(OPERATOR_FUNCTIONS)} operator-only functions allowed, each with a reason)")


# ---------------------------------------------------------------- the words reach the output


def _run(lang: str, **fields):
    return sdm.run(sdm.make(BASE.rules, **{"location": "iliofemoral", "symptom_days": 7, "bleeding_tier": "low",
                                           **fields, "lang": lang}), BASE)


def test_the_engine_speaks_the_scenarios_language():
    fields = dict(location="iliocaval", symptom_days=20, age=16, iliac_compression=False, limb_threatening=True,
                  contraindications=("no_anticoagulation", "kidney_disease"), bleeding_tier="high")
    en, es = _run("en", **fields), _run("es", **fields)
    assert "A clot that threatens the leg is an emergency. This tool is not built for urgent decisions." in en.warnings
    assert "Un coágulo que pone en peligro la pierna es una emergencia. Esta herramienta no está hecha para " \
           "decisiones urgentes." in es.warnings
    assert es.bleeding.explanation[0] == "Riesgo de sangrado anotado: alto."
    reasons = [r for o in es.options for r in o.reasons]
    assert any(r.startswith("Tenga cuidado: ") for r in reasons) and any("usted tiene 16" in r for r in reasons)
    rows = grid.rows(es, BASE)
    assert rows[0].lang == "es" and rows[0].cells[0].lang == "es"
    words = [w for r in rows for c in r.cells for w in c.words]
    assert any(" de cada 100 personas " in w for w in words)
    assert not any(" of 100 people " in w for w in words)
    s = summary.build(es, BASE)
    assert s.lang == "es" and {c.badge for c in s.columns} == {"No es seguro para su caso"}
    assert summary.build(_run("es"), BASE).columns[0].badge == "Estudiado en personas como usted"
    assert tables.option_grid(es, BASE)[0]["Question"] == "¿Qué es?"
    assert tables.no_numbers_for_goal("save_limb", es).startswith("Los ensayos dejaron fuera")


def test_the_status_reason_for_an_old_clot_does_not_depend_on_the_language():
    """'This clot is older than any clot in the studies' was found by looking for English words: now by a flag."""
    en, es = _run("en", symptom_days=40), _run("es", symptom_days=40)
    older_en = [o.id for o in en.options if "This clot is older than any clot in the studies of this option." in o.reasons]
    older_es = [o.id for o in es.options
                if i18n.catalogue("es").t("engine.status.older") in o.reasons]
    assert older_en and older_en == older_es


def test_english_words_kept_for_other_callers():
    assert wording.CERTAINTY_WORDS["very low"].startswith("We are very unsure")
    assert grid.STATUS_BADGE["contraindicated"] == "Not safe for this patient"
    assert tables.PTS_MEASURES == {"pts_any": "any PTS", "pts_moderate_severe": "moderate or severe PTS"}
    assert wording.both_frames(0.07, 100, "had serious bleeding") == "7 of 100 people had serious bleeding; 93 did not."
    es = i18n.catalogue("es")
    assert wording.both_frames(0.07, 100, "tuvieron un sangrado grave", "no", cat=es) == \
        "7 de cada 100 personas tuvieron un sangrado grave; 93 no."
    assert wording.both_frames(0.003, 100, "tuvieron un sangrado", "no", cat=es).startswith(
        "Menos de 1 de cada 100 personas tuvieron un sangrado (unas 3 de cada 1,000)")
    with pytest.raises(AttributeError):
        wording.NOT_A_NAME  # noqa: B018


def test_the_chart_note_stays_english_for_a_spanish_scenario():
    """The chart note is written from an English run of the same scenario: same note, no Spanish in it."""
    scenario = sdm.make(BASE.rules, location="iliofemoral", symptom_days=7, chest_factors=("cancer",), lang="es")
    spanish = sdm.run(scenario, BASE)
    english = sdm.run(scenario.model_copy(update={"lang": "en"}), BASE)
    note = chart_note.chart_note(english, BASE)
    same = chart_note.chart_note(sdm.run(scenario.model_copy(update={"lang": "en"})), BASE)
    assert note == same
    assert not re.search(r"[áéíóúñ¿¡]|\b(de cada|anticoagulantes|sangrado)\b", note)
    assert [o.status for o in english.options] == [o.status for o in spanish.options]
    assert [o.risk for x in english.options for o in x.outcomes] == [o.risk for x in spanish.options for o in x.outcomes]


# ---------------------------------------------------------------- plain Spanish

TYPICAL = {  # a typical value for each template field, as the engine fills it
    "age": "70", "age_max": "75", "age_min": "18", "author": "Kahn SR", "base": "28", "bleeding": "3.3",
    "by": "según los autores del estudio", "checklist": "moderado", "cite": "Vedantham S 2017", "condition":
    "Embarazo o dar pecho", "count": "2", "cut": "2", "days": "18", "difference": "3 menos",
    "event": "tuvieron un sangrado grave", "events_alone": "1", "events_option": "4", "extra": "1.4",
    "extra_horizon": "en los 10 días después del procedimiento", "factors": "más de 65 años y más de 75 años",
    "finer": "3", "floor": "alto", "hi": "8", "high": "1.15", "horizon": "primeros 3 meses", "journal": "Chest",
    "k": "7", "label": "bajo (sin factores de riesgo)", "lo": "3", "location": "solo la pantorrilla (debajo de la rodilla)",
    "low": "0.78", "max_days": "14", "measure": "razón de riesgo", "method": "tal como se publicó", "n": "100",
    "n_alone": "89", "n_option": "87", "names": "cáncer, más de 65 años", "near": "ingle y pelvis",
    "no_event": "no", "note": "rango que sacó este proyecto del tamaño del grupo", "of_n": "7 de cada 100",
    "option": "PCDT", "options": "CDT, Stent", "outcomes": "calidad de vida", "p": "18", "p_alone": "0.3",
    "p_high": "26", "p_low": "13", "p_option": "1.7", "points": "PCDT: 1.4 más con sangrado grave",
    "pts": "2.6", "range": "podría ser de 13 a 26", "reference": "2 de cada 100", "reference_cite": "Comerota AJ 2019",
    "reference_horizon": "de 6 a 24 meses", "rest": "93", "score": "2", "text": "Unas 3 de cada 10 tenían problemas leves.",
    "thousand": "1,000", "tier": "bajo", "value": "0.95", "versus": "28 de cada 100 con solo anticoagulantes",
    "warning": "Un coágulo que pone en peligro la pierna es una emergencia.", "why": "Es el grupo más parecido.",
    "word": "no es alto", "words": "Estamos bastante seguros de este número.", "applicability": "direct",
    "comparison": "", "date": "2026-11-24", "head": "Sangrado grave (primeros 3 meses):", "sources": "chest2016",
    "year": "2016", "names_list": "",
}
# How a number was worked out, and the command line's text table: details for the clinician, reported apart.
DETAIL = re.compile(r"^(engine\.(reference\.(base|effect|calc|sum|extra)|method|ratio|range_|effect_method|"
                    r"one_group_arithmetic|why_figure)|tables\.text\.|grid\.(verification|design)\.)")


def _filled(lang: str) -> dict[str, str]:
    cat = i18n.catalogue(lang)
    out = {}
    for key, template in cat.entries.items():
        if key.split(".")[0] in CODE_AREAS and re.search(r"[^\W\d_]{2}", template):
            out[key] = cat.t(key, **{f: TYPICAL[f] for f in i18n.fields(template)})
    return out


def _sentences(texts) -> str:
    """Each text as a sentence: short labels ('Estudio', 'Más') end with a full stop so they are not run together."""
    return " ".join(t if t.rstrip().endswith((".", "?", ":", "!")) else t.rstrip() + "." for t in texts)


def _engine_words_es() -> list[str]:
    texts = []
    for loc, days, tier, limb in product(("distal", "femoropopliteal", "iliofemoral", "iliocaval"), (3, 18, 40),
                                         ("low", "high"), (False, True)):
        r = sdm.run(sdm.make(BASE.rules, location=loc, symptom_days=days, bleeding_tier=tier, limb_threatening=limb,
                             contraindications=("active_bleeding",) if limb else (), lang="es"), BASE)
        texts += r.warnings + r.bleeding.explanation
        for opt in r.options:
            texts += opt.reasons
        for row in grid.rows(r, BASE):
            texts.append(row.horizon_note)
            for c in row.cells:
                texts += c.words + [c.empty_text or "", c.badge, c.certainty or ""] + [p.label for p in c.pictures]
    return sorted({t for t in texts if t})


def test_spanish_readability_of_the_words_built_in_code():
    ts = textstatistics()  # its own instance: the language setting never leaks into the English checks
    ts.set_lang("es")
    filled = _filled("es")
    patient = [t for k, t in filled.items() if not DETAIL.match(k)]
    detail = [t for k, t in filled.items() if DETAIL.match(k)]
    engine = _engine_words_es()
    figures = {}
    for name, texts in (("templates filled with typical values", patient), ("engine words over the grid", engine),
                        ("arithmetic and study details", detail)):
        text = _sentences(texts)
        figures[name] = (ts.fernandez_huerta(text), ts.szigriszt_pazos(text), len(texts))
    for name, (fh, inflesz, n) in figures.items():
        report(f"spanish readability (words built in code): {name}: Fernández-Huerta {fh:.1f}, INFLESZ {inflesz:.1f} "
               f"over {n} strings (limit {MIN_FERNANDEZ_HUERTA:g}, aim 80)")
    assert figures["templates filled with typical values"][0] >= MIN_FERNANDEZ_HUERTA
    assert figures["engine words over the grid"][0] >= MIN_FERNANDEZ_HUERTA
    assert figures["arithmetic and study details"][0] >= MIN_FERNANDEZ_HUERTA - 10
    assert len(patient) > 100 and len(engine) > 100
    hard = ("La administración concomitante de tratamiento farmacomecánico intravascular, conjuntamente con "
            "anticoagulación terapéutica prolongada, disminuyó significativamente la incidencia acumulada.")
    assert ts.fernandez_huerta(hard) < MIN_FERNANDEZ_HUERTA  # the measure can fail


def test_no_spanish_template_picks_an_option():
    prescriptive = re.compile(r"\b(la mejor opción|el mejor tratamiento|le recomendamos|recomendamos|usted debe "
                              r"(elegir|escoger)|debería elegir|la opción correcta|la opción ideal)\b", re.I)
    hits = [t for t in _filled("es").values() if prescriptive.search(t)]
    assert hits == []
    assert prescriptive.search("Le recomendamos la PCDT")


# ---------------------------------------------------------------- the command line


def test_command_line_language(capsys):
    from sdm.outputs import cli

    args = ["--location", "iliofemoral", "--days", "7", "--bleeding", "low"]
    assert cli.main(["scenario", *args]) == 0
    english = capsys.readouterr().out
    assert cli.main(["scenario", *args, "--lang", "es"]) == 0
    spanish = capsys.readouterr().out
    assert "Not a recommendation" in english and "No es una recomendación" in spanish
    assert "de cada 100" in spanish and " in 100" not in spanish
    assert re.findall(r"\d+(?:\.\d+)?", english) == re.findall(r"\d+(?:\.\d+)?", spanish)  # same numbers, same order
    parsed = cli._parser().parse_args(["handout", *args, "--lang", "es", "--out", "es.pdf"])
    assert cli.scenario_from_args(parsed, BASE).lang == "es"
    assert cli.scenario_from_args(cli._parser().parse_args(["handout", *args, "--out", "en.pdf"]), BASE).lang == "en"
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["scenario", *args, "--lang", "fr"])
