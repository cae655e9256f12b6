"""The evidence files in another language: overlays that carry words, never numbers.

`data/<lang>/<file>.yaml` has the same name as its English file in data/ and holds only the
translatable text fields, keyed like the English file:
- list files (sources, references, estimates, findings, gaps, guidelines): a list of
  `{id: ..., <field>: "texto"}`, one per English record;
- mapping files (content, vocabulary, rules): the same nesting as the English file, text leaves
  only; records inside them are matched by their id (`tier` for the bleeding tiers), the urgent
  signs and questions by their place, and glossary entries by their English term, with the term
  itself translated: `PTS: {term: SPT, text: "..."}`.

Every id, number, DOI, enum and other field comes from the English evidence base. An overlay
field that is not on the list below, an unknown or missing id, a missing text, or a text whose
numbers differ from its English text is an error that names file, record and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .loader import FIELD_FOR_FILE, EvidenceError, Problem, data_dir
from .models import EvidenceBase
from .overlay_spec import (
    _GROUPED as _GROUPED,
)
from .overlay_spec import (
    _NUMBER as _NUMBER,
)
from .overlay_spec import (
    ENGLISH as ENGLISH,
)
from .overlay_spec import (
    LANGUAGES as LANGUAGES,
)
from .overlay_spec import (
    POPULATION as POPULATION,
)
from .overlay_spec import (
    SPEC as SPEC,
)
from .overlay_spec import (
    TEXT as TEXT,
)
from .overlay_spec import (
    Each as Each,
)
from .overlay_spec import (
    Items as Items,
)
from .overlay_spec import (
    Records as Records,
)
from .overlay_spec import (
    Terms as Terms,
)
from .overlay_spec import (
    _numbers_said as _numbers_said,
)
from .overlay_spec import (
    _order as _order,
)
from .overlay_spec import (
    numbers as numbers,
)

# ---------------------------------------------------------------- merging an overlay into the English text

_MISSING = object()


@dataclass
class Issue:
    kind: str  # "missing", "extra", "not_translatable", "numbers", "invalid"
    problem: Problem


@dataclass
class Merge:
    """One overlay folder merged into the English evidence base: the merged data, and what was wrong."""

    lang: str
    data: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    texts: list[tuple[str, str, str, str]] = field(default_factory=list)  # (file, place, English, translation)
    pending: dict[str, str] = field(default_factory=dict)  # "content.yaml:about.translation_note" -> text

    def count(self, kind: str) -> int:
        return sum(1 for i in self.issues if i.kind == kind)


class _Walker:
    def __init__(self, merge: Merge, file: str, english_file: str):
        self.m = merge
        self.file = file
        self.english_file = english_file

    def issue(self, kind: str, record: str, path: list[str], message: str) -> None:
        self.m.issues.append(Issue(kind, Problem(self.file, record, ".".join(path) or "(text)", message)))

    def walk(self, spec: Any, en: Any, tr: Any, record: str, path: list[str]) -> Any:
        if spec == TEXT:
            return self.text(en, tr, record, path)
        if isinstance(spec, dict):
            return self.fixed(spec, en, tr, record, path)
        if isinstance(spec, Records):
            return self.records(spec, en, tr, record, path)
        if isinstance(spec, Each):
            return self.each(spec, en, tr, record, path)
        if isinstance(spec, Items):
            return self.items(en, tr, record, path)
        if isinstance(spec, Terms):
            return self.terms(en, tr, record, path)
        raise TypeError(f"unknown spec {spec!r}")

    def text(self, en: Any, tr: Any, record: str, path: list[str]) -> Any:
        if en is None or en == "":
            if tr is not _MISSING:
                self.issue("extra", record, path, "the English file has no text here, so there is nothing to translate")
            return en
        if tr is _MISSING:
            self.issue("missing", record, path, "no translation for this English text")
            return en
        if not isinstance(tr, str) or not tr.strip():
            self.issue("invalid", record, path, "a translation must be text")
            return en
        if numbers(tr) != numbers(en):
            self.issue("numbers", record, path, f"the numbers differ from the English text (English: "
                       f"{_numbers_said(numbers(en))}; this text: {_numbers_said(numbers(tr))})")
        self.m.texts.append((self.file, f"{record}/{'.'.join(path)}", en, tr))
        return tr

    def mapping(self, tr: Any, record: str, path: list[str]) -> dict | None:
        if tr is _MISSING:
            return {}
        if not isinstance(tr, dict):
            self.issue("invalid", record, path, "expected a mapping of fields")
            return None
        return tr

    def fixed(self, spec: dict, en: Any, tr: Any, record: str, path: list[str]) -> Any:
        if en is None:  # an optional group the English record does not have (a population)
            if tr is not _MISSING:
                self.issue("extra", record, path, "the English file has no such field here")
            return en
        given = self.mapping(tr, record, path)
        if given is None:
            return en
        for key in given:
            if key not in spec:
                self.issue("not_translatable", record, [*path, str(key)],
                           "not a translatable field: it comes only from the English file")
        out = dict(en)
        for key, sub in spec.items():
            out[key] = self.walk(sub, en.get(key), given.get(key, _MISSING), record, [*path, key])
        return out

    def each(self, spec: Each, en: dict, tr: Any, record: str, path: list[str]) -> Any:
        given = self.mapping(tr, record, path)
        if given is None:
            return en
        for key in given:
            if key in en:
                continue
            if key in spec.pending and spec.value == TEXT:
                if isinstance(given[key], str) and given[key].strip():
                    self.m.pending[f"{self.english_file}:{'.'.join(p for p in [record, *path, str(key)] if p)}"] = given[key]
                    self.m.texts.append((self.file, f"{record}/{'.'.join([*path, str(key)])}", "", given[key]))
                else:
                    self.issue("invalid", record, [*path, str(key)], "a translation must be text")
                continue
            self.issue("extra", record, [*path, str(key)], "the English file has no such key")
        return {key: self.walk(spec.value, value, given.get(key, _MISSING), record, [*path, str(key)])
                for key, value in en.items()}

    def items(self, en: list, tr: Any, record: str, path: list[str]) -> Any:
        if tr is _MISSING:
            tr = []
        if not isinstance(tr, list):
            self.issue("invalid", record, path, "expected a list of texts")
            return en
        for i in range(len(en), len(tr)):
            self.issue("extra", record, [*path, str(i + 1)], f"the English file has only {len(en)} items")
        return [self.walk(TEXT, value, tr[i] if i < len(tr) else _MISSING, record, [*path, str(i + 1)])
                for i, value in enumerate(en)]

    def terms(self, en: dict, tr: Any, record: str, path: list[str]) -> Any:
        given = self.mapping(tr, record, path)
        if given is None:
            return en
        for key in given:
            if key not in en:
                self.issue("extra", record, [*path, str(key)], "the English glossary has no such term")
        out: dict[str, str] = {}
        for term, meaning in en.items():
            entry = given.get(term, _MISSING)
            where = [*path, term]
            if entry is _MISSING:
                self.issue("missing", record, where, "no translation for this glossary term")
                out[term] = meaning
                continue
            if not isinstance(entry, dict) or set(entry) != {"term", "text"}:
                self.issue("invalid", record, where, "expected {term: ..., text: ...}")
                out[term] = meaning
                continue
            new_term = self.walk(TEXT, term, entry["term"], record, [*where, "term"])
            new_text = self.walk(TEXT, meaning, entry["text"], record, [*where, "text"])
            if new_term in out:
                self.issue("invalid", record, [*where, "term"], f"the term '{new_term}' is used twice")
            out[new_term] = new_text
        return out

    def records(self, spec: Records, en: list, tr: Any, record: str, path: list[str]) -> Any:
        if tr is _MISSING:
            tr = []
        if not isinstance(tr, list):
            self.issue("invalid", record, path, "expected a list of records")
            return en
        given: dict[str, dict] = {}
        whole = path or ["(record)"]  # a problem with a whole record, not one of its fields
        for i, item in enumerate(tr):
            if not isinstance(item, dict) or not isinstance(item.get(spec.key), str):
                self.issue("invalid", _name(record, f"item {i + 1}"), whole, f"each record needs its '{spec.key}'")
                continue
            rid = item[spec.key]
            if rid in given:
                self.issue("extra", _name(record, rid), whole, f"the {spec.key} '{rid}' is used twice")
            given[rid] = {k: v for k, v in item.items() if k != spec.key}
        known = {str(rec[spec.key]) for rec in en}
        for rid in given:
            if rid not in known:
                self.issue("extra", _name(record, rid), whole, f"no English record with {spec.key} '{rid}'")
        out = []
        for rec in en:
            rid = str(rec[spec.key])
            name = _name(record, rid)
            if rid not in given:
                if _has_text(spec.fields, rec):
                    self.issue("missing", name, whole, f"no translated record for {spec.key} '{rid}'")
                out.append(rec)
                continue
            out.append(self.fixed(spec.fields, rec, given[rid], name, path))
        return out


def _name(outer: str, rid: str) -> str:
    return rid if outer == "" else f"{outer}: {rid}"


def _has_text(spec: Any, en: Any) -> bool:
    if spec == TEXT:
        return isinstance(en, str) and en != ""
    if isinstance(spec, dict):
        return isinstance(en, dict) and any(_has_text(sub, en.get(k)) for k, sub in spec.items())
    return bool(en)


def overlay_dir(lang: str, directory: Path | str | None = None) -> Path:
    return Path(directory) if directory is not None else data_dir() / lang


def _read(path: Path, label: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvidenceError([Problem(label, "(file)", "(file)", f"file cannot be read: {exc.strerror or exc}")]) from exc
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where is not None else "(unknown line)"
        raise EvidenceError([Problem(label, line, "(syntax)", f"not valid YAML: {exc}".splitlines()[0])]) from exc


def merge(base: EvidenceBase, lang: str, directory: Path | str | None = None) -> Merge:
    """Merge the overlay folder for `lang` into the English evidence base, collecting every problem."""
    folder = overlay_dir(lang, directory)
    english = base.model_dump(mode="json")
    result = Merge(lang=lang, data=english)
    if not folder.is_dir():
        result.issues.append(Issue("missing", Problem(f"{lang}/", "(folder)", "(folder)", f"no folder {folder}")))
        return result
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.name not in SPEC:
            result.issues.append(Issue("extra", Problem(f"{lang}/{path.name}", "(file)", "(file)",
                                                        "not one of the evidence files")))
    merged = dict(english)
    for name, spec in SPEC.items():
        label = f"{lang}/{name}"
        key = FIELD_FOR_FILE[name]
        walker = _Walker(result, label, name)
        path = folder / name
        if not path.is_file():
            result.issues.append(Issue("missing", Problem(label, "(file)", "(file)", f"file is missing from {folder}")))
            continue
        try:
            raw = _read(path, label)
        except EvidenceError as exc:
            result.issues += [Issue("invalid", p) for p in exc.problems]
            continue
        if isinstance(spec, Records):
            merged[key] = walker.records(spec, english[key], raw if raw is not None else [], "", [])
        else:
            if not isinstance(raw, dict):
                result.issues.append(Issue("invalid", Problem(label, "(whole file)", "(file)",
                                                              "expected a mapping like the English file")))
                continue
            for top in raw:
                if top not in spec:
                    result.issues.append(Issue("not_translatable", Problem(
                        label, str(top), "(record)", "not a translatable field: it comes only from the English file")))
            merged[key] = {
                **english[key],
                **{top: walker.walk(sub, english[key].get(top), raw.get(top, _MISSING), top, [])
                   for top, sub in spec.items()},
            }
    result.data = merged
    return result


_CACHE: dict[tuple[int, str, str], tuple[EvidenceBase, EvidenceBase]] = {}


def localise(base: EvidenceBase, lang: str, directory: Path | str | None = None) -> EvidenceBase:
    """The evidence base with its text in `lang`; every number and id stays the English file's.

    "en" returns `base` itself, and so does a base this function already put into `lang` (localising
    twice changes nothing, so a page can hand the localised base to code that localises it again).
    Results are cached per (base, language, folder); the base is frozen.
    Raises EvidenceError naming file, record and field when the overlay does not fit the English files.
    """
    if lang == ENGLISH:
        return base
    if lang not in LANGUAGES:
        raise ValueError(f"no evidence text in language '{lang}' (known: {', '.join(LANGUAGES)})")
    key = (id(base), lang, str(overlay_dir(lang, directory)))
    if any(done is base and k[1:] == key[1:] for k, (_, done) in _CACHE.items()):
        return base
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is base:
        return hit[1]
    result = merge(base, lang, directory)
    if result.issues:
        raise EvidenceError([i.problem for i in result.issues])
    try:
        localised = EvidenceBase.model_validate(result.data)
    except ValidationError as exc:
        raise EvidenceError([Problem(f"{lang}/", ".".join(str(p) for p in e["loc"][:2]) or "(record)",
                                     ".".join(str(p) for p in e["loc"][2:]) or "(field)", e["msg"])
                             for e in exc.errors()]) from exc
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (base, localised)
    return localised


def pending(lang: str, base: EvidenceBase, directory: Path | str | None = None) -> dict[str, str]:
    """Translated texts whose English field does not exist yet, e.g. 'content.yaml:about.translation_note'."""
    if lang == ENGLISH:
        return {}
    return merge(base, lang, directory).pending
