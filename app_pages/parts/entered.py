"""What was entered: the scenario, read from the values the inputs keep in the session (their widget keys).

A change of input reruns the consult page's results on their own while the inputs stay as drawn
(app_pages/parts/inputs.py), so the results read the inputs here, not from the widgets' return values. Where an
input has not been drawn (a closed checklist, a checklist not chosen), the scenario kept in the session
(`fields`) gives its value. A value the inputs refuse (days or age out of range) gives the scenario's last
value, and a message beside the input says so."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from pydantic import ValidationError

import sdm
from sdm.engine.scenario import DEFAULT_GOALS, Scenario, bleeding_from_checklist
from sdm.evidence.models import Location
from sdm.words import i18n

from . import state

AGE_MAX = Scenario.model_fields["age"].metadata[-1].le  # the limit the scenario model itself enforces
CHECKLIST = "checklist"  # the bleeding input's fourth choice, beside the three levels (a widget value)
CI_LISTS = (("in_ci_absolute", "absolute"), ("in_ci_relative", "relative"))  # widget key, contraindication kind


@dataclass(frozen=True)
class Entered:
    scenario: Scenario | None  # None: the model refused the values (`errors` says why)
    per: int
    errors: list[str] = field(default_factory=list)


def goals_key(lang: str) -> str:
    """Streamlit keeps a multiselect's choice by its shown labels, so each language has its own goals widget."""
    return "in_goals" if lang == i18n.DEFAULT else f"in_goals_{lang}"


def bleeding_choice(fields: dict) -> str:
    return CHECKLIST if bleeding_from_checklist(fields) else fields["bleeding_tier"]


def days_refused(days, rules) -> bool:
    return days is None or days > rules.max_symptom_days


def age_refused(age) -> bool:
    return age is not None and age > AGE_MAX


def ticks(fold: str, widget_key: str, items, chosen) -> list[str]:
    """A checklist's ticks: its widget's while its fold is open, else the scenario's (closing never drops one)."""
    if st.session_state.get(fold) and widget_key in st.session_state:
        chosen = st.session_state[widget_key] or ()
    return [i for i in items if i in chosen]


def read(base, cat: i18n.Catalogue) -> Entered:
    """The scenario the inputs hold now. `base` is the English evidence base (the engine's input)."""
    fields, per, _ = state.current(base)
    rules, got = base.rules, st.session_state
    days = got.get("in_days", int(fields.get("symptom_days", 7)))
    age = got.get("in_age", fields.get("age"))
    chosen_ci = tuple(fields.get("contraindications", ()))
    cis = [i for key, kind in CI_LISTS
           for i in ticks("open_in_ci", key, [c.id for c in rules.contraindications if c.kind == kind], chosen_ci)]
    values = dict(
        location=got.get("in_location", fields.get("location", Location.iliofemoral.value)),
        symptom_days=int(fields.get("symptom_days", 7)) if days_refused(days, rules) else int(days),
        limb_threatening=got.get("in_limb", bool(fields.get("limb_threatening", False))),
        iliac_compression=got.get("in_iliac", bool(fields.get("iliac_compression", False))),
        age=fields.get("age") if age_refused(age) else age, contraindications=tuple(cis),
        goals=tuple(got.get(goals_key(cat.lang), fields.get("goals", [g.value for g in DEFAULT_GOALS]))),
        lang=cat.lang,
    )
    choice = got.get("in_bleeding", bleeding_choice(fields))
    if choice != CHECKLIST:
        values["bleeding_tier"] = choice
    else:
        values["chest_factors"] = tuple(ticks("open_in_chest", "in_chest", rules.bleeding.chest_factors,
                                              fields.get("chest_factors", ())))
        values["vte_bleed_factors"] = tuple(ticks("open_in_vte", "in_vte", rules.bleeding.vte_bleed_labels,
                                                  fields.get("vte_bleed_factors", ())))
        floor = fields.get("bleeding_floor")  # a level a link gave together with a checklist
        if floor and got.get("in_bleed_floor", True):
            values["bleeding_floor"] = floor
    if fields.get("unrecognised_bleeding_factors") and _bleeding_input(values) == _bleeding_input(fields):
        values["unrecognised_bleeding_factors"] = True  # said until the bleeding input is changed
    per = got.get("in_per", per)
    try:
        scenario = sdm.make(rules, **values)
    except ValidationError as exc:
        return Entered(None, per, errors=[
            cat.t("ui.sidebar.check_input", field=err["loc"][0] if err["loc"] else cat.t("ui.sidebar.the_inputs"),
                  message=err["msg"]) for err in exc.errors()])
    return Entered(scenario, per)


def _bleeding_input(values: dict) -> tuple:
    return (values.get("bleeding_tier"), values.get("bleeding_floor"), tuple(values.get("chest_factors") or ()),
            tuple(values.get("vte_bleed_factors") or ()))

