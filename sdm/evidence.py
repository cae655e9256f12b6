"""Load the evidence files in data/, validate them, and cross-check them.

A problem is reported as file, record and field, so an editor can find it in
one look. The app shows the same message instead of any number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .models import (
    DISPLAYABLE,
    Content,
    Estimate,
    EvidenceBase,
    Finding,
    Gap,
    Guideline,
    Rules,
    Source,
    Verification,
    Vocabulary,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# file name -> (type, is a list of records)
FILES: dict[str, tuple[Any, bool]] = {
    "sources.yaml": (Source, True),
    "estimates.yaml": (Estimate, True),
    "findings.yaml": (Finding, True),
    "gaps.yaml": (Gap, True),
    "guidelines.yaml": (Guideline, True),
    "rules.yaml": (Rules, False),
    "vocabulary.yaml": (Vocabulary, False),
    "content.yaml": (Content, False),
}
FIELD_FOR_FILE = {
    "sources.yaml": "sources",
    "estimates.yaml": "estimates",
    "findings.yaml": "findings",
    "gaps.yaml": "gaps",
    "guidelines.yaml": "guidelines",
    "rules.yaml": "rules",
    "vocabulary.yaml": "vocabulary",
    "content.yaml": "content",
}


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: record '{self.record}', field '{self.field}': {self.message}"


class EvidenceError(Exception):
    """One or more problems in the evidence files."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def data_dir() -> Path:
    return Path(os.environ.get("SDM_DATA_DIR", DEFAULT_DATA_DIR))


def _read_yaml(path: Path) -> Any:
    name = path.name
    try:
        if not path.is_file():
            raise EvidenceError([Problem(name, "(file)", "(file)", f"file is missing from {path.parent}")])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # unreadable, or a path the system refuses (too long, a folder)
        raise EvidenceError([Problem(name, "(file)", "(file)", f"file cannot be read: {exc.strerror or exc}")]) from exc
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where is not None else "(unknown line)"
        raise EvidenceError([Problem(name, line, "(syntax)", f"not valid YAML: {exc}".splitlines()[0])]) from exc


def record_name(item: Any, index: int) -> str:
    """How a problem names a record: its id where it has one, and its place in the file."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{item['id']} (item {index + 1})"
    return f"item {index + 1}"


def _record_name(raw: Any, index: int | None) -> str:
    if index is None:
        return "(whole file)"
    return record_name(raw[index] if isinstance(raw, list) and index < len(raw) else None, index)


def record_problems(name: str, item: Any, index: int, error: ValidationError) -> list[Problem]:
    """Problems for one record of a list file that failed validation, field by field."""
    return [Problem(name, record_name(item, index), ".".join(str(p) for p in e["loc"]) or "(record)", e["msg"])
            for e in error.errors()]


def read_records(path: Path) -> list[Any]:
    """A YAML file that must hold a list of records; EvidenceError names the file otherwise."""
    raw = _read_yaml(path)
    if not isinstance(raw, list):
        raise EvidenceError([Problem(path.name, "(whole file)", "(file)", "expected a list of records")])
    return raw


def _problems_from(name: str, raw: Any, error: ValidationError, is_list: bool) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = list(err["loc"])
        index = loc.pop(0) if is_list and loc and isinstance(loc[0], int) else None
        field = ".".join(str(part) for part in loc) or "(record)"
        message = err["msg"]
        problems.append(Problem(name, _record_name(raw, index), field, message))
    return problems


def _validate_file(path: Path) -> tuple[str, Any]:
    name = path.name
    model, is_list = FILES[name]
    raw = read_records(path) if is_list else _read_yaml(path)
    if not is_list and not isinstance(raw, dict):
        raise EvidenceError([Problem(name, "(whole file)", "(file)", "expected a mapping of settings")])
    adapter: TypeAdapter[Any] = TypeAdapter(list[model] if is_list else model)
    try:
        return FIELD_FOR_FILE[name], adapter.validate_python(raw)
    except ValidationError as exc:
        raise EvidenceError(_problems_from(name, raw, exc, is_list)) from exc


def _duplicates(name: str, records: list[BaseModel]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for rec in records:
        rid = rec.id  # type: ignore[attr-defined]
        if rid in seen:
            out.append(Problem(name, rid, "id", "this id is used twice"))
        seen.add(rid)
    return out


def cross_check(base: EvidenceBase) -> list[Problem]:
    """References between files, and the display rules for verification marks."""
    problems: list[Problem] = []
    for name, records in (
        ("sources.yaml", base.sources),
        ("estimates.yaml", base.estimates),
        ("findings.yaml", base.findings),
        ("gaps.yaml", base.gaps),
        ("guidelines.yaml", base.guidelines),
    ):
        problems += _duplicates(name, records)
    sources = {s.id: s for s in base.sources}
    estimates = {e.id: e for e in base.estimates}
    outcomes = {o.id for o in base.vocabulary.outcomes}
    goals = {g.id for g in base.vocabulary.goals}
    shown = {Verification.V, Verification.V_derived, Verification.V_sec}
    for e in base.estimates:
        if e.source not in sources:
            problems.append(Problem("estimates.yaml", e.id, "source", f"no source with id '{e.source}'"))
        elif not (sources[e.source].doi or sources[e.source].pmid):
            problems.append(Problem("estimates.yaml", e.id, "source", f"source '{e.source}' has neither DOI nor PMID"))
        if e.verification not in shown:
            problems.append(
                Problem("estimates.yaml", e.id, "verification", f"'{e.verification.value}' figures are never stored as numbers")
            )
        if e.outcome not in outcomes:
            problems.append(Problem("estimates.yaml", e.id, "outcome", f"unknown outcome '{e.outcome}'"))
        if e.baseline.startswith("estimate:"):
            ref = estimates.get(e.baseline.split(":", 1)[1])
            if ref is None or ref.comparator is None:
                problems.append(Problem("estimates.yaml", e.id, "baseline", "refers to no estimate with a comparator arm"))
    for f in base.findings:
        if f.source not in sources:
            problems.append(Problem("findings.yaml", f.id, "source", f"no source with id '{f.source}'"))
        if f.outcome not in outcomes:
            problems.append(Problem("findings.yaml", f.id, "outcome", f"unknown outcome '{f.outcome}'"))
        if f.verification not in DISPLAYABLE:
            problems.append(Problem("findings.yaml", f.id, "verification", "only V, V-derived or V-sec may be shown"))
    for g in base.gaps:
        for o in g.outcomes:
            if o not in outcomes:
                problems.append(Problem("gaps.yaml", g.id, "outcomes", f"unknown outcome '{o}'"))
        for s in g.sources:
            if s not in sources:
                problems.append(Problem("gaps.yaml", g.id, "sources", f"no source with id '{s}'"))
    for gl in base.guidelines:
        if gl.verification not in DISPLAYABLE:
            problems.append(Problem("guidelines.yaml", gl.id, "verification", "only V, V-derived or V-sec may be shown"))
    for s in base.sources:
        if s.verification not in DISPLAYABLE:
            problems.append(Problem("sources.yaml", s.id, "verification", "only V, V-derived or V-sec sources may be used"))
    rules = base.rules
    if rules.bleeding.verification not in DISPLAYABLE:
        problems.append(Problem("rules.yaml", "bleeding", "verification", "bleeding-tier figures must be V, V-derived or V-sec"))
    for sid, field in ((rules.bleeding.source, "bleeding.source"), (rules.bleeding.vte_bleed_source, "bleeding.vte_bleed_source")):
        if sid not in sources:
            problems.append(Problem("rules.yaml", "bleeding", field, f"no source with id '{sid}'"))
    if set(rules.bleeding.vte_bleed_weights) != set(rules.bleeding.vte_bleed_labels):
        problems.append(Problem("rules.yaml", "bleeding", "vte_bleed_labels", "labels and weights name different factors"))
    for o in base.vocabulary.options:
        for oc in o.outcomes:
            if oc not in outcomes:
                problems.append(Problem("vocabulary.yaml", o.id.value, "outcomes", f"unknown outcome '{oc}'"))
    for oc in base.vocabulary.outcomes:
        for g in oc.goals:
            if g not in goals:
                problems.append(Problem("vocabulary.yaml", oc.id, "goals", f"unknown goal '{g}'"))
    missing = {o.id for o in base.vocabulary.options} - set(base.content.options)
    for m in sorted(missing, key=lambda x: x.value):
        problems.append(Problem("content.yaml", "options", m.value, "no plain-language text for this option"))
    return problems


def load(directory: Path | str | None = None) -> EvidenceBase:
    """Read, validate and cross-check every evidence file; raise EvidenceError on any problem."""
    folder = Path(directory) if directory is not None else data_dir()
    parts: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in FILES:
        try:
            key, value = _validate_file(folder / name)
            parts[key] = value
        except EvidenceError as exc:
            problems += exc.problems
    if problems:
        raise EvidenceError(problems)
    base = EvidenceBase(**parts)
    problems = cross_check(base) + page_file_problems(base, folder)
    if problems:
        raise EvidenceError(problems)
    return base


def page_file_problems(base: EvidenceBase, folder: Path) -> list[Problem]:
    """The teaching and methods pages' own files (vignettes, prompts, IPDAS checklist), read and checked with
    the rest, so `validate` and the app's error page catch what would otherwise stop those pages."""
    from . import methods, teaching  # both import this module

    problems: list[Problem] = []
    for read in (teaching.load_vignettes, teaching.discussion_prompts, methods.ipdas_table):
        try:
            read(base, folder)
        except EvidenceError as exc:
            problems += exc.problems
    return problems


@lru_cache(maxsize=4)
def _cached(folder: str) -> EvidenceBase:
    return load(folder)


def default() -> EvidenceBase:
    """The evidence base from the data folder, loaded once per process."""
    return _cached(str(data_dir()))


def is_stale(base: EvidenceBase, today: date | None = None) -> bool:
    today = today or date.today()
    return (today - base.rules.evidence_date).days > base.rules.review_every_days
