"""Parts of the consult screen that are words: decision, statuses, cards, guidelines, help."""

from __future__ import annotations

from html import escape

import streamlit as st

from sdm import evidence, grid, handout, html_views
from sdm.chart_note import chart_note
from sdm.models import LIKE_KEYS

LIKE_TITLES = {
    "procedure_day": "The day of treatment",
    "hospital_stay": "Hospital stay and checks",
    "access_site": "Where the tube goes in",
    "blood_thinners_after": "Blood thinners afterwards",
    "follow_up": "Follow-up scans and visits",
    "back_to_normal": "Getting back to normal",
}


def decision(content) -> None:
    st.markdown(f"**{content.decision}** {content.foundation}")
    st.info(content.not_advice, icon=":material/info:")


def warnings(result) -> None:
    for w in result.warnings:
        st.warning(w, icon=":material/warning:")


def option_strip(result, base) -> None:
    """Every option, always in the same order, with its status in words (never a rank)."""
    glossary = base.content.glossary
    cards = []
    for opt in result.options:
        name = base.content.options[opt.id].name
        badge = grid.STATUS_BADGE[opt.status]
        reasons = "".join(f"<li>{escape(r)}</li>" for r in opt.reasons[:4])
        cards.append(
            f'<div class="oc st-{opt.status}" data-option="{opt.id}" data-status="{opt.status}">'
            f"<div class='on'>{html_views.with_glossary(name, glossary)}</div>"
            + (f"<div class='ob'>{escape(badge)}</div>" if badge else "<div class='ob ok'>Studied in people like this</div>")
            + (f"<ul>{reasons}</ul>" if reasons else "")
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
        ".ostrip ul{margin:0.2rem 0 0 1rem;padding:0}.ostrip li{margin:0.1rem 0}</style>"
        f'<div class="ostrip" aria-label="The five options">{"".join(cards)}</div>'
    )


def option_cards(result, base) -> None:
    st.subheader("What each option is like")
    tabs = st.tabs([opt.short for opt in result.options])
    for tab, opt in zip(tabs, result.options, strict=True):
        text = base.content.options[opt.id]
        with tab:
            st.markdown(f"**{text.name}.** {text.plain}")
            for key in LIKE_KEYS:
                st.markdown(f"**{LIKE_TITLES[key]}.** {text.like[key]}")


def guidelines(result) -> None:
    st.subheader("What guidelines say")
    st.caption("These are the guidelines' own positions, in our words. They are not this tool's advice.")
    if not result.guidelines:
        st.markdown("No guideline statement that we could check covers this situation.")
    for g in result.guidelines:
        caveat = " *(Secondary source: read in a summary, not in the guideline itself.)*" if g.secondary_source else ""
        link = f" [doi:{g.doi}](https://doi.org/{g.doi})" if g.doi else ""
        st.markdown(f"- {g.statement} **Strength:** {g.strength}. **Certainty:** {g.certainty}. "
                    f"*{g.reference}*{link}{caveat}")


def take_home(result, base, per: int, before=None, after=None, role=None) -> None:
    st.subheader("Take it home")
    st.caption("The handout is made when you click, and nothing is kept after you close the page.")
    lines = handout.readiness_lines(before, after, role)
    c1, c2 = st.columns(2)
    with c1:
        st.download_button("Download the handout (PDF)", data=lambda: handout.render(result, base, per=per, readiness=lines),
                           file_name="dvt-treatment-choices.pdf", mime="application/pdf", icon=":material/download:",
                           on_click="ignore")
    with c2, st.expander("Note for the medical record"):
        st.code(chart_note(result, base), language=None)


def help_and_questions(content) -> None:
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("#### :material/emergency: Get help now if you have")
        for s in content.urgent_signs:
            st.markdown(f"- {s}")
    with right, st.container(border=True):
        st.markdown("#### Questions to ask your care team")
        for q in content.questions_to_ask:
            st.markdown(f"- {q}")


def about(base) -> None:
    a = base.content.about
    with st.expander("About this tool"):
        st.markdown(f"**What it is for.** {a.purpose}")
        st.markdown(f"**Who it is for.** {a.audience}")
        st.markdown(f"**Limits.** {a.limitations}")
        st.markdown(f"**Funding.** {a.funding}")
        st.markdown(f"**Updates.** {a.update_policy} Evidence last reviewed: {base.rules.evidence_date:%d %B %Y}.")
        if evidence.is_stale(base):
            st.warning("The evidence may be out of date.")
        st.markdown("**Privacy.** Nothing you enter is saved, logged or sent anywhere. "
                    "The choices live only in this page's address, so you can bookmark or share it.")
        st.page_link("app_pages/methods.py", label="How the numbers were chosen and worked out", icon=":material/menu_book:")
    with st.expander("Words used on this page"):
        for term, meaning in base.content.glossary.items():
            st.markdown(f"**{term}**: {meaning}")
