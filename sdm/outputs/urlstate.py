"""The scenario in the URL query string, so a consult or teaching case can be
reopened or shared. Parsing never trusts the link: anything unknown or out of
range is dropped with a plain message, and nothing raises. A bleeding level the
link states is never dropped or lowered (see _bleeding), and only ASCII digits
are read as numbers. `lang` is the language of the patient's words ("es"; no
`lang` means English); the messages are in that language (data/locales/*/ui.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..engine.scenario import DEFAULT_GOALS, Goal, Scenario, make
from ..evidence.models import Location, Rules, Tier
from ..words import i18n

VIEWS = ("summary", "pictures", "goals", "table", "tradeoff")
DEFAULT_VIEW = VIEWS[0]
DENOMINATORS = (100, 1000)
MAX_PARAM = 400  # longer values are ignored outright
TIERS = tuple(t.value for t in Tier)
_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits only (re's \d would match any Unicode digit)

DEFAULTS: dict[str, Any] = {
    "location": Location.iliofemoral.value,
    "symptom_days": 7,
    "bleeding_tier": Tier.low.value,
}


@dataclass
class Parsed:
    fields: dict[str, Any]
    per: int = 100
    view: str = DEFAULT_VIEW
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


def to_params(s: Scenario, per: int = 100, view: str = DEFAULT_VIEW) -> dict[str, str]:
    out = {"loc": s.location.value, "days": str(s.symptom_days)}
    if s.bleeding_tier is not None:
        out["bleed"] = s.bleeding_tier.value
    if s.bleeding_floor is not None:  # a level given with a checklist is kept in the address as entered
        out["bleed"] = s.bleeding_floor.value
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
    if view != DEFAULT_VIEW:
        out["view"] = view
    if s.lang != i18n.DEFAULT:
        out["lang"] = s.lang
    return out


def _ascii_int(value: str) -> int:
    """A whole number written with ASCII digits only. int() alone would also accept full-width and other
    Unicode digits, spaces and underscores ("\uff17" would be read as 7)."""
    if not _INTEGER.fullmatch(value):
        raise ValueError("not a whole number in ASCII digits")
    return int(value)


def _tier(value: str) -> str | None:
    word = value.strip().lower() if value.isascii() else value
    return word if word in TIERS else None


def _bleeding(raw: Mapping[str, str | None], too_long: set[str], rules: Rules, problems: list[str],
              cat: i18n.Catalogue) -> dict[str, Any]:
    """The bleeding fields. A level stated in the link is never dropped or lowered: with a checklist it is
    kept as the lowest level (the higher of the two is used); unknown factors are reported, not counted,
    and never throw away the known ones. A checklist too long to read counts as unrecognised."""
    entered = None
    if raw.get("bleed") is not None:
        entered = _tier(raw["bleed"])
        if entered is None:
            problems.append(cat.t("ui.link.invalid", name="bleeding_tier"))
    if not (raw.get("chest") or raw.get("vte") or too_long & {"chest", "vte"}):
        return {"bleeding_tier": entered or DEFAULTS["bleeding_tier"]}
    out: dict[str, Any] = {}
    for key, name, allowed in (("chest", "chest_factors", rules.bleeding.chest_factors),
                               ("vte", "vte_bleed_factors", rules.bleeding.vte_bleed_weights)):
        names = _names(raw.get(key) or "")
        out[name] = tuple(n for n in names if n in allowed)
        if len(out[name]) < len(names) or key in too_long:
            out["unrecognised_bleeding_factors"] = True
            problems.append(cat.t("ui.link.factor", name=name))
    if entered is not None:
        out["bleeding_floor"] = entered
    return out


def from_params(params: Mapping[str, Any], rules: Rules) -> Parsed:
    """Read a scenario from query parameters; keep what is valid, say what was dropped."""
    problems: list[str] = []
    raw = {k: _one(v) for k, v in params.items() if isinstance(k, str)}
    too_long = {k for k, v in params.items() if isinstance(k, str) and raw[k] is None and v not in (None, "")}
    lang = raw.get("lang")
    known_lang = lang in i18n.LANGUAGES
    cat = i18n.catalogue(lang if known_lang else i18n.DEFAULT)
    if not known_lang and (lang is not None or "lang" in too_long):
        problems.append(cat.t("ui.language.unknown"))  # the value itself is never repeated
    problems += [cat.t("ui.link.too_long")] * len(too_long - {"lang"})
    base = {k: v for k, v in DEFAULTS.items() if k != "bleeding_tier"}
    if known_lang and lang != i18n.DEFAULT:
        base["lang"] = lang
    fields: dict[str, Any] = dict(base)

    def take(key: str, name: str, convert) -> None:
        value = raw.get(key)
        if value is None:
            return
        try:
            fields[name] = convert(value)
        except (TypeError, ValueError):
            problems.append(cat.t("ui.link.unreadable", param=key))

    take("loc", "location", str)
    take("days", "symptom_days", _ascii_int)
    take("age", "age", _ascii_int)
    take("limb", "limb_threatening", lambda v: v in ("1", "true", "yes"))
    take("iliac", "iliac_compression", lambda v: v in ("1", "true", "yes"))
    bleeding = _bleeding(raw, too_long, rules, problems, cat)
    fields.update(bleeding)
    if raw.get("ci") is not None:
        names = _names(raw["ci"])
        known = {c.id for c in rules.contraindications}
        fields["contraindications"] = tuple(n for n in names if n in known)  # a typo never drops the others
        if len(fields["contraindications"]) < len(names):
            problems.append(cat.t("ui.link.contraindication"))
    take("goals", "goals", _names)

    # Validate field by field, so one bad value does not throw away the rest.
    for _ in range(len(fields) + 1):
        try:
            make(rules, **fields)
            break
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad:
                fields = {**base, **bleeding}
                problems.append(cat.t("ui.link.reset"))
                break
            for name in bad:
                problems.append(cat.t("ui.link.invalid", name=name))
                if name in DEFAULTS:
                    fields[name] = DEFAULTS[name]
                else:
                    fields.pop(name, None)

    per, view = 100, DEFAULT_VIEW
    if raw.get("per") is not None:
        if raw["per"] in ("100", "1000"):
            per = int(raw["per"])
        else:
            problems.append(cat.t("ui.link.per"))
    if raw.get("view") is not None:
        if raw["view"] in VIEWS:
            view = raw["view"]
        else:
            problems.append(cat.t("ui.link.view"))
    return Parsed(fields=fields, per=per, view=view, problems=problems)


def goal_ids() -> list[str]:
    return [g.value for g in Goal]
