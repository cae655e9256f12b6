"""Number parity: over the teaching grid, Spanish and English show the same numbers in the same places.

For each of the 96 scenarios (4 locations x days 3, 10, 18, 40 x 3 bleeding tiers x limb threat on or off),
the engine's result, the comparison grid's rows and its HTML (the pictures), the summary and its HTML, and the
question table are built in both languages from the same English evidence base. Every text is reduced to the
sequence of numbers written in it, in order; every other value (risks, counts, ids, statuses) must be equal;
the HTML is reduced to its tags, the numbers in their attributes (the icon arrays' counts, the pictures' alt
text) and the numbers in the text between them. The check is shown to fail on a Spanish template whose fields
were swapped (the catalogue check cannot see that) and on one changed number.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from itertools import product

import yaml
from pydantic import BaseModel

import sdm
from sdm.present import grid, html_views, summary, summary_html, tables
from sdm.words import i18n
from tests.safety_plugin import report

BASE = sdm.default()
GRID = [dict(location=loc, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
        for loc, d, t, limb in product(("distal", "femoropopliteal", "iliofemoral", "iliocaval"), (3, 10, 18, 40),
                                       ("low", "moderate", "high"), (False, True))]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")  # 1,000 or 11.086: a thousands separator
LANGUAGE_ONLY = {"lang"}  # fields that say which language the words are in


@cache
def numbers(text: str) -> tuple[str, ...]:
    """The numbers written in a text, in order ("1,000" and "1000" are the same number)."""
    out = []
    for token in _NUMBER.findall(text):
        out.append(token.replace(",", "").replace(".", "") if _GROUPED.fullmatch(token) else token.replace(",", "."))
    return tuple(out)


def skeleton(value):
    """Every value that is not text, and each text as the sequence of its numbers, in the same place."""
    if isinstance(value, str):
        return ("text", numbers(value))
    if isinstance(value, BaseModel):
        return skeleton(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: skeleton(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in LANGUAGE_ONLY}
    if isinstance(value, dict):
        return {k: skeleton(v) for k, v in value.items() if k not in LANGUAGE_ONLY}
    if isinstance(value, list | tuple):
        return [skeleton(v) for v in value]
    return value


class _Numbers(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.style = False

    def handle_starttag(self, tag, attrs):
        self.style = tag == "style"
        self.events.append(("<", tag, tuple((k, numbers(v or "")) for k, v in attrs if k != "lang")))

    def handle_endtag(self, tag):
        self.style = False
        self.events.append((">", tag))

    def handle_data(self, data):
        found = numbers(data)
        if found:  # the style sheet is compared too, but its numbers are not counted as figures
            self.events.append(("css" if self.style else "text", found))


def html_skeleton(html: str) -> list[tuple]:
    parser = _Numbers()
    parser.feed(html)
    parser.close()
    return parser.events


def _result(fields: dict, lang: str):
    return sdm.run(sdm.make(BASE.rules, **fields, lang=lang), BASE)


def places(fields: dict, lang: str) -> dict[str, object]:
    """Everything compared for one scenario in one language, by place (the glossary in the same language)."""
    r = _result(fields, lang)
    glossary = sdm.engine.compute.localised(BASE, lang).content.glossary
    dump = r.model_dump(mode="json")
    dump["scenario"].pop("lang")
    out: dict[str, object] = {"engine result": skeleton(dump)}
    for per in (100, 1000):
        rows = grid.rows(r, BASE, per)
        out[f"grid rows per {per}"] = skeleton(rows)
        out[f"pictures (grid HTML) per {per}"] = html_skeleton(html_views.grid_html(rows, per, glossary))
    built = summary.build(r, BASE)
    out["summary"] = skeleton(built)
    out["summary HTML"] = html_skeleton(summary_html.summary_html(built, glossary))
    out["summary folded"] = skeleton(summary.folded_elsewhere(r, BASE, built))
    questions = tables.option_grid(r, BASE)
    out["question table"] = [skeleton(list(q.values())) for q in questions]
    out["question table HTML"] = html_skeleton(html_views.questions_html(questions))
    return out


def count(value) -> int:
    """How many numbers a skeleton holds: numbers in texts, and numeric values (not the HTML's attributes)."""
    if isinstance(value, tuple) and value and value[0] == "text":
        return len(value[1])
    if isinstance(value, dict):
        return sum(count(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(count(v) for v in value)
    return int(isinstance(value, int | float) and not isinstance(value, bool))


def differences(en: dict, es: dict) -> list[str]:
    return [place for place in en if en[place] != es[place]]


def test_spanish_and_english_show_the_same_numbers_in_the_same_places_over_the_teaching_grid():
    compared, differing, figures = 0, [], 0
    for fields in GRID:
        en, es = places(fields, "en"), places(fields, "es")
        assert en.keys() == es.keys()
        differing += [(fields, p) for p in differences(en, es)]
        figures += count(list(en.values()))
        compared += 1
    report(f"number parity (engine, pictures, summary): {compared} scenarios, {len(differing)} differences")
    report(f"number parity: per scenario {len(en)} places compared (engine result; grid rows and pictures per 100 "
           f"and per 1,000; summary and its HTML; question table), {figures:,} numbers compared in all")
    assert compared == 96
    assert differing == []


def test_the_words_really_are_spanish():
    """The parity above would pass trivially if both sides were English."""
    fields = GRID[40]
    en, es = _result(fields, "en"), _result(fields, "es")
    html_en = summary_html.summary_html(summary.build(en, BASE), BASE.content.glossary)
    html_es = summary_html.summary_html(summary.build(es, BASE), sdm.engine.compute.localised(BASE, "es").content.glossary)
    assert '<abbr title="Síndrome postrombótico.' in html_es
    assert 'lang="es"' in html_es and " de cada 100" in html_es and " in 100" not in html_es
    assert " in 100" in html_en
    assert html_skeleton(html_en) == html_skeleton(html_es)


def test_number_parity_fails_on_swapped_fields_and_on_a_changed_number(tmp_path, monkeypatch):
    fields = dict(location="iliofemoral", symptom_days=7, bleeding_tier="low")
    en = places(fields, "en")
    assert differences(en, places(fields, "es")) == []
    # a Spanish template with its fields swapped: same fields, same digits, so the catalogue check passes
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    path = folder / "es" / "wording.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["frames"] = "{rest} de cada {n} personas {event}; {k} {no_event}."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert i18n.problems(folder) == []
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    swapped = differences(en, places(fields, "es"))
    assert {"grid rows per 100", "pictures (grid HTML) per 100", "summary HTML"} <= set(swapped), swapped
    monkeypatch.undo()
    # one number changed in one text
    es = places(fields, "es")
    words = es["grid rows per 100"][0]["cells"][1]["words"]
    words[0] = ("text", tuple(str(int(n) + 1) for n in words[0][1]))
    assert differences(en, es) == ["grid rows per 100"]
    report(f"number parity can fail: swapped fields in one Spanish template change {len(swapped)} of {len(en)} "
           "places; one changed number is found")
