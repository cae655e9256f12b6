"""The scenario in the URL query string, so a consult or teaching case can be
reopened or shared. Parsing never trusts the link: anything unknown or out of
range is dropped with a plain message, and nothing raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .models import Location, Rules, Tier
from .scenario import DEFAULT_GOALS, Goal, Scenario, make

VIEWS = ("pictures", "goals", "table", "tradeoff")
DENOMINATORS = (100, 1000)
MAX_PARAM = 400  # longer values are ignored outright

DEFAULTS: dict[str, Any] = {
    "location": Location.iliofemoral.value,
    "symptom_days": 7,
    "bleeding_tier": Tier.low.value,
}


@dataclass
class Parsed:
    fields: dict[str, Any]
    per: int = 100
    view: str = "pictures"
    problems: list[str] = field(default_factory=list)


def _one(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_PARAM else None


def _names(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))


def to_params(s: Scenario, per: int = 100, view: str = "pictures") -> dict[str, str]:
    out = {"loc": s.location.value, "days": str(s.symptom_days)}
    if s.bleeding_tier is not None:
        out["bleed"] = s.bleeding_tier.value
    if s.chest_factors:
        out["chest"] = ",".join(s.chest_factors)
    if s.vte_bleed_factors:
        out["vte"] = ",".join(s.vte_bleed_factors)
    if s.contraindications:
        out["ci"] = ",".join(s.contraindications)
    if s.limb_threatening:
        out["limb"] = "1"
    if s.iliac_compression:
        out["iliac"] = "1"
    if s.age is not None:
        out["age"] = str(s.age)
    if s.goals != DEFAULT_GOALS:
        out["goals"] = ",".join(g.value for g in s.goals)
    if per != 100:
        out["per"] = str(per)
    if view != "pictures":
        out["view"] = view
    return out


def from_params(params: Mapping[str, Any], rules: Rules) -> Parsed:
    """Read a scenario from query parameters; keep what is valid, say what was dropped."""
    fields: dict[str, Any] = dict(DEFAULTS)
    problems: list[str] = []
    raw = {k: _one(v) for k, v in params.items() if isinstance(k, str)}
    for k, v in params.items():
        if isinstance(k, str) and _one(v) is None and v not in (None, ""):
            problems.append("A value in the link was too long and was ignored.")

    def take(key: str, name: str, convert) -> None:
        value = raw.get(key)
        if value is None:
            return
        try:
            fields[name] = convert(value)
        except (TypeError, ValueError):
            problems.append(f"'{key}' could not be read and was ignored.")

    take("loc", "location", str)
    take("days", "symptom_days", int)
    take("age", "age", int)
    take("limb", "limb_threatening", lambda v: v in ("1", "true", "yes"))
    take("iliac", "iliac_compression", lambda v: v in ("1", "true", "yes"))
    if raw.get("chest") or raw.get("vte"):
        fields.pop("bleeding_tier", None)
        take("chest", "chest_factors", _names)
        take("vte", "vte_bleed_factors", _names)
    else:
        take("bleed", "bleeding_tier", str)
    take("ci", "contraindications", _names)
    take("goals", "goals", _names)

    # Validate field by field, so one bad value does not throw away the rest.
    for _ in range(len(fields) + 1):
        try:
            make(rules, **fields)
            break
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad:
                fields = dict(DEFAULTS)
                problems.append("The link's settings did not fit together and were reset.")
                break
            for name in bad:
                problems.append(f"The link's value for '{name}' was not valid and was ignored.")
                if name in DEFAULTS:
                    fields[name] = DEFAULTS[name]
                else:
                    fields.pop(name, None)
                if name in ("chest_factors", "vte_bleed_factors") and not (
                    fields.get("chest_factors") or fields.get("vte_bleed_factors")
                ):
                    fields["bleeding_tier"] = DEFAULTS["bleeding_tier"]

    per, view = 100, "pictures"
    if raw.get("per") is not None:
        if raw["per"] in ("100", "1000"):
            per = int(raw["per"])
        else:
            problems.append("'per' must be 100 or 1000 and was ignored.")
    if raw.get("view") is not None:
        if raw["view"] in VIEWS:
            view = raw["view"]
        else:
            problems.append("'view' was not a known view and was ignored.")
    return Parsed(fields=fields, per=per, view=view, problems=problems)


def goal_ids() -> list[str]:
    return [g.value for g in Goal]
