"""The scenario inputs, in the sidebar. Every value starts from the session (or the link).

They are drawn in the consult page's inputs fragment (PANEL). A change of input reruns the results fragment
(RESULTS) and not the inputs, which stay on screen as the person left them; where the panel itself shows
something that follows from the change (a warning beside days or age, the checklists, the bleeding notices), the
inputs are drawn again too. The results read what was entered from the session (app_pages/parts/entered.py).
The clot's location, first in the panel, is the one input the results fragment draws itself (`location`), so that
its change is one run.

Every word comes from the catalogue of the session's language (`cat`, data/locales/<lang>/ui.yaml); labels from
the evidence files come from the localised base (`lbase`). Widget values are ids, never words, so a value
stays the same when the language changes."""

from __future__ import annotations

import streamlit as st

from sdm.engine.compute import bleeding
from sdm.engine.scenario import DEFAULT_GOALS
from sdm.evidence.models import Location, Tier
from sdm.evidence.safe_text import markdown as md
from sdm.words import i18n

from . import entered, lazy, sections, state, views
from . import lang as lang_ui
from .entered import AGE_MAX, CHECKLIST

# the consult page's four fragments, by key
PANEL, VIEW_SWITCH, RESULTS, TAKE_HOME = "inputs", "view_switch", "results", "take_home"


def _after_a_change() -> list[str]:
    """What follows from a change of scenario: the results, and the take-home part while its chart note is open
    (closed, the note is not built, and the handout is made at its click from what the results show)."""
    return [RESULTS, TAKE_HOME] if st.session_state.get(sections.NOTE_FOLD) else [RESULTS]


def _results() -> None:
    """A change only the results show: rerun them alone (the inputs stay as drawn)."""
    st.rerun(_after_a_change())


def _both() -> None:
    """A change the panel shows as well (a warning, a checklist, a notice): rerun the inputs and the results."""
    st.rerun([PANEL, *_after_a_change()])


def rerun_results() -> None:
    """A change of view: the results alone, drawn in the chosen view."""
    st.rerun(RESULTS)


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def language(base) -> str:
    """The language switch at the top of the side panel; the session's language ("en" or "es").

    It changes the words only: every other input keeps its value, and the choice goes into the link."""
    fields, _, _ = state.current(base)
    _seed(state.LANG, fields.get("lang", i18n.DEFAULT))
    cat = i18n.catalogue(state.language())
    chosen = st.sidebar.segmented_control(
        cat.t("ui.language.label"), list(i18n.LANGUAGES), format_func=lambda code: cat.t(f"ui.language.{code}"),
        key=state.LANG, required=True, label_visibility="collapsed", on_change=_realign,
    )
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT


def _realign() -> None:
    """After a change of language, set the inputs Streamlit keeps by their shown words again from the scenario kept
    in the session: their words changed, their values did not. (Left to the browser, a widget drawn in the consult
    page's fragment can come back with its words in the other language, which are not a value.)"""
    fields = st.session_state.get(state.FIELDS)
    if fields is None:
        return
    per, view = st.session_state[state.VIEW]
    st.session_state["in_location"] = fields.get("location", Location.iliofemoral.value)
    st.session_state["in_bleeding"] = entered.bleeding_choice(fields)
    st.session_state["in_per"] = per
    st.session_state[views.SWITCH] = view


def urgent(lbase, cat: i18n.Catalogue) -> None:
    """When to get help now, folded at the top of the side panel (the same words stay open at the page's foot)."""
    with st.sidebar:
        box, is_open = lazy.expander(cat.t("ui.sidebar.urgent_title"), "open_urgent")
    if is_open:
        lang_ui.markdown("\n".join(f"- {md(sign)}" for sign in lbase.content.urgent_signs)
                         + f"\n\n**{md(lbase.content.urgent_call)}**", cat, where=box)


def _checklist(title: str, key: str, chosen: tuple[str, ...], *lists: tuple[str, dict[str, str], str]) -> None:
    """A collapsible checklist: one or more lists (widget key, items, label), one toggle button per item.

    Closed, it is not built: its ticks are the scenario's (`chosen`, kept in the session; entered.ticks), so
    closing it never drops a tick, and opening it again shows them. A tick changes the bleeding notices beside the
    input, so it redraws the panel too (the contraindications' fold only the results)."""
    box, is_open = lazy.expander(title, f"open_{key}", expanded=bool(chosen))
    if not is_open:
        return
    for widget_key, items, label in lists:
        with box:
            _seed(widget_key, [i for i in items if i in chosen])
            st.pills(label, list(items), selection_mode="multi", format_func=lambda i, d=items: md(d[i]),
                     key=widget_key, on_change=_results if key == "in_ci" else _both)


def location(base, lbase, cat: i18n.Catalogue, where) -> None:
    """Where the clot is, first of the inputs in the side panel (`where`, a place the whole page's run keeps there).

    The results fragment draws it, first, so that a change of location (the input that changes every row) is the
    results' own run, one run and not two: a widget's change reruns the fragment that drew it, and a callback's
    keyed rerun of another fragment comes after a run that the callback ends early. While the chart note is open a
    change of location must redraw the note too: then, and only then, its callback asks for both."""
    fields, _, _ = state.current(base)
    vocab = lbase.vocabulary
    _seed("in_location", fields.get("location", Location.iliofemoral.value))
    where.selectbox(
        cat.t("ui.sidebar.location_label"),
        [loc.value for loc in Location],
        format_func=lambda v: vocab.locations[Location(v)],  # option labels are plain text, not markdown
        key="in_location",
        help=cat.t("ui.sidebar.location_help"),
        on_change=_location_changed,
    )


def _location_changed() -> None:
    """A change of location reruns the results, which drew it; with the chart note open, the note as well."""
    after = _after_a_change()
    if TAKE_HOME in after:
        st.rerun(after)


def sidebar(base, lbase, cat: i18n.Catalogue) -> None:
    """Draw the inputs, with a message beside any value they refuse.

    `base` is the English evidence base (the engine's input), `lbase` the same in the session's language."""
    fields, per, view = state.current(base)
    rules, vocab = lbase.rules, lbase.vocabulary
    tier_word = {t.value: cat.t(f"ui.sidebar.tier.{t.value}") for t in Tier}
    for problem in st.session_state.pop("url_problems", []):
        st.warning(cat.t("ui.sidebar.from_link", problem=problem))
    sb = st.sidebar
    with sb:
        _goals(fields, vocab, cat)
        _seed("in_days", int(fields.get("symptom_days", 7)))
        days = st.number_input(
            cat.t("ui.sidebar.days_label"),
            min_value=0,
            step=1,
            key="in_days",
            help=cat.t("ui.sidebar.days_help", max_days=rules.max_symptom_days),
            on_change=_both,
        )
        if entered.days_refused(days, rules):
            st.warning(cat.t("ui.sidebar.days_warning", max_days=rules.max_symptom_days))
        _seed("in_limb", bool(fields.get("limb_threatening", False)))
        st.checkbox(cat.t("ui.sidebar.limb_label"), key="in_limb", help=cat.t("ui.sidebar.limb_help"),
                    on_change=_results)
        _seed("in_iliac", bool(fields.get("iliac_compression", False)))
        st.checkbox(cat.t("ui.sidebar.iliac_label"), key="in_iliac", help=cat.t("ui.sidebar.iliac_help"),
                    on_change=_results)
        _seed("in_age", fields.get("age"))
        age = st.number_input(cat.t("ui.sidebar.age_label"), min_value=0, step=1, key="in_age",
                              help=cat.t("ui.sidebar.age_help"), on_change=_both)
        if entered.age_refused(age):
            st.warning(cat.t("ui.sidebar.age_warning", max_age=AGE_MAX))

        absolute = {c.id: c.label for c in rules.contraindications if c.kind == "absolute"}
        relative = {c.id: c.label for c in rules.contraindications if c.kind == "relative"}
        _checklist(cat.t("ui.sidebar.ci_header"), "in_ci", tuple(fields.get("contraindications", ())),
                   ("in_ci_absolute", absolute,
                    f"**{cat.t('ui.sidebar.ci_absolute')}.** {cat.t('ui.sidebar.ci_absolute_help')}"),
                   ("in_ci_relative", relative,
                    f"**{cat.t('ui.sidebar.ci_relative')}.** {cat.t('ui.sidebar.ci_relative_help')}"))

        floor = fields.get("bleeding_floor")  # a level a link gave together with a checklist
        # One question: a level, or the checklist. Leaving the checklist means picking a level: none is implied.
        _seed("in_bleeding", entered.bleeding_choice(fields))
        choice = st.radio(cat.t("ui.sidebar.bleeding_label"), [t.value for t in Tier] + [CHECKLIST], key="in_bleeding",
                          horizontal=True, format_func=lambda v: tier_word.get(v) or cat.t("ui.sidebar.mode_checklist"),
                          help=cat.t("ui.sidebar.mode_help"), on_change=_both)
        if choice == CHECKLIST:
            _checklist(cat.t("ui.sidebar.chest_title"), "in_chest", tuple(fields.get("chest_factors", ())),
                       ("in_chest", rules.bleeding.chest_factors, cat.t("ui.sidebar.tick")))
            _checklist(cat.t("ui.sidebar.vte_title"), "in_vte", tuple(fields.get("vte_bleed_factors", ())),
                       ("in_vte", rules.bleeding.vte_bleed_labels, cat.t("ui.sidebar.tick")))
            if floor:
                _seed("in_bleed_floor", True)
                st.checkbox(cat.t("ui.sidebar.keep_floor", level=tier_word[floor]), key="in_bleed_floor",
                            help=cat.t("ui.sidebar.keep_floor_help"), on_change=_both)
        now = entered.read(base, cat).scenario
        notices = bleeding(now, lbase).notices if now else []  # what the link's level and checklist gave
        if notices:
            st.warning(" ".join(notices), icon=":material/warning:")  # next to the bleeding input
        _seed("in_per", per)
        st.radio(cat.t("ui.sidebar.per_label"), [100, 1000], key="in_per", horizontal=True,
                 format_func=lambda n: cat.t("ui.sidebar.per_option", n=cat.number(n)),
                 help=cat.t("ui.sidebar.per_help"), on_change=_results)


def _goals(fields: dict, vocab, cat: i18n.Catalogue) -> None:
    labels = {g.id: g.label for g in vocab.goals}
    # Each language has its own widget (entered.goals_key), seeded from the scenario kept in the session:
    # switching language keeps the goals and their order.
    key = entered.goals_key(cat.lang)
    for other in i18n.LANGUAGES:  # the other language's widget re-seeds from the scenario when it comes back
        if other != cat.lang:
            st.session_state.pop(entered.goals_key(other), None)
    _seed(key, list(fields.get("goals", [g.value for g in DEFAULT_GOALS])))
    st.multiselect(
        cat.t("ui.sidebar.goals_label"),
        list(labels),
        format_func=labels.get,  # chips are plain text, not markdown
        key=key,
        help=cat.t("ui.sidebar.goals_help"),
        on_change=_results,
    )
