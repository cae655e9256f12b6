"""Parts of the consult screen that are words: decision, cards, guidelines, take-home, help.

Evidence text is text: it reaches markdown only through sdm.evidence.safe_text.markdown (md) and HTML only through
html.escape, so an image, link or tag written in a data file shows as the characters typed. The page's own
words come from the catalogue of the session's language (`cat`); `base` is the evidence base in that language
(sdm.evidence.translate.localise), except where a function says it needs the English one."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import quote

import streamlit as st
from babel.dates import format_date

from sdm.evidence import loader as evidence
from sdm.evidence.models import LIKE_KEYS
from sdm.evidence.safe_text import markdown as md
from sdm.evidence.safe_text import plain
from sdm.outputs import handout
from sdm.outputs.chart_note import chart_note
from sdm.words import i18n

from . import lang, lazy
from .memo import memo


def decision(content, cat: i18n.Catalogue) -> None:
    """The decision in a sentence, that blood thinners are the base, and that the page does not choose."""
    base_line = content.foundation.split(". ")[0].rstrip(".") + "."
    lang.markdown(f"**{md(content.decision)}** {md(base_line)} *{md(content.not_advice)}*", cat)


def goals_line(result, cat: i18n.Catalogue) -> None:
    """Without goals the summary has no rows: say where to pick them."""
    if not result.scenario.goals:
        lang.caption(cat.t("ui.consult.pick_goals"), cat)


def warnings(result) -> None:
    for w in result.warnings:
        st.warning(md(w), icon=":material/warning:")


# Folded sections drawn as the page's own HTML (<details>): opening one needs no rerun.
_FOLDS_CSS = ("<style>.refd details{margin:0.5rem 0;border:1px solid #c8c8c8;border-radius:6px;padding:0.4rem 0.7rem}"
              ".refd summary{cursor:pointer;font-weight:600}</style>")


def _cards(base, cat: i18n.Catalogue) -> str:
    """One card per option, side by side, in the project's own words."""
    cards = []
    for opt in base.vocabulary.options:
        text = base.content.options[opt.id]
        items = "".join(f"<p><strong>{escape(cat.t(f'ui.like.{k}'))}.</strong> {escape(text.like[k])}</p>"
                        for k in LIKE_KEYS)
        cards.append(f'<article class="lk" aria-label="{escape(text.name)}"><h4>{escape(text.name)}</h4>'
                     f"<p>{escape(text.plain)}</p>{items}</article>")
    return f'<div class="lks">{"".join(cards)}</div>'


def _guideline_items(guidelines, cat: i18n.Catalogue) -> str:
    if not guidelines:
        return f"<p>{escape(cat.t('ui.details.no_guideline'))}</p>"
    items = []
    for g in guidelines:
        link = (f' <a href="https://doi.org/{quote(g.doi, safe="/")}" target="_blank" rel="noopener noreferrer">'
                f"doi:{escape(g.doi)}</a>") if g.doi else ""
        caveat = f" <em>{escape(cat.t('ui.details.secondary'))}</em>" if g.secondary_source else ""
        items.append(f"<li>{escape(plain(g.statement))} <strong>{escape(cat.t('ui.details.strength'))}:</strong> "
                     f"{escape(plain(g.strength))}. <strong>{escape(cat.t('ui.details.certainty'))}:</strong> "
                     f"{escape(plain(g.certainty))}. <em>{escape(plain(g.reference))}</em>{link}{caveat}</li>")
    return f"<ul>{''.join(items)}</ul>"


@memo(256)
def _details_html(guideline_ids: tuple[str, ...], base_id: int, lang_code: str, _result, _base) -> str:
    """What each option is like, and what guidelines say for this situation: two folds, one block (built once per
    set of guideline statements and language)."""
    cat = i18n.catalogue(lang_code)
    return lang.wrap(
        _FOLDS_CSS + "<style>.lks{display:flex;flex-wrap:wrap;gap:0.6rem}.lks .lk{flex:1 1 13rem;"
        "border:1px solid #c8c8c8;border-radius:6px;padding:0.5rem 0.6rem;font-size:0.86rem}"
        ".lks h4{font-size:0.95rem;margin:0 0 0.3rem}.lks p{margin:0.25rem 0;line-height:1.35}"
        ".refd .cap{color:#4d4d4d;font-size:0.9rem}</style>"
        f'<div class="refd"><details><summary>{escape(cat.t("ui.details.like_title"))}</summary>'
        f"<p>{escape(plain(_base.content.foundation))}</p>{_cards(_base, cat)}</details>"
        f"<details><summary>{escape(cat.t('ui.details.guidelines_title', n=cat.number(len(guideline_ids))))}"
        f'</summary><p class="cap">{escape(cat.t("ui.details.guidelines_caption"))}</p>'
        f"{_guideline_items(_result.guidelines, cat)}</details></div>", cat)


def details(result, base, cat: i18n.Catalogue) -> str:
    """What each option is like, and what guidelines say: one click away, below the numbers (HTML to show)."""
    return _details_html(tuple(g.id for g in result.guidelines), id(base), cat.lang, result, base)


def take_home(result, english, per: int, cat: i18n.Catalogue, before=None, after=None, role=None) -> None:
    """The handout (in the result's language, result.scenario.lang) and the chart note (always English).

    `english` is the English evidence base: sdm.outputs.handout and the chart note localise from it themselves."""
    lines = handout.readiness_lines(before, after, role, cat=cat)
    st.download_button(cat.t("ui.take_home.download"),
                       data=lambda: handout.render_for_download(result, english, per=per, readiness=lines),
                       file_name=cat.t("ui.take_home.file_name"), mime="application/pdf",
                       icon=":material/download:", on_click="ignore", help=cat.t("ui.take_home.caption"))
    box, is_open = lazy.expander(cat.t("ui.take_home.note_title"), "open_note")
    if is_open:
        box.code(_note(result.scenario.model_dump_json(), date.today().isoformat(), id(english), result, english),
                 language=None)


@memo(256)
def _note(scenario_json: str, day: str, base_id: int, _result, _english) -> str:
    """The chart note, in English whatever the patient's language (same scenario, same numbers)."""
    return chart_note(_result, _english)


@memo(16)
def _reference_html(base_id: int, stale: bool, lang_code: str, _base) -> str:
    """Help, questions, about and glossary in one static block (built once per evidence base and language)."""
    cat = i18n.catalogue(lang_code)
    c, a = _base.content, _base.content.about
    t = cat.t

    def items(lines):
        return "".join(f"<li>{escape(x)}</li>" for x in lines)

    reviewed = format_date(_base.rules.evidence_date, format=t("ui.reference.date_pattern"),
                           locale=i18n.BABEL_LOCALE[cat.lang])
    about = "".join(
        f"<p><strong>{escape(head)}.</strong> {escape(text)}</p>"
        for head, text in ((t("ui.reference.purpose"), a.purpose), (t("ui.reference.audience"), a.audience),
                           (t("ui.reference.limits"), a.limitations), (t("ui.reference.funding"), a.funding),
                           (t("ui.reference.updates"), t("ui.reference.updates_text", policy=a.update_policy,
                                                         date=reviewed)),
                           (t("ui.reference.privacy"), t("ui.reference.privacy_text")),
                           (t("ui.reference.translation"), a.translation_note)))
    if cat.lang != i18n.DEFAULT:  # the pages that stay English say so in the patient's language
        about += f"<p>{escape(t('ui.language.english_pages'))}</p>"
    if stale:
        about += f'<p class="warn"><strong>{escape(t("ui.reference.stale"))}</strong></p>'
    glossary = "".join(f"<dt>{escape(term)}</dt><dd>{escape(m)}</dd>" for term, m in c.glossary.items())
    return lang.wrap(
        "<style>.ref2{display:flex;flex-wrap:wrap;gap:0.8rem}.ref2 section{flex:1 1 18rem;border:2px solid #000;"
        "border-radius:6px;padding:0.5rem 0.8rem}.ref2 section.q{border:1px solid #c8c8c8}.ref2 h4{margin:0.2rem 0}"
        "</style>" + _FOLDS_CSS + "<style>.refd dt{font-weight:700;margin-top:0.3rem}.refd dd{margin:0}"
        ".refd .warn{border-left:4px solid #E69F00;padding-left:0.4rem}</style>"
        f'<div class="ref2"><section aria-label="{escape(t("ui.reference.help_label"))}">'
        f"<h4>{escape(t('ui.reference.help_heading'))}</h4>"
        f"<ul>{items(c.urgent_signs)}</ul><p><strong>{escape(c.urgent_call)}</strong></p></section>"
        f'<section class="q" aria-label="{escape(t("ui.reference.questions_label"))}">'
        f"<h4>{escape(t('ui.reference.questions_heading'))}</h4>"
        f"<ul>{items(c.questions_to_ask)}</ul></section></div>"
        f'<div class="refd"><details><summary>{escape(t("ui.reference.about"))}</summary>{about}'
        f'<p><a href="/methods" target="_self">{escape(t("ui.reference.methods_link"))}</a></p></details>'
        f"<details><summary>{escape(t('ui.reference.glossary'))}</summary><dl>{glossary}</dl></details></div>", cat)


def reference(base, cat: i18n.Catalogue) -> None:
    """Always at hand: when to get help, questions to ask, about this tool, the glossary."""
    lang.show(_reference_html(id(base), evidence.is_stale(base), cat.lang, base))
