"""The consult screen: the decision, what matters most, the summary first; details one click away.

In the session's language (the switch at the top of the side panel, or ?lang= in the link): the words from the
catalogue (`cat`), the evidence text from the localised base (`lbase`); the numbers are the same in every
language. The engine takes the English base and the scenario's language.

What a change of input redraws: the inputs are one fragment (`inputs_part`), the numbers another
(`results_part`), and readiness with the handout and chart note a third (`take_home_part`). A change of input
reruns the results alone, reading what was entered from the session; the inputs are drawn again only where the
panel itself shows something that follows from the change, and the take-home part only while its chart note is
open (app_pages/parts/inputs.py). The clot's location, first in the panel, is drawn by the results themselves, so
that its change is a single run (inputs.location). The view switch, a fragment of its own, reruns the results
alone. The title, the decision, the language switch, the urgent signs, what each option is like (below the results)
and the reference block at the foot are drawn by the whole page's run (on opening, and when the language changes)
and stay as they are."""

import streamlit as st

from app_pages.parts import entered, inputs, lang, readiness, sections, state, views

base = state.evidence_or_stop()
language = inputs.language(base)
cat = lang.catalogue(language)
lbase = state.localised(base, language)
content = lbase.content

# The language switch sits on the side panel's grey: its chosen button's blue text is darkened to keep AA contrast.
# The goals' chips and the checklists' items wrap onto more lines instead of cutting one short ("Avoid serious
# bleed...", "Active bleeding inside the b...").
lang.show("<style>h1{font-size:1.55rem!important;padding:0.1rem 0 0!important}"
          "[data-testid='stSidebar'] [data-testid='stMultiSelect'] [role='group']{max-height:none}"
          "[data-testid='stSidebar'] [data-testid='stMultiSelect'] [data-tag]{height:auto;padding-top:2px;"
          "padding-bottom:2px}"
          "[data-testid='stSidebar'] [data-testid='stMultiSelect'] [data-tag] span[title]"
          "{white-space:normal;overflow:visible;text-overflow:clip}"
          "[data-testid='stSidebar'] [data-testid='stExpander'] [data-testid='stButtonGroup'] button"
          "{height:auto;max-width:100%;border-radius:0.6rem}"
          "[data-testid='stSidebar'] [data-testid='stExpander'] [data-testid='stButtonGroup'] button p"
          "{white-space:normal;overflow:visible;text-overflow:clip;text-align:left}"
          "[data-testid='stMainBlockContainer']{padding-top:3.4rem;padding-left:1.2rem;padding-right:1.2rem}"
          "[data-testid='stSidebar'] button[aria-checked='true'] p{color:#005a8c}</style>")
lang.heading(cat.t("ui.page.title"), 1, cat)
sections.decision(content, cat)
inputs.urgent(lbase, cat)
location_place = st.sidebar.container()  # the results draw the clot's location here, first in the panel


@st.fragment(key=inputs.PANEL)
def inputs_part():
    inputs.sidebar(base, lbase, cat)


@st.fragment(key=inputs.RESULTS)
def results_part():
    inputs.location(base, lbase, cat, location_place)
    now = entered.read(base, cat)
    if now.scenario is None:  # the model refused what was entered: say why, show no numbers
        state.hold(None, now.per)
        for error in now.errors:
            st.error(error)
        return
    scenario, per, view = now.scenario, now.per, st.session_state.get(views.SWITCH) or "summary"
    result = state.run(scenario, base)
    state.remember(scenario, per, view)
    state.hold(result, per)

    sections.warnings(result)
    sections.goals_line(result, cat)
    said = sections.guidelines(result, lbase, cat)  # what guidelines say for this situation, folded
    if view == "summary":
        views.summary_view(result, lbase, per, cat, then=said)
    else:
        _detailed_view(view, result, per)
        lang.show(said)


@st.fragment(key=inputs.TAKE_HOME)
def take_home_part():
    """Readiness, the handout and the chart note. None of them changes with a change of input, except the chart
    note while it is open (the inputs rerun this part too then); the handout is made from what the results show
    at the moment of the click."""
    before, after = readiness.section(cat)
    sections.take_home(state.drawn(), base, cat, before=before, after=after, role=readiness.role())


def _detailed_view(view: str, result, per: int) -> None:
    if view == "pictures":
        views.pictures(result, lbase, per, cat)
    elif view == "goals":
        views.goals(result, lbase, per, cat)
    elif view == "table":
        views.question_table(result, lbase, per, cat)
    else:
        views.tradeoff(result, lbase, cat)


@st.fragment(key=inputs.VIEW_SWITCH)
def view_switch_part():
    """The view switch is a fragment of its own so that its change never reruns the whole page: a whole-page run
    that a callback ends early drops the handout button's file, which only the take-home part registers again."""
    views.switch(state.current(base)[2], cat, on_change=inputs.rerun_results)


inputs_part()
view_switch_part()
results_part()
sections.options(lbase, cat)
take_home_part()
sections.reference(lbase, cat)
