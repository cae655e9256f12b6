"""Catalogues of the patient-facing words built in code, one per language, and locale formatting.

`data/locales/<lang>/<area>.yaml` maps keys to templates: `t("grid.against", n=...)` reads the key
`against` of `data/locales/<lang>/grid.yaml`. Templates use `{name}` fields (str.format); a field is
filled from engine values, so a translation can change words, never a number: every key has the
same fields in every language, and the literal digits of a template are the same in every language.
Numbers and dates are formatted by Babel for the language's US locale (the readers are in the US).

The evidence files' own text is translated by sdm.translate; this module holds the sentences the
engine, the pictures, the pages and the handout put together around it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from ..evidence.loader import EvidenceError, Problem
from ..evidence.safe_yaml import ReadError, load_file

LOCALES_DIR = Path(__file__).resolve().parents[2] / "data" / "locales"
LANGUAGES = ("en", "es")
DEFAULT = "en"
BABEL_LOCALE = {"en": "en_US", "es": "es_US"}
HTML_LANG = {"en": "en", "es": "es"}
_DIGITS = re.compile(r"[0-9]+")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def digits(template: str) -> list[str]:
    """Literal numbers in a template (outside its {fields}), sorted: they must be the same in every language."""
    literal = "".join(text for text, *_ in string.Formatter().parse(template))
    return sorted(_DIGITS.findall(literal))


@dataclass(frozen=True)
class Catalogue:
    lang: str
    entries: dict[str, str]

    def t(self, key: str, **values) -> str:
        """The template for `key`, filled with `values`; a missing key is a programming error (KeyError)."""
        template = self.entries[key]
        return template.format(**values) if values else template

    def number(self, value: float, decimals: int = 0) -> str:
        return _number(self.lang, value, decimals)

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=BABEL_LOCALE[self.lang])

    def join(self, items: list[str]) -> str:
        """'a and b', 'a y b': a list in the language's own words (Babel)."""
        return format_list(list(items), locale=BABEL_LOCALE[self.lang]) if items else ""


@lru_cache(maxsize=4096)
def _number(lang: str, value: float, decimals: int) -> str:
    """Babel's formatting, cached: the same few counts (7, 93, 100, 1,000) are formatted many times a page."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE[lang])


def _flatten(prefix: str, data, out: dict[str, str], problems: list[Problem], file: str) -> None:
    if isinstance(data, dict):
        for k, v in data.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out, problems, file)
    elif isinstance(data, str):
        out[prefix] = data
    else:
        problems.append(Problem(file, prefix or "(file)", "(value)", "a catalogue entry must be text or a mapping"))


def _read(lang: str, directory: Path) -> tuple[dict[str, str], list[Problem]]:
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    folder = directory / lang
    for path in sorted(folder.glob("*.yaml")):
        name = f"locales/{lang}/{path.name}"
        try:
            data = load_file(path)
        except ReadError as exc:
            problems.append(Problem(name, "(file)", exc.field, str(exc)))
            continue
        _flatten(path.stem, data, entries, problems, name)
    return entries, problems


def problems(directory: Path | None = None) -> list[Problem]:
    """Keys missing or extra in a language, fields or digits that differ, templates that do not parse."""
    directory = directory or LOCALES_DIR
    english, found = _read(DEFAULT, directory)
    for lang in LANGUAGES[1:]:
        other, more = _read(lang, directory)
        found += more
        for key in sorted(set(english) - set(other)):
            found.append(Problem(f"locales/{lang}", key, "(key)", "missing: the English catalogue has it"))
        for key in sorted(set(other) - set(english)):
            found.append(Problem(f"locales/{lang}", key, "(key)", "extra: the English catalogue does not have it"))
        for key in sorted(set(english) & set(other)):
            try:
                if fields(english[key]) != fields(other[key]):
                    found.append(Problem(f"locales/{lang}", key, "(fields)",
                                         f"fields {sorted(fields(other[key]))} differ from English "
                                         f"{sorted(fields(english[key]))}"))
                elif digits(english[key]) != digits(other[key]):
                    found.append(Problem(f"locales/{lang}", key, "(numbers)", "a translation may not change a number"))
            except ValueError as exc:
                found.append(Problem(f"locales/{lang}", key, "(template)", str(exc)))
    return found


@lru_cache(maxsize=8)
def _catalogue(lang: str, folder: str) -> Catalogue:
    found = problems(Path(folder))
    if found:
        raise EvidenceError(found)
    entries, _ = _read(lang, Path(folder))
    return Catalogue(lang=lang, entries=entries)


# lang -> (LOCALES_DIR, its catalogue): the engine asks thousands of times a run. A test that points
# LOCALES_DIR elsewhere (monkeypatch) is a different folder object, so it misses and reads its own.
_DEFAULT_FOLDER: dict[str, tuple[Path, Catalogue]] = {}


def catalogue(lang: str = DEFAULT, directory: Path | None = None) -> Catalogue:
    """The catalogue for `lang` ("en" or "es"), checked against English once per process."""
    if directory is None:
        hit = _DEFAULT_FOLDER.get(lang)
        if hit is not None and hit[0] is LOCALES_DIR:
            return hit[1]
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
    found = _catalogue(lang, str(directory or LOCALES_DIR))
    if directory is None:
        _DEFAULT_FOLDER[lang] = (LOCALES_DIR, found)
    return found
