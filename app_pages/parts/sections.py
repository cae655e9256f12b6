"""Parts of the consult screen that are words: decision, statuses, cards, guidelines, help.

Evidence text is text: it reaches markdown only through sdm.safe_text.markdown (md) and HTML only through
html.escape, so an image, link or tag written in a data file shows as the characters typed."""

from __future__ import annotations

from datetime import date
from html import escape

import streamlit as st

from sdm import evidence, grid, handout, html_views, i18n
from sdm.chart_note import chart_note
from sdm.models import LIKE_KEYS
from sdm.safe_text import doi_markdown
from sdm.safe_text import markdown as md

LIKE_TITLES = {
    "procedure_day": "The day of treatment",
    "hospital_stay": "Hospital stay and checks",
    "access_site": "Where the tube goes in",
    "blood_thinners_after": "Blood thinners afterwards",
    "follow_up": "Follow-up scans and visits",
    "back_to_normal": "Getting back to normal",
}


def decision(content) -> None:
    """The decision in a sentence, that blood thinners are the base, and that the page does not choose."""
    base_line = content.foundation.split(". ")[0].rstrip(".") + "."
    st.markdown(f"**{md(content.decision)}** {md(base_line)} *{md(content.not_advice)}*")


def goals_line(result, base) -> None:
    """Without goals the summary has no rows: say where to pick them."""
    if not result.scenario.goals:
        st.caption("Pick what matters most to you at the top of the side panel to choose the rows.")


def warnings(result) -> None:
    for w in result.warnings:
        st.warning(md(w), icon=":material/warning:")


def option_strip(result, base) -> None:
    """Every option, always in the same order, with its status in words (never a rank)."""
    glossary = base.content.glossary
    cards = []
    for opt in result.options:
        name = base.content.options[opt.id].name
        badge = grid.STATUS_BADGE[opt.status]
        reasons = "".join(f"<li>{escape(r)}</li>" for r in opt.reasons)
        if reasons and sum(len(r) for r in opt.reasons) > 90:  # long notes fold away, one click to open
            first = opt.reasons[0].split(". ")[0].rstrip(".") + "."
            reasons = f"<details><summary>{escape(first)}</summary><ul>{reasons}</ul></details>"
        elif reasons:
            reasons = f"<ul>{reasons}</ul>"
        cards.append(
            f'<div class="oc st-{opt.status}" data-option="{opt.id}" data-status="{opt.status}">'
            f"<div class='on'>{html_views.with_glossary(name, glossary)}</div>"
            + (f"<div class='ob'>{escape(badge)}</div>" if badge else "<div class='ob ok'>Studied in people like this</div>")
            + reasons
            + "</div>"
        )
    st.html(
        "<style>.ostrip{display:flex;flex-wrap:wrap;gap:0.5rem;margin:0.3rem 0 0.6rem}"
        ".ostrip .oc{flex:1 1 8.6rem;border:1px solid #c8c8c8;border-radius:6px;padding:0.45rem;font-size:0.85rem}"
        ".ostrip .oc.st-no_evidence,.ostrip .oc.st-contraindicated{background:#f0f0f0}"
        ".ostrip .on{font-weight:700}.ostrip .ob{font-weight:600;margin:0.2rem 0}"
        ".ostrip .oc.st-contraindicated .ob{border-left:5px double #000;padding-left:0.3rem}"
        ".ostrip .oc.st-no_evidence .ob{border-left:3px dashed #000;padding-left:0.3rem}"
        ".ostrip .oc.st-indirect .ob{border-left:3px solid #000;padding-left:0.3rem}"
        ".ostrip .oc.st-one_group .ob{border-left:3px dotted #000;padding-left:0.3rem}"
        ".ostrip ul{margin:0.2rem 0 0 1rem;padding:0}.ostrip li{margin:0.1rem 0}"
        ".ostrip summary{cursor:pointer;color:#005a8c}</style>"
        f'<div class="ostrip" aria-label="The five options">{"".join(cards)}</div>'
    )


@st.cache_resource(show_spinner=False)
def _cards_html(base_id: int, _base) -> str:
    """One card per option, side by side, in the project's own words (static, built once)."""
    cards = []
    for opt in _base.vocabulary.options:
        text = _base.content.options[opt.id]
        items = "".join(f"<p><strong>{escape(LIKE_TITLES[k])}.</strong> {escape(text.like[k])}</p>" for k in LIKE_KEYS)
        cards.append(f'<article class="lk" aria-label="{escape(text.name)}"><h4>{escape(text.name)}</h4>'
                     f"<p>{escape(text.plain)}</p>{items}</article>")
    return (
        "<style>.lks{display:flex;flex-wrap:wrap;gap:0.6rem}.lks .lk{flex:1 1 13rem;border:1px solid #c8c8c8;"
        "border-radius:6px;padding:0.5rem 0.6rem;font-size:0.86rem}.lks h4{font-size:0.95rem;margin:0 0 0.3rem}"
        ".lks p{margin:0.25rem 0;line-height:1.35}</style>"
        f'<div class="lks">{"".join(cards)}</div>'
    )


def option_cards(result, base) -> None:
    st.html(_cards_html(id(base), base))


def details(result, base) -> None:
    """What each option is like, and what guidelines say: one click away, below the numbers."""
    with st.expander("What each option is like: the day of treatment, the hospital stay, getting back to normal"):
        st.markdown(base.content.foundation)
        option_cards(result, base)
    with st.expander(f"What guidelines say ({len(result.guidelines)} statements for this situation)"):
        guidelines(result)


def guidelines(result) -> None:
    st.caption("These are the guidelines' own positions, in our words. They are not this tool's advice.")
    if not result.guidelines:
        st.markdown("No guideline statement that we could check covers this situation.")
    lines = []
    for g in result.guidelines:
        caveat = " *(Secondary source: read in a summary, not in the guideline itself.)*" if g.secondary_source else ""
        link = f" {doi_markdown(g.doi)}" if g.doi else ""
        lines.append(f"- {md(g.statement)} **Strength:** {md(g.strength)}. **Certainty:** {md(g.certainty)}. "
                     f"*{md(g.reference)}*{link}{caveat}")
    if lines:
        st.markdown("\n".join(lines))


def take_home(result, base, per: int, before=None, after=None, role=None) -> None:
    st.subheader("Take it home")
    st.caption("The handout is made when you click, and nothing is kept after you close the page.")
    lines = handout.readiness_lines(before, after, role, cat=i18n.catalogue(result.scenario.lang))
    c1, c2 = st.columns(2)
    with c1:
        st.download_button("Download the handout (PDF)",
                           data=lambda: handout.render_for_download(result, base, per=per, readiness=lines),
                           file_name="dvt-treatment-choices.pdf", mime="application/pdf", icon=":material/download:",
                           on_click="ignore")
    with c2, st.expander("Note for the medical record"):
        st.code(_note(result.scenario.model_dump_json(), date.today().isoformat(), id(base), result, base), language=None)


@st.cache_resource(max_entries=256, show_spinner=False)
def _note(scenario_json: str, day: str, base_id: int, _result, _base) -> str:
    return chart_note(_result, _base)


@st.cache_resource(show_spinner=False)
def _reference_html(base_id: int, stale: bool, _base) -> str:
    """Help, questions, about and glossary in one static block (built once per evidence base)."""
    c, a = _base.content, _base.content.about

    def items(lines):
        return "".join(f"<li>{escape(x)}</li>" for x in lines)

    about = "".join(
        f"<p><strong>{t}.</strong> {escape(v)}</p>"
        for t, v in (("What it is for", a.purpose), ("Who it is for", a.audience), ("Limits", a.limitations),
                     ("Funding", a.funding),
                     ("Updates", f"{a.update_policy} Evidence last reviewed: {_base.rules.evidence_date:%d %B %Y}."),
                     ("Privacy", "Nothing you enter is saved, logged or sent anywhere. The choices live only in "
                                 "this page's address, so you can bookmark or share it.")))
    if stale:
        about += '<p class="warn"><strong>The evidence may be out of date.</strong></p>'
    glossary = "".join(f"<dt>{escape(t)}</dt><dd>{escape(m)}</dd>" for t, m in c.glossary.items())
    return (
        "<style>.ref2{display:flex;flex-wrap:wrap;gap:0.8rem}.ref2 section{flex:1 1 18rem;border:2px solid #000;"
        "border-radius:6px;padding:0.5rem 0.8rem}.ref2 section.q{border:1px solid #c8c8c8}.ref2 h4{margin:0.2rem 0}"
        ".refd details{margin:0.5rem 0;border:1px solid #c8c8c8;border-radius:6px;padding:0.4rem 0.7rem}"
        ".refd summary{cursor:pointer;font-weight:600}.refd dt{font-weight:700;margin-top:0.3rem}.refd dd{margin:0}"
        ".refd .warn{border-left:4px solid #E69F00;padding-left:0.4rem}</style>"
        '<div class="ref2"><section aria-label="Get help now"><h4>Get help now if you have</h4>'
        f"<ul>{items(c.urgent_signs)}</ul><p><strong>{escape(c.urgent_call)}</strong></p></section>"
        f'<section class="q" aria-label="Questions to ask"><h4>Questions to ask your care team</h4>'
        f"<ul>{items(c.questions_to_ask)}</ul></section></div>"
        f'<div class="refd"><details><summary>About this tool</summary>{about}'
        '<p><a href="/methods" target="_self">How the numbers were chosen and worked out</a></p></details>'
        f"<details><summary>Words used on this page</summary><dl>{glossary}</dl></details></div>"
    )


def reference(base) -> None:
    """Always at hand: when to get help, questions to ask, about this tool, the glossary."""
    st.html(_reference_html(id(base), evidence.is_stale(base), base))
