"""Command line: python -m sdm scenario | evidence | validate | handout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from ..engine.compute import run
from ..engine.result import Result
from ..engine.scenario import Goal, make
from ..evidence import loader as ev
from ..words import i18n
from ..words.wording import per100


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sdm", description="DVT shared decision making: evidence and scenarios.")
    sub = p.add_subparsers(dest="command", required=True)

    def scenario_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--location", required=True, help="distal, femoropopliteal, iliofemoral or iliocaval")
        sp.add_argument("--days", type=int, required=True, help="days since symptoms began (0-365)")
        sp.add_argument("--bleeding", help="bleeding tier: low, moderate or high")
        sp.add_argument("--chest-factor", action="append", default=[], metavar="NAME", help="CHEST bleeding risk factor")
        sp.add_argument("--vte-bleed", action="append", default=[], metavar="NAME", help="VTE-BLEED item")
        sp.add_argument("--contraindication", action="append", default=[], metavar="NAME")
        sp.add_argument("--limb-threatening", action="store_true")
        sp.add_argument("--iliac-compression", action="store_true")
        sp.add_argument("--goals", help="comma-separated, most important first: " + ",".join(g.value for g in Goal))
        sp.add_argument("--age", type=int)
        sp.add_argument("--data", type=Path, help="evidence folder (default: data/)")
        sp.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT,
                        help="language of the patient's words: en (default) or es; the numbers are the same")

    sc = sub.add_parser("scenario", help="what the evidence says for one patient")
    scenario_args(sc)
    sc.add_argument("--json", action="store_true", help="print the full result as JSON")

    e = sub.add_parser("evidence", help="every source, estimate, finding, gap and guideline record")
    e.add_argument("--json", action="store_true")
    e.add_argument("--data", type=Path)

    v = sub.add_parser("validate", help="check the evidence files")
    v.add_argument("path", nargs="?", type=Path, help="evidence folder (default: data/)")

    h = sub.add_parser("handout", help="write the take-home PDF for one scenario")
    scenario_args(h)
    h.add_argument("--out", type=Path, required=True)
    h.add_argument("--per", type=int, choices=(100, 1000), default=100)
    return p


def scenario_from_args(args: argparse.Namespace, base) -> object:
    fields: dict = {
        "location": args.location,
        "symptom_days": args.days,
        "chest_factors": tuple(args.chest_factor),
        "vte_bleed_factors": tuple(args.vte_bleed),
        "contraindications": tuple(args.contraindication),
        "limb_threatening": args.limb_threatening,
        "iliac_compression": args.iliac_compression,
        "age": args.age,
        "lang": getattr(args, "lang", i18n.DEFAULT),
    }
    if args.bleeding is not None:
        fields["bleeding_tier"] = args.bleeding
    if args.goals:
        fields["goals"] = tuple(g.strip() for g in args.goals.split(",") if g.strip())
    return make(base.rules, **fields)


def table(result: Result) -> str:
    """The result as plain text, in the result's language (ids such as the location stay as typed)."""
    cat = i18n.catalogue(result.scenario.lang)
    lines = [
        cat.t("tables.text.clot", location=result.scenario.location.value, days=result.scenario.symptom_days,
              age=result.clot_age, tier=cat.t(f"engine.tier.{result.bleeding.tier}"), date=result.evidence_date),
        cat.t("tables.text.not_advice"),
    ]
    for w in result.warnings:
        lines.append(cat.t("tables.text.warning", warning=w))
    for opt in result.options:
        lines.append("")
        lines.append(f"{opt.label} [{opt.short}]: {opt.status.replace('_', ' ')}")
        for r in opt.reasons:
            lines.append(f"  - {r}")
        for o in opt.outcomes:
            if o.risk is None and o.finding is None:
                continue
            head = f"  {o.label} ({o.horizon}):"
            if o.risk is not None:
                rng = (cat.t("tables.text.range", low=per100(o.risk_low), high=per100(o.risk_high))
                       if o.risk_low is not None else "")
                if o.comparison in ("reference", "one_group"):
                    comp = cat.t(f"tables.text.{o.comparison}")
                else:
                    comp = (cat.t("tables.text.versus", p=per100(o.comparator_risk))
                            if o.comparator_risk is not None else "")
                lines.append(cat.t("tables.text.figure", head=head, p=per100(o.risk), range=rng, comparison=comp,
                                   applicability=o.applicability, sources=", ".join(o.source_ids)))
            else:
                lines.append(f"{head} {o.finding} [{', '.join(o.source_ids)}]")
    if result.guidelines:
        lines.append("")
        lines.append(cat.t("tables.text.guidelines"))
        for g in result.guidelines:
            lines.append(f"  - {g.statement} ({g.strength}; {g.certainty})")
    return "\n".join(lines)


def _load(path: Path | None):
    return ev.load(path) if path is not None else ev.default()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            base = _load(args.path)
            print(
                f"OK: {len(base.sources)} sources, {len(base.estimates)} estimates, {len(base.findings)} findings, "
                f"{len(base.gaps)} gaps, {len(base.guidelines)} guideline statements."
            )
            return 0
        base = _load(getattr(args, "data", None))
        if args.command == "evidence":
            dump = base.model_dump(mode="json", include={"sources", "estimates", "findings", "gaps", "guidelines"})
            if args.json:
                print(json.dumps(dump, indent=2))
            else:
                for key, records in dump.items():
                    print(f"{key}: {len(records)}")
                    for rec in records:
                        print(f"  {rec['id']}")
            return 0
        scenario = scenario_from_args(args, base)
        result = run(scenario, base)
        if args.command == "handout":
            from .handout import render

            try:
                args.out.write_bytes(render(result, base, per=args.per))
            except OSError as exc:
                print(f"could not write {args.out}: {exc.strerror or exc}", file=sys.stderr)
                return 1
            print(f"wrote {args.out}")
            return 0
        print(json.dumps(result.model_dump(mode="json"), indent=2) if args.json else table(result))
        return 0
    except ev.EvidenceError as exc:
        print("Evidence files have problems:", file=sys.stderr)
        for line in exc.lines():  # one line per problem, at most ev.MAX_PROBLEMS_SHOWN, then how many more
            print(f"  {line}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print("Invalid input:", file=sys.stderr)
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"]) or "(scenario)"
            msg = err["msg"]
            print(f"  {field}: {msg}", file=sys.stderr)
        return 2
