"""What the handout cites: the results each option shows on the reference page (the round robin
over the patient's goals), and the numbered list of sources behind everything printed.

Numbers are given in a fixed order: the bleeding-risk source, then the sources of the summary on
the first page (row by row), then those of the reference page's results, then the guidelines. So the
summary's numbers do not change with how many results the reference page has room for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...engine.result import OptionResult, OutcomeResult, Result
from ...evidence.models import EvidenceBase
from ...present.summary import Summary
from ...words.i18n import Catalogue


@dataclass(frozen=True)
class OptionPlan:
    option: OptionResult
    shown: list[OutcomeResult]  # in goal order, spread over goals
    hidden: int  # results left for the screen


def _spread_over_goals(outcomes: list[OutcomeResult], result: Result,
                       outcome_goals: dict[str, list[str]] | None) -> list[OutcomeResult]:
    """Goal order, but one result per goal before a second for any goal (round robin)."""
    if not outcome_goals:
        return outcomes
    rank = {g.value: i for i, g in enumerate(result.scenario.goals)}
    last = len(rank)

    def goal(o: OutcomeResult) -> int:
        return min((rank.get(g, last) for g in outcome_goals.get(o.id, [])), default=last + 1)

    seen: dict[int, int] = {}
    keyed = []
    for pos, o in enumerate(outcomes):
        g = goal(o)
        keyed.append((seen.get(g, 0), g, pos, o))
        seen[g] = seen.get(g, 0) + 1
    return [o for *_, o in sorted(keyed, key=lambda t: t[:3])]


def plan(result: Result, results_per_option: int | None,
         outcome_goals: dict[str, list[str]] | None = None, skip: set[str] | frozenset[str] = frozenset()) -> list[OptionPlan]:
    """Each option in its fixed order, with its first results (all of them for None); outcomes in
    `skip` (the summary's rows, already on the first page with their sources) are left out."""
    out = []
    for opt in result.options:
        by_id = {o.id: o for o in opt.outcomes}
        ordered = [by_id[i] for i in result.outcome_order if i in by_id and i not in skip]
        available = [o for o in ordered if o.risk is not None or o.finding]
        spread = _spread_over_goals(available, result, outcome_goals)
        shown = spread if results_per_option is None else spread[:max(0, results_per_option)]
        out.append(OptionPlan(opt, shown, len(available) - len(shown)))
    return out


def plan_in_turn(result: Result, total: int | None, outcome_goals: dict[str, list[str]] | None = None,
                 skip: set[str] | frozenset[str] = frozenset()) -> list[OptionPlan]:
    """At most `total` results in all (None: every one), taken in turn from each option: every option's
    first result (in its goal order, spread over goals), then every option's second, and so on. So a
    short page still has something for each option, harms and benefits alike."""
    full = plan(result, None, outcome_goals, skip)
    if total is None:
        return full
    taken = [0] * len(full)
    left, depth = max(0, total), 0
    while left and any(depth < len(p.shown) for p in full):
        for i, p in enumerate(full):
            if left and depth < len(p.shown):
                taken[i] += 1
                left -= 1
        depth += 1
    return [OptionPlan(p.option, p.shown[:n], p.hidden + len(p.shown) - n) for p, n in zip(full, taken, strict=True)]


def summary_source_ids(summary: Summary | None) -> list[str]:
    ids: list[str] = []
    for row in summary.rows if summary else []:
        for c in row.cells:
            if c.detail is not None and not c.greyed:
                ids.extend(p.source_id for p in c.detail.sources)
    return ids


def used_source_ids(result: Result, plans: list[OptionPlan], summary: Summary | None = None) -> list[str]:
    """Every source behind something printed, in order of first use."""
    ids: list[str] = [*result.bleeding.source_ids, *summary_source_ids(summary)]
    for p in plans:
        for o in p.shown:
            ids.extend(o.source_ids)
    return list(dict.fromkeys(ids))


_STATEMENT_SUFFIX = re.compile(r",\s*(comment on )?statements?\b.*$")


def guideline_document(reference: str) -> str:
    """'Stevens SM, et al. Chest 2021;...-2259, statement 6' -> the document, without the statement number."""
    return _STATEMENT_SUFFIX.sub("", reference)


class References:
    """The numbered list of sources, built from what the page prints."""

    def __init__(self, cat: Catalogue, result: Result, base: EvidenceBase, plans: list[OptionPlan],
                 summary: Summary | None = None):
        self.cat = cat
        self.sources = {s.id: s for s in base.sources}
        self.items: list[str] = []
        self.number: dict[str, int] = {}
        used = used_source_ids(result, plans, summary)
        for sid in used:
            s = self.sources[sid]
            # Short: who, where and when, and the DOI that finds the paper (the PMID when there is no DOI);
            # the full citation is on the screen.
            ids = cat.t("handout.reference.doi", doi=s.doi) if s.doi else (cat.t("handout.reference.pmid", pmid=s.pmid) if s.pmid else "")
            who = "" if s.first_author.startswith("(") else f"{s.first_author}, "
            self._add(sid, f"{who}{s.journal} {s.year}. {ids}".strip())
        doi_number = {self.sources[sid].doi: self.number[sid] for sid in used if self.sources[sid].doi}
        self.guideline_numbers: list[int] = []
        for g in result.guidelines:
            if g.doi and g.doi in doi_number:
                self.guideline_numbers.append(doi_number[g.doi])
                continue
            doc = guideline_document(g.reference)
            key = f"guideline:{g.doi or doc}"
            if key not in self.number:
                self._add(key, f"{g.body}. {doc}." + (" " + cat.t("handout.reference.doi", doi=g.doi) if g.doi else ""))
                if g.doi:
                    doi_number[g.doi] = self.number[key]
            self.guideline_numbers.append(self.number[key])

    def _add(self, key: str, text: str) -> None:
        self.items.append(text)
        self.number[key] = len(self.items)

    def cite(self, ids: list[str]) -> str:
        """'[2, 1]' for the sources `ids`, in their numbers; '' for none."""
        nums = [self.cat.number(self.number[s]) for s in dict.fromkeys(ids) if s in self.number]
        # no-break spaces: "[2, 1]" is never split over two lines
        return self.cat.t("handout.reference.cite", numbers=",\u00a0".join(nums)) if nums else ""
