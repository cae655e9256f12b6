"""Teaching mode: case vignettes, a sensitivity grid, scenario diffs, a
guess-first exercise and discussion prompts.

Pure Python (no Streamlit). Every figure a learner sees comes from the engine
run on the evidence in data/; this module only arranges and compares it. It
never ranks options, adds outcomes into a score or names a best option: the
only thing scored here is how close a learner's guesses came to the
engine's figures.

Every comparison here uses the row's one blood-thinners-alone reference
(`Result.reference`): the side-by-side tables show it next to each option,
the "what changed" list names it once per row, and guess-first says whether
each answer is a published figure or one worked out from a study's effect
applied to that reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from ..engine.scenario import Scenario, make
from ..evidence import loader as evidence_mod
from ..evidence.models import Doi, EvidenceBase, Frozen, Id, Label, Text, text

VIGNETTES_FILE = "vignettes.yaml"
PROMPTS_FILE = "teaching_prompts.yaml"

# Outcomes shown in the sensitivity grid and offered in the guess-first exercise.
GRID_OUTCOMES = ("major_bleeding", "pts_moderate_severe", "pts_any")
GUESS_OUTCOMES = ("major_bleeding", "pts_moderate_severe")
# Outcomes in the side-by-side tables, each shown with the row's reference.
TABLE_OUTCOMES = ("major_bleeding", "pts_moderate_severe")

# Example inputs for the grid, one in each clot-age window that matters to the
# trials (not clinical figures: the engine applies the windows from data/).
DEFAULT_GRID_DAYS = (3, 10, 18, 40)

# The exercise is told "out of 100 people"; the tolerance is a teaching
# convention for "close", in people per 100.
DENOMINATOR = 100
CLOSE_PER_100 = 5.0



# ----------------------------------------------------------------- vignettes


class TeachingPoint(Frozen):
    text: Text
    evidence: list[Id] = Field(default_factory=list)  # ids in sources.yaml or guidelines.yaml


class Vignette(Frozen):
    id: Id
    title: Label
    story: Text
    teaching_points: list[TeachingPoint] = Field(min_length=2, max_length=3)
    scenario: Scenario


def _read_list(directory: Path | str | None, name: str) -> list[Any]:
    folder = Path(directory) if directory is not None else evidence_mod.data_dir()
    return evidence_mod.read_records(folder / name)


def _known_ids(base: EvidenceBase) -> set[str]:
    return {s.id for s in base.sources} | {g.id for g in base.guidelines}


def load_vignettes(base: EvidenceBase | None = None, directory: Path | str | None = None) -> list[Vignette]:
    """Read data/vignettes.yaml; each scenario is built with sdm.make against the base's rules."""
    base = base or evidence_mod.default()
    raw = _read_list(directory, VIGNETTES_FILE)
    known = _known_ids(base)
    out: list[Vignette] = []
    problems: list[evidence_mod.Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, f"item {i + 1}", "(record)", "expected a mapping"))
            continue
        fields = item.get("scenario")
        if not isinstance(fields, dict):
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, evidence_mod.record_name(item, i), "scenario",
                                                 "expected a mapping"))
            continue
        try:
            scenario = make(base.rules, **fields)
            v = Vignette.model_validate({**item, "scenario": scenario})
        except ValidationError as exc:
            problems += evidence_mod.record_problems(VIGNETTES_FILE, item, i, exc)
            continue
        if v.id in seen:
            problems.append(evidence_mod.Problem(VIGNETTES_FILE, v.id, "id", "this id is used twice"))
        seen.add(v.id)
        for tp in v.teaching_points:
            for ev in tp.evidence:
                if ev not in known:
                    problems.append(evidence_mod.Problem(VIGNETTES_FILE, v.id, "teaching_points.evidence",
                                                         f"no source or guideline with id '{ev}'"))
        out.append(v)
    if problems:
        raise evidence_mod.EvidenceError(problems)
    return out


# ----------------------------------------------------------------- discussion prompts


class Prompt(Frozen):
    id: Id
    title: Label
    text: text(1200)
    sources: list[Id] = Field(default_factory=list)
    guidelines: list[Id] = Field(default_factory=list)
    reference: Text | None = None  # a paper outside the tool's evidence sources
    doi: Doi | None = None

    @model_validator(mode="after")
    def _has_source(self) -> Prompt:
        if not (self.sources or self.guidelines or self.reference):
            raise ValueError("a prompt needs a source, a guideline or a reference")
        if self.doi and not self.reference:
            raise ValueError("a DOI needs the reference it belongs to")
        return self

    @property
    def link(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


def discussion_prompts(base: EvidenceBase | None = None, directory: Path | str | None = None) -> list[Prompt]:
    """Read data/teaching_prompts.yaml and check every id it cites."""
    base = base or evidence_mod.default()
    raw = _read_list(directory, PROMPTS_FILE)
    sources = {s.id for s in base.sources}
    guides = {g.id for g in base.guidelines}
    out: list[Prompt] = []
    problems: list[evidence_mod.Problem] = []
    for i, item in enumerate(raw):
        try:
            p = Prompt.model_validate(item)
        except ValidationError as exc:
            problems += evidence_mod.record_problems(PROMPTS_FILE, item, i, exc)
            continue
        problems += [evidence_mod.Problem(PROMPTS_FILE, p.id, "sources", f"no source with id '{s}'")
                     for s in p.sources if s not in sources]
        problems += [evidence_mod.Problem(PROMPTS_FILE, p.id, "guidelines", f"no guideline with id '{g}'")
                     for g in p.guidelines if g not in guides]
        if any(q.id == p.id for q in out):
            problems.append(evidence_mod.Problem(PROMPTS_FILE, p.id, "id", "this id is used twice"))
        out.append(p)
    if problems:
        raise evidence_mod.EvidenceError(problems)
    return out
