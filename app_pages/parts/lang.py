"""The language of the patient's side: per session, from the switch or the link; its words; its lang marks.

The choice lives in this session only (st.session_state and the page's address, `?lang=es`), never in a
module-level value: two people using the tool at once each see their own language. The words come from
sdm.words.i18n's catalogues (data/locales/<lang>/), the evidence text from sdm.evidence.translate's localised base.

Marking the language (lang="es") so screen readers switch voice: Streamlit 1.67 lets a page mark HTML and
markdown only. st.html blocks are wrapped in <div lang="es">, markdown and captions in a <div>/<span>
with lang="es" (st.markdown and st.caption with unsafe_allow_html; everything put inside is catalogue text
or evidence text made safe by sdm.evidence.safe_text.markdown, which escapes every "<"), and headings are drawn as
markdown headings inside it. What Streamlit cannot mark: widget labels, options and help tooltips,
expander titles, alerts (st.warning, st.info, st.error), buttons, the page title in the browser tab,
navigation links and chart text. Those are read with the page's own language (<html lang="en">).
"""

from __future__ import annotations

import streamlit as st

from sdm.words import i18n

from . import state

KEY = state.LANG  # the switch's widget key
current = state.language  # this session's language


def catalogue(lang: str | None = None) -> i18n.Catalogue:
    return i18n.catalogue(lang or current())


def _marked(cat: i18n.Catalogue) -> bool:
    return cat.lang != i18n.DEFAULT


def markdown(text: str, cat: i18n.Catalogue, where=st) -> None:
    """Markdown (catalogue text, or evidence text through safe_text.markdown), marked with its language."""
    if _marked(cat):
        where.markdown(f'<div lang="{i18n.HTML_LANG[cat.lang]}">\n\n{text}\n\n</div>', unsafe_allow_html=True)
    else:
        where.markdown(text)


def caption(text: str, cat: i18n.Catalogue, where=st) -> None:
    if _marked(cat):
        where.caption(f'<span lang="{i18n.HTML_LANG[cat.lang]}">{text}</span>', unsafe_allow_html=True)
    else:
        where.caption(text)


def heading(text: str, level: int, cat: i18n.Catalogue, where=st) -> None:
    """st.title (1), st.header (2) or st.subheader (3); the same heading in markdown when it must carry lang."""
    if _marked(cat):
        markdown("#" * level + " " + text, cat, where)
    else:
        (where.title, where.header, where.subheader)[level - 1](text)


class Built(str):
    """HTML this app built itself: evidence text escaped, markup of its own, no indentation to take away.

    st.html hands a plain string to textwrap.dedent before sending it, which costs more than building a
    50 KB summary (1.5 ms a call, measured here); an object's _repr_html_ is sent as it is. Same text either way."""

    def _repr_html_(self) -> str:
        return str(self)


def show(body: str, where=st) -> None:
    """st.html for HTML the app built (see Built)."""
    where.html(Built(body))


def html(body: str, cat: i18n.Catalogue, where=st) -> None:
    show(wrap(body, cat), where)


def wrap(body: str, cat: i18n.Catalogue) -> str:
    return f'<div lang="{i18n.HTML_LANG[cat.lang]}">{body}</div>' if _marked(cat) else body


def english_only_notice() -> None:
    """On a page that stays English, say so in the patient's language when it is not English."""
    cat = catalogue()
    if _marked(cat):
        html('<p style="border-left:4px solid #0072B2;padding:0.3rem 0.6rem;margin:0">'
             f"{cat.t('ui.language.this_page')}</p>", cat)
