"""The scenario inputs, in the sidebar. Every value starts from the session (or the link)."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

import sdm
from sdm.engine import bleeding
from sdm.models import Location, Tier
from sdm.safe_text import markdown as md
from sdm.scenario import DEFAULT_GOALS, Scenario

from . import state

AGE_MAX = Scenario.model_fields["age"].metadata[-1].le  # the limit the scenario model itself enforces


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _checklist(title: str, items: dict[str, str], key: str, chosen: tuple[str, ...], help_text: str) -> list[str]:
    """A collapsible checklist: one toggle button per item (one widget for the whole list)."""
    with st.expander(title, expanded=bool(chosen)):
        _seed(key, [i for i in items if i in chosen])
        picked = st.pills(help_text, list(items), selection_mode="multi", format_func=lambda i: md(items[i]), key=key)
    return [i for i in items if i in (picked or [])]


def sidebar(base):
    """Draw the inputs; return (scenario, per, view) or stop with a plain message."""
    fields, per, view = state.current(base)
    rules, vocab = base.rules, base.vocabulary
    for problem in st.session_state.pop("url_problems", []):
        st.warning(f"From the link: {problem}")
    sb = st.sidebar
    with sb:
        st.header("What matters most to you")
        goals = _goals(fields, vocab)
        st.header("About the clot")
        _seed("in_location", fields.get("location", Location.iliofemoral.value))
        location = st.selectbox(
            "Where is the clot?",
            [loc.value for loc in Location],
            format_func=lambda v: vocab.locations[Location(v)],  # option labels are plain text, not markdown
            key="in_location",
            help="The ultrasound report names the veins with clot. Pick the highest vein it reaches.",
        )
        _seed("in_days", int(fields.get("symptom_days", 7)))
        days = st.number_input(
            "Days since symptoms began",
            min_value=0,
            step=1,
            key="in_days",
            help=f"Count from the day the leg first became painful or swollen (0 to {rules.max_symptom_days}).",
        )
        if days is None or days > rules.max_symptom_days:
            st.warning(f"Days since symptoms must be 0 to {rules.max_symptom_days}. The last valid number is used.")
            days = int(fields.get("symptom_days", 7))
        _seed("in_limb", bool(fields.get("limb_threatening", False)))
        limb = st.checkbox(
            "The clot threatens the leg (phlegmasia)",
            key="in_limb",
            help="A very swollen leg that is blue, pale or cold, with severe pain. This is an emergency.",
        )
        _seed("in_iliac", bool(fields.get("iliac_compression", False)))
        iliac = st.checkbox(
            "Scans suggest a squeezed pelvic vein (iliac vein compression)",
            key="in_iliac",
            help="A CT, MRI or vein scan may show the left iliac vein pressed by an artery.",
        )
        _seed("in_age", fields.get("age"))
        age = st.number_input("Age (optional)", min_value=0, step=1, key="in_age",
                              help="Some trials took only people of certain ages.")
        if age is not None and age > AGE_MAX:
            st.warning(f"Age must be 0 to {AGE_MAX}. The last valid age is used.")
            age = fields.get("age")

        st.header("Bleeding risk")
        floor = fields.get("bleeding_floor")  # a level a link gave together with a checklist
        checklist_mode = bool(fields.get("chest_factors") or fields.get("vte_bleed_factors") or floor
                              or fields.get("unrecognised_bleeding_factors"))
        _seed("in_bleed_mode", "Use a checklist" if checklist_mode else "Choose a level")
        mode = st.radio("How to set it", ["Choose a level", "Use a checklist"], key="in_bleed_mode", horizontal=True,
                        help="A clinician can pick the level, or tick the risk factors that apply.")
        tier = chest = vte = keep = None
        if mode == "Choose a level":
            _seed("in_tier", fields.get("bleeding_tier") or floor or Tier.low.value)
            tier = st.radio("Bleeding risk level", [t.value for t in Tier], key="in_tier", horizontal=True,
                            format_func=str.capitalize)
        else:
            chest = _checklist("CHEST risk factors", rules.bleeding.chest_factors, "in_chest",
                               tuple(fields.get("chest_factors", ())), "Tick each one that applies.")
            vte = _checklist("VTE-BLEED items", rules.bleeding.vte_bleed_labels, "in_vte",
                             tuple(fields.get("vte_bleed_factors", ())), "Tick each one that applies.")
            if floor:
                _seed("in_bleed_floor", True)
                keep = st.checkbox(
                    f"Keep the level given in the link ({floor.capitalize()}) as the lowest level",
                    key="in_bleed_floor",
                    help="The link gave a level and a checklist. The higher of the two is used unless you untick this.",
                ) and floor
        bleeding_notes = st.container()  # what the link's level and checklist gave, said next to the input

        absolute = {c.id: c.label for c in rules.contraindications if c.kind == "absolute"}
        relative = {c.id: c.label for c in rules.contraindications if c.kind == "relative"}
        chosen = tuple(fields.get("contraindications", ()))
        st.header("Reasons a clot-dissolving drug may not be safe")
        cis = _checklist("Serious reasons (absolute)", absolute, "in_ci_absolute", chosen,
                         "Any of these rules out clot-dissolving drugs (SIR list).")
        cis += _checklist("Reasons for extra care (relative)", relative, "in_ci_relative", chosen,
                          "These call for extra care but do not rule a procedure out.")

        st.header("Pictures")
        _seed("in_per", per)
        per = st.radio("Show each risk out of", [100, 1000], key="in_per", horizontal=True,
                       format_func=lambda n: f"{n:,} people",
                       help="1,000 people show rare events more clearly.")

        with st.expander(":material/emergency: Get help now if...", expanded=False):
            st.markdown("\n".join(f"- {md(sign)}" for sign in base.content.urgent_signs))
            st.markdown(f"**{md(base.content.urgent_call)}**")

    values = dict(location=location, symptom_days=int(days), limb_threatening=limb, iliac_compression=iliac,
                  age=age, contraindications=tuple(cis), goals=goals)
    if tier is not None:
        values["bleeding_tier"] = tier
    else:
        values["chest_factors"], values["vte_bleed_factors"] = tuple(chest), tuple(vte)
        if keep:
            values["bleeding_floor"] = keep
    if fields.get("unrecognised_bleeding_factors") and _bleeding_input(values) == _bleeding_input(fields):
        values["unrecognised_bleeding_factors"] = True  # said until the bleeding input is changed
    try:
        scenario = sdm.make(rules, **values)
    except ValidationError as exc:
        for err in exc.errors():
            st.error(f"Please check '{err['loc'][0] if err['loc'] else 'the inputs'}': {err['msg']}")
        st.stop()
    notices = bleeding(scenario, base).notices
    if notices:
        bleeding_notes.warning(" ".join(notices), icon=":material/warning:")
    return scenario, per, view


def _bleeding_input(values: dict) -> tuple:
    return (values.get("bleeding_tier"), values.get("bleeding_floor"), tuple(values.get("chest_factors") or ()),
            tuple(values.get("vte_bleed_factors") or ()))


def _goals(fields: dict, vocab) -> tuple[str, ...]:
    labels = {g.id: g.label for g in vocab.goals}
    _seed("in_goals", list(fields.get("goals", [g.value for g in DEFAULT_GOALS])))
    picked = st.multiselect(
        "Pick in order: the first one you pick matters most.",
        list(labels),
        format_func=labels.get,  # chips are plain text, not markdown
        key="in_goals",
        help="Your order sets the order of the rows on the page. It changes nothing else.",
    )
    return tuple(picked)
