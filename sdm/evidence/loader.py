"""Load the evidence files in data/, validate them, and cross-check them.

A problem is reported as file, record and field, so an editor can find it in
one look. The app shows the same message instead of any number.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import safe_yaml
from .models import (
    DISPLAYABLE,
    Content,
    Estimate,
    EvidenceBase,
    Finding,
    Gap,
    Guideline,
    Reference,
    Rules,
    Source,
    Verification,
    Vocabulary,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
MAX_PROBLEMS_SHOWN = 20  # the CLI and the error page list this many, then say how many more there are
_PART_CHARS = 160  # longest file, record or field name in a problem line
_MESSAGE_CHARS = 300

# file name -> (type, is a list of records)
FILES: dict[str, tuple[Any, bool]] = {
    "sources.yaml": (Source, True),
    "references.yaml": (Reference, True),
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
    "references.yaml": "references",
    "estimates.yaml": "estimates",
    "findings.yaml": "findings",
    "gaps.yaml": "gaps",
    "guidelines.yaml": "guidelines",
    "rules.yaml": "rules",
    "vocabulary.yaml": "vocabulary",
    "content.yaml": "content",
}


def one_line(value: object, limit: int) -> str:
    """Text from a data file made safe for one line: no line breaks, control or direction characters, cut to limit."""
    text = str(value)
    if len(text) <= limit and text.isprintable():  # the usual case, without a look at each character
        return text
    text = text[: limit * 2]
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __post_init__(self) -> None:
        # names and messages can quote the file's own text: keep each problem to one readable line
        for name, limit in (("file", _PART_CHARS), ("record", _PART_CHARS), ("field", _PART_CHARS),
                            ("message", _MESSAGE_CHARS)):
            object.__setattr__(self, name, one_line(getattr(self, name), limit))

    def __str__(self) -> str:
        return f"{self.file}: record '{self.record}', field '{self.field}': {self.message}"


class EvidenceError(Exception):
    """One or more problems in the evidence files."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more  # problems found but not spelled out (past the first MAX_PROBLEMS_SHOWN of one file)
        super().__init__("\n".join(self.lines()))

    def shown(self) -> tuple[list[Problem], int]:
        """The problems to list, and how many more there are."""
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        return shown, len(self.problems) - len(shown) + self.more

    def lines(self) -> list[str]:
        shown, more = self.shown()
        return [str(p) for p in shown] + ([f"... and {more:,} more problems"] if more else [])


def data_dir() -> Path:
    """The evidence folder: SDM_DATA_DIR when set (and not empty), otherwise data/ in this project."""
    return Path(os.environ.get("SDM_DATA_DIR") or DEFAULT_DATA_DIR)


def _read_yaml(path: Path, budget: safe_yaml.Budget | None = None) -> Any:
    """One YAML file through the safe reader; any problem becomes an EvidenceError naming file, record and field."""
    name = path.name
    try:
        return safe_yaml.load_file(path, budget)
    except safe_yaml.ReadError as exc:
        raise EvidenceError([_read_problem(name, exc)]) from None


def _read_problem(name: str, exc: safe_yaml.ReadError) -> Problem:
    message = f"line {exc.line}: {exc.message}" if exc.line else exc.message
    if not exc.path:
        if exc.line and exc.field in ("(syntax)", "(text)"):  # only the line is known: it names the place
            return Problem(name, f"line {exc.line}", exc.field, exc.message)
        return Problem(name, exc.field, exc.field, message)
    first, rest = exc.path[0], exc.path[1:]
    if isinstance(first, int):
        record = record_name({"id": exc.record_id} if exc.record_id else None, first)
        field = ".".join(str(p) for p in rest) or "(record)"
    else:
        record, field = "(whole file)", ".".join(str(p) for p in exc.path)
    return Problem(name, record, field, message)


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


def read_records(path: Path, budget: safe_yaml.Budget | None = None) -> list[Any]:
    """A YAML file that must hold a list of records; EvidenceError names the file otherwise."""
    raw = _read_yaml(path, budget)
    if not isinstance(raw, list):
        raise EvidenceError([Problem(path.name, "(whole file)", "(file)", _wrong_top(raw, "a list of records"))])
    return raw


def _wrong_top(raw: Any, expected: str) -> str:
    if raw is None:
        return f"the file is empty; expected {expected}"
    return f"expected {expected}, found {'a mapping' if isinstance(raw, dict) else type(raw).__name__}"


def _problems_from(name: str, raw: Any, error: ValidationError, is_list: bool,
                   limit: int | None = None) -> list[Problem]:
    """Problems for pydantic's errors, the first `limit` of them (a file of junk can have tens of thousands)."""
    problems = []
    for err in error.errors(include_url=False, include_input=False)[:limit]:
        loc = list(err["loc"])
        index = loc.pop(0) if is_list and loc and isinstance(loc[0], int) else None
        field = ".".join(str(part) for part in loc) or "(record)"
        message = err["msg"]
        problems.append(Problem(name, _record_name(raw, index), field, message))
    return problems


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    model, is_list = FILES[name]
    return TypeAdapter(list[model] if is_list else model)


def _validate_file(path: Path, budget: safe_yaml.Budget | None = None) -> tuple[str, Any]:
    name = path.name
    is_list = FILES[name][1]
    raw = read_records(path, budget) if is_list else _read_yaml(path, budget)
    if not is_list and not isinstance(raw, dict):
        raise EvidenceError([Problem(name, "(whole file)", "(file)", _wrong_top(raw, "a mapping of settings"))])
    try:
        return FIELD_FOR_FILE[name], _adapter(name).validate_python(raw)
    except ValidationError as exc:
        problems = _problems_from(name, raw, exc, is_list, limit=MAX_PROBLEMS_SHOWN)
        raise EvidenceError(problems, more=exc.error_count() - len(problems)) from exc


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
        ("references.yaml", base.references),
        ("estimates.yaml", base.estimates),
        ("findings.yaml", base.findings),
        ("gaps.yaml", base.gaps),
        ("guidelines.yaml", base.guidelines),
    ):
        problems += _duplicates(name, records)
    sources = {s.id: s for s in base.sources}
    outcomes = {o.id for o in base.vocabulary.outcomes}
    goals = {g.id for g in base.vocabulary.goals}
    shown = {Verification.V, Verification.V_derived, Verification.V_sec}
    for e in base.estimates:
        problems += _citable("estimates.yaml", e.id, e.source, sources)
        if e.verification not in shown:
            problems.append(
                Problem("estimates.yaml", e.id, "verification", f"'{e.verification.value}' figures are never stored as numbers")
            )
        if e.outcome not in outcomes:
            problems.append(Problem("estimates.yaml", e.id, "outcome", f"unknown outcome '{e.outcome}'"))
        if e.shown_with is not None and e.shown_with not in outcomes:
            problems.append(Problem("estimates.yaml", e.id, "shown_with", f"unknown outcome '{e.shown_with}'"))
    problems += _reference_problems(base, sources, outcomes, shown)
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
    for f in rules.bleeding.chest_age_over:
        if f not in rules.bleeding.chest_factors:
            problems.append(Problem("rules.yaml", "bleeding", "chest_age_over", f"'{f}' is not one of chest_factors"))
    if set(rules.bleeding.vte_bleed_weights) != set(rules.bleeding.vte_bleed_labels):
        problems.append(Problem("rules.yaml", "bleeding", "vte_bleed_labels", "labels and weights name different factors"))
    for o in base.vocabulary.options:
        for oc in o.outcomes:
            if oc not in outcomes:
                problems.append(Problem("vocabulary.yaml", o.id.value, "outcomes", f"unknown outcome '{oc}'"))
    for gl in base.vocabulary.goals:
        for oc in gl.summary:
            if oc not in outcomes:
                problems.append(Problem("vocabulary.yaml", gl.id, "summary", f"unknown outcome '{oc}'"))
    for oc in base.vocabulary.outcomes:
        for g in oc.goals:
            if g not in goals:
                problems.append(Problem("vocabulary.yaml", oc.id, "goals", f"unknown goal '{g}'"))
    missing = {o.id for o in base.vocabulary.options} - set(base.content.options)
    for m in sorted(missing, key=lambda x: x.value):
        problems.append(Problem("content.yaml", "options", m.value, "no plain-language text for this option"))
    return problems


def _citable(file: str, record: str, source: str, sources: dict) -> list[Problem]:
    """A figure's source must exist and be citable (a DOI or a PMID)."""
    if source not in sources:
        return [Problem(file, record, "source", f"no source with id '{source}'")]
    if not (sources[source].doi or sources[source].pmid):
        return [Problem(file, record, "source", f"source '{source}' has neither DOI nor PMID")]
    return []


def _reference_problems(base: EvidenceBase, sources: dict, outcomes: set, shown: set) -> list[Problem]:
    """Each reference names a citable source and a known outcome, and no two claim the same row at one priority."""
    problems: list[Problem] = []
    claimed: dict[tuple[str, str, int], str] = {}
    for r in base.references:
        problems += _citable("references.yaml", r.id, r.source, sources)
        if r.outcome not in outcomes:
            problems.append(Problem("references.yaml", r.id, "outcome", f"unknown outcome '{r.outcome}'"))
        if r.verification not in shown:
            problems.append(Problem("references.yaml", r.id, "verification", "only V, V-derived or V-sec may be shown"))
        if r.kind == "bleeding_tier" and r.source != base.rules.bleeding.source:
            problems.append(Problem("references.yaml", r.id, "source", "a bleeding_tier reference cites the tier's source"))
        for loc in r.locations:
            key = (r.outcome, loc.value, r.priority)
            if key in claimed:
                problems.append(Problem("references.yaml", r.id, "locations",
                                        f"'{claimed[key]}' is already the reference for {r.outcome} in {loc.value} "
                                        "at this priority"))
            claimed[key] = r.id
    return problems


def load(directory: Path | str | None = None) -> EvidenceBase:
    """Read, validate and cross-check every evidence file; raise EvidenceError on any problem."""
    folder = Path(directory) if directory is not None else data_dir()
    parts: dict[str, Any] = {}
    problems: list[Problem] = []
    more = 0
    budget = safe_yaml.Budget()  # one node budget for the whole folder: validate stays fast on any input
    for name in FILES:
        try:
            key, value = _validate_file(folder / name, budget)
            parts[key] = value
        except EvidenceError as exc:
            problems += exc.problems
            more += exc.more
            if budget.spent:  # the rest cannot be read within the limit: the problem above says so
                break
    if problems:
        raise EvidenceError(problems, more)
    base = EvidenceBase(**parts)
    problems = cross_check(base) + page_file_problems(base, folder)
    if problems:
        raise EvidenceError(problems)
    return base


PAGE_FILE_CHECKS: list[Callable[[EvidenceBase, Path], object]] = []  # filled by sdm.teaching (a higher layer)


def page_file_check(read: Callable[[EvidenceBase, Path], object]) -> Callable[[EvidenceBase, Path], object]:
    """Register a reader of a page's own files, run by `load` with the rest; the teaching layer registers
    its readers on import (sdm/__init__ imports it), so this layer never imports upward."""
    PAGE_FILE_CHECKS.append(read)
    return read


def page_file_problems(base: EvidenceBase, folder: Path) -> list[Problem]:
    """The teaching and methods pages' own files (vignettes, prompts, IPDAS checklist), read and checked with
    the rest, so `validate` and the app's error page catch what would otherwise stop those pages."""
    problems: list[Problem] = []
    for read in PAGE_FILE_CHECKS:
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
