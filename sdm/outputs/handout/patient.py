"""The patient's pages (at most two): the summary with pictures, what was entered, each
option's status, questions to ask and the urgent signs with the number to call.

Body text is BODY (12 pt) and notes NOTE (10 pt), in every language and for every scenario:
when the pages run long, the layout tightens its spacing and pictures and then says less
(reasons and questions point to the screen), but the type never shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...engine.result import Result
from ...evidence.models import EvidenceBase
from ...present.summary import DEFAULT_TOP, Summary
from . import summary_table
from .page import BODY, INK, LEFT, MUTED, NOTE, TITLE, WIDTH, Writer, md
from .sources import References


@dataclass(frozen=True)
class PatientStyle:
    """One density of the patient's pages; earlier styles are roomier. Type sizes never change."""

    cell: float  # mm per dot in a picture of 100 people
    gap: float  # mm between blocks
    foundation: bool = True  # the sentences on blood thinners as the base of treatment
    max_reasons: int | None = None  # reasons shown (each said once); the rest are on the screen
    max_questions: int | None = None  # questions to ask; the rest are on the screen
    brief_inputs: bool = False  # what was entered in short: how many health problems, the bleeding tier only
    words_elsewhere: bool = False  # the summary's results in words go to the reference page
    top: int = DEFAULT_TOP  # the patient's top goals the summary shows (the screen shows DEFAULT_TOP)

    @property
    def says(self) -> tuple:
        """What this style leaves out or moves that can carry numbers: the same in every language."""
        return (self.max_reasons, self.brief_inputs, self.words_elsewhere, self.top)


PATIENT_STYLES = (
    PatientStyle(cell=1.4, gap=1.6),
    PatientStyle(cell=1.2, gap=1.0),
    PatientStyle(cell=1.2, gap=0.8, foundation=False),
    PatientStyle(cell=1.1, gap=0.5, foundation=False, max_questions=6),
    PatientStyle(cell=1.1, gap=0.5, foundation=False, max_reasons=4, max_questions=6),
    PatientStyle(cell=1.0, gap=0.3, foundation=False, max_reasons=2, max_questions=4),
    PatientStyle(cell=1.0, gap=0.2, foundation=False, max_reasons=1, max_questions=3),
    PatientStyle(cell=1.0, gap=0.2, foundation=False, max_reasons=1, max_questions=3, brief_inputs=True),
    # The last two are for what the grid of teaching scenarios never needs (long lists of health problems
    # and findings in words): the summary's words move to the reference page, then it shows two goals.
    PatientStyle(cell=1.0, gap=0.2, foundation=False, max_reasons=1, max_questions=3, brief_inputs=True,
                 words_elsewhere=True),
    PatientStyle(cell=1.0, gap=0.2, foundation=False, max_reasons=1, max_questions=3, brief_inputs=True,
                 words_elsewhere=True, top=DEFAULT_TOP - 1),
)


def clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    text = " ".join("".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(name)).split())[:80]
    return text or None


class PatientPages:
    def __init__(self, w: Writer, result: Result, base: EvidenceBase, per: int, style: PatientStyle,
                 name: str | None, today: date, readiness: list[str], summary: Summary, refs: References):
        self.w, self.r, self.b, self.per, self.s = w, result, base, per, style
        self.name, self.today, self.readiness = name, today, readiness
        self.summary_rows, self.refs = summary, refs

    def draw(self) -> None:
        self.header()
        self.notes("warnings", self.r.warnings)
        self.summary()
        self.about()
        self.statuses()
        self.notes("readiness", self.readiness)
        self.questions_and_urgent()

    def header(self) -> None:
        w, c = self.w, self.b.content
        w.text(w.t("title"), size=TITLE, bold=True)
        w.space(0.6)
        made = [w.t("prepared_for", name=md(self.name))] if self.name else []
        made.append(w.t("made_on", date=w.cat.date(self.today)))
        made.append(w.t("evidence_checked", date=w.cat.date(date.fromisoformat(self.r.evidence_date)),
                        iso=md(self.r.evidence_date)))
        w.text(" ".join(made), size=NOTE, color=MUTED)
        w.space(1.6)
        w.boxed(md(c.not_advice), size=BODY)
        w.space(1.6)
        w.text(md(c.decision) + (" " + md(c.foundation) if self.s.foundation else ""))

    def notes(self, key: str, items: list[str]) -> None:
        if not items:
            return
        w = self.w
        w.space(self.s.gap + 1.0)
        w.text(f"**{w.t('notes.' + key)}**", keep=True)
        w.bullets([md(x) for x in items], gap=0.4)

    def summary(self) -> None:
        w = self.w
        w.heading(w.t("summary.heading"), follow=40)
        summary_table.intro_and_legend(w, self.per)
        summary_table.draw(w, self.summary_rows, self.s.cell, self.refs, words_here=not self.s.words_elsewhere)

    def about(self) -> None:
        """What was entered, as one short paragraph (the goals' order is on the reference page)."""
        w, r, b, sc = self.w, self.r, self.b, self.r.scenario
        w.heading(w.t("inputs.heading"), follow=12)
        band = next(a for a in b.rules.age_bands if a.id == r.clot_age)
        tiers = {t.tier.value: t.label for t in b.rules.bleeding.tiers}
        cis = {c.id: c for c in b.rules.contraindications}
        days = w.t("inputs.days_one" if sc.symptom_days == 1 else "inputs.days", days=w.cat.number(sc.symptom_days))
        problems = "; ".join(f"{md(cis[c].label)} ({w.t('inputs.kind.' + cis[c].kind)})" for c in sc.contraindications)
        age = w.t("inputs.years", age=w.cat.number(sc.age)) if sc.age is not None else w.t("inputs.not_entered")
        if problems and self.s.brief_inputs:
            problems_line = w.t("inputs.problems_count", n=w.cat.number(len(sc.contraindications)))
        else:
            problems_line = w.t("inputs.problems", value=problems) if problems else w.t("inputs.no_problems")
        explained = [] if self.s.brief_inputs else [md(x) for x in r.bleeding.explanation]
        parts = [
            w.t("inputs.where", value=md(b.vocabulary.locations[sc.location])),
            w.t("inputs.clot_age", days=days, band=md(band.label)),
            w.t("inputs.bleeding", tier=md(tiers.get(r.bleeding.tier, r.bleeding.tier))),
            *explained,
            self.refs.cite(list(r.bleeding.source_ids)),
            problems_line,
            w.t("inputs.limb", value=w.t("yes" if sc.limb_threatening else "no")),
            w.t("inputs.iliac", value=w.t("inputs.suspected" if sc.iliac_compression else "inputs.not_suspected")),
            w.t("inputs.age", value=age),
        ]
        w.text(" ".join(x for x in parts if x))

    def statuses(self) -> None:
        """Each option's status in the fixed order (neighbours with the same status share a line), then
        the reasons, each said once with the options it is about."""
        w, opts = self.w, self.r.options
        w.heading(w.t("statuses.heading"), follow=12)
        names = {o.id: md(o.label if o.short in o.label else f"{o.label} ({o.short})") for o in opts}
        shorts = {o.id: md(o.short) for o in opts}
        runs: list[tuple[str, list[str]]] = []  # neighbours with the same status share a line; the order stays fixed
        for o in opts:
            if runs and runs[-1][0] == o.status:
                runs[-1][1].append(o.id)
            else:
                runs.append((o.status, [o.id]))
        for status, ids in runs:
            w.space(self.s.gap * 0.5)
            w.text(w.t("statuses.line", option=self.joined([names[i] for i in ids]), status=w.t(f"status.{status}")),
                   keep=True)
        reasons: dict[str, list[str]] = {}
        for o in opts:
            for x in o.reasons:
                reasons.setdefault(x, []).append(o.id)
        items = [w.t("statuses.why", options=self.joined([shorts[i] for i in ids]), reason=md(x))
                 for x, ids in reasons.items()]
        cap = self.s.max_reasons
        if cap is not None and len(items) > cap:
            more = len(items) - cap
            items = [*items[:cap], w.t("statuses.more_one" if more == 1 else "statuses.more", n=w.cat.number(more))]
        if items:
            w.space(self.s.gap + 0.4)
            w.bullets(items, size=NOTE, gap=0.3)

    def joined(self, names: list[str]) -> str:
        if len(names) == 1:
            return names[0]
        return self.w.t("statuses.and", first=", ".join(names[:-1]), last=names[-1])

    def questions_and_urgent(self) -> None:
        """Questions to ask beside the urgent signs (in a heavy frame, with the number to call), kept
        together on one page."""
        w, c = self.w, self.b.content
        qs = c.questions_to_ask
        cap = self.s.max_questions
        shown = [md(q) for q in (qs if cap is None or len(qs) <= cap else qs[:cap])]
        more = w.t("help.more_questions") if len(shown) < len(qs) else ""
        signs = [md(s) for s in c.urgent_signs] + [f"**{md(c.urgent_call)}**"]
        gap, pad = 5.0, 2.2
        head_q, head_u = f"**{w.t('help.questions')}**", f"**{w.t('help.urgent')}**"

        def heights(share: float) -> tuple[float, float]:
            cq = (WIDTH - gap) * share
            inner = WIDTH - gap - cq - 2 * pad
            hq = (w.height(head_q, BODY + 1, cq) + 1.0 + w.bullets_height(shown, BODY, cq, gap=0.6)
                  + (w.height(more, NOTE, cq) + 0.8 if more else 0.0))
            hu = w.height(head_u, BODY + 1, inner) + 1.0 + w.bullets_height(signs, BODY, inner, gap=0.5) + 2 * pad
            return hq, hu

        # the split of the width that makes the two columns most even (the shorter block wastes least)
        share = min((0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6), key=lambda x: max(heights(x)))
        hq, hu = heights(share)
        cw = (WIDTH - gap) * share
        uw = WIDTH - gap - cw
        inner = uw - 2 * pad
        w.space(self.s.gap + 3.0)
        w.keep(max(hq, hu))
        top = w.y
        w.text(head_q, size=BODY + 1, w=cw)
        w.set_y(w.y + 1.0)
        w.bullets(shown, w=cw, gap=0.6)
        if more:
            w.set_y(w.y + 0.8)
            w.text(more, size=NOTE, color=MUTED, w=cw)
        end_q = w.y
        right = LEFT + cw + gap
        w.frame(right, top, uw, hu, line=0.8, color=INK)
        w.set_y(top + pad)
        w.text(head_u, size=BODY + 1, x=right + pad, w=inner)
        w.set_y(w.y + 1.0)
        w.bullets(signs, x=right + pad, w=inner, gap=0.5)
        w.set_y(max(end_q, top + hu))
        w.space(1.5)
        w.text(w.t("help.pointer"), size=NOTE, color=MUTED)
