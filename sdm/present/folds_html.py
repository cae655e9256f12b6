"""HTML for the consult page's sections that are only words, as <details> folds (opening one needs no rerun):
what each option is like, what guidelines say, and the reference block at the page's foot (when to get help,
questions to ask, about this tool, the glossary).

Evidence text goes through safe_text.plain, then html.escape; the page's words come from the catalogue `cat`.
The page marks each block with its language (`<div lang=...>`)."""

from __future__ import annotations

from html import escape

from babel.dates import format_date

from ..evidence.models import LIKE_KEYS
from ..evidence.safe_text import doi_url, plain
from ..words import i18n

FOLDS_CSS = ("<style>.refd details{margin:0.5rem 0;border:1px solid #c8c8c8;border-radius:6px;padding:0.4rem 0.7rem}"
             ".refd summary{cursor:pointer;font-weight:600}</style>")


def options(base, cat: i18n.Catalogue) -> str:
    """What each option is like: one card per option, side by side (the same for every patient). Drawn in a block
    of its own right below the results' guidelines fold."""
    return (
        FOLDS_CSS + "<style>.lks{display:flex;flex-wrap:wrap;gap:0.6rem}.lks .lk{flex:1 1 13rem;"
        "border:1px solid #c8c8c8;border-radius:6px;padding:0.5rem 0.6rem;font-size:0.86rem}"
        ".lks h4{font-size:0.95rem;margin:0 0 0.3rem}.lks p{margin:0.25rem 0;line-height:1.35}"
        ".refd.below{margin-top:-1rem}</style>"  # as close to the guidelines' fold above as if in one block
        f'<div class="refd below"><details><summary>{escape(cat.t("ui.details.like_title"))}</summary>'
        f"<p>{escape(plain(base.content.foundation))}</p>{_cards(base, cat)}</details></div>")


def guidelines(guidelines, cat: i18n.Catalogue) -> str:
    """What guidelines say for this situation."""
    return (
        FOLDS_CSS + "<style>.refd .cap{color:#4d4d4d;font-size:0.9rem}</style>"
        f"<div class=\"refd\"><details><summary>"
        f"{escape(cat.t('ui.details.guidelines_title', n=cat.number(len(guidelines))))}"
        f'</summary><p class="cap">{escape(cat.t("ui.details.guidelines_caption"))}</p>'
        f"{_guideline_items(guidelines, cat)}</details></div>")


def reference(base, cat: i18n.Catalogue, stale: bool) -> str:
    """When to get help and questions to ask, side by side; about this tool and the glossary, folded. `stale`: the
    evidence is past its review date, which About says."""
    c, a = base.content, base.content.about
    t = cat.t

    def items(lines):
        return "".join(f"<li>{escape(x)}</li>" for x in lines)

    reviewed = format_date(base.rules.evidence_date, format=t("ui.reference.date_pattern"),
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
    return (
        "<style>.ref2{display:flex;flex-wrap:wrap;gap:0.8rem}.ref2 section{flex:1 1 18rem;border:2px solid #000;"
        "border-radius:6px;padding:0.5rem 0.8rem}.ref2 section.q{border:1px solid #c8c8c8}.ref2 h4{margin:0.2rem 0}"
        "</style>" + FOLDS_CSS + "<style>.refd dt{font-weight:700;margin-top:0.3rem}.refd dd{margin:0}"
        ".refd .warn{border-left:4px solid #E69F00;padding-left:0.4rem}</style>"
        f'<div class="ref2"><section aria-label="{escape(t("ui.reference.help_label"))}">'
        f"<h4>{escape(t('ui.reference.help_heading'))}</h4>"
        f"<ul>{items(c.urgent_signs)}</ul><p><strong>{escape(c.urgent_call)}</strong></p></section>"
        f'<section class="q" aria-label="{escape(t("ui.reference.questions_label"))}">'
        f"<h4>{escape(t('ui.reference.questions_heading'))}</h4>"
        f"<ul>{items(c.questions_to_ask)}</ul></section></div>"
        f'<div class="refd"><details><summary>{escape(t("ui.reference.about"))}</summary>{about}'
        f'<p><a href="/methods" target="_self">{escape(t("ui.reference.methods_link"))}</a></p></details>'
        f"<details><summary>{escape(t('ui.reference.glossary'))}</summary><dl>{glossary}</dl></details></div>")


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
        link = (f' <a href="{doi_url(g.doi)}" target="_blank" rel="noopener noreferrer">'
                f"doi:{escape(g.doi)}</a>") if g.doi else ""
        caveat = f" <em>{escape(cat.t('ui.details.secondary'))}</em>" if g.secondary_source else ""
        items.append(f"<li>{escape(plain(g.statement))} <strong>{escape(cat.t('ui.details.strength'))}:</strong> "
                     f"{escape(plain(g.strength))}. <strong>{escape(cat.t('ui.details.certainty'))}:</strong> "
                     f"{escape(plain(g.certainty))}. <em>{escape(plain(g.reference))}</em>{link}{caveat}</li>")
    return f"<ul>{''.join(items)}</ul>"
