"""HTML for the comparison grid and the option strip (inline, no scripts).

Every string from data or input is escaped. The layout wraps on narrow
screens instead of scrolling sideways: each box repeats its option's name.
"""

from __future__ import annotations

from html import escape

from ..words import i18n
from . import icon_array as ia
from .grid import Cell, Row

CSS = """
<style>
.sdm{--ink:#1a1a1a;--muted:#4d4d4d;--line:#d0d0d0;--ref:#f3f6fa;font-size:0.95rem;color:var(--ink)}
.sdm h3{font-size:1.05rem;margin:0.2rem 0 0.1rem}
.sdm .hz{color:var(--muted);font-size:0.85rem;margin:0 0 0.4rem}
.sdm .row{border-top:2px solid var(--line);padding:0.6rem 0 0.8rem}
.sdm .cells{display:flex;flex-wrap:wrap;gap:0.5rem}
.sdm .cell{flex:1 1 8.6rem;min-width:8.6rem;max-width:100%;border:1px solid var(--line);border-radius:6px;
  padding:0.45rem;box-sizing:border-box;background:#fff}
.sdm .cell.ref{background:var(--ref)}
.sdm .cell.st-no_evidence,.sdm .cell.st-contraindicated{background:#f0f0f0;color:#404040}
.sdm .cell.st-no_evidence .pics,.sdm .cell.st-contraindicated .pics{opacity:0.55}
.sdm .opt{font-weight:700;font-size:0.9rem}
.sdm .badge{display:inline-block;font-size:0.75rem;font-weight:600;border:1px solid #000;border-radius:3px;
  padding:0 0.3rem;margin:0.15rem 0;background:#fff}
.sdm .badge.st-contraindicated{border-style:double;border-width:3px}
.sdm .badge.st-no_evidence{border-style:dashed}
.sdm .pics{display:flex;flex-wrap:wrap;gap:0.4rem;margin:0.3rem 0}
.sdm figure{margin:0}
.sdm figcaption{font-size:0.72rem;color:var(--muted);max-width:9rem}
.sdm p{margin:0.15rem 0;font-size:0.84rem;line-height:1.3}
.sdm .big{font-weight:700}
.sdm .cert{color:var(--muted)}
.sdm .sec{font-weight:700;border-left:4px solid #E69F00;padding-left:0.3rem}
.sdm details{font-size:0.8rem;margin-top:0.25rem}
.sdm summary{cursor:pointer;color:#005a8c;text-decoration:underline}
.sdm dl{margin:0.2rem 0;display:grid;grid-template-columns:auto 1fr;gap:0.1rem 0.4rem}
.sdm dt{font-weight:600}
.sdm dd{margin:0}
.sdm .legend{font-size:0.78rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:0.2rem 1.2rem;margin:0.3rem 0}.sdm .legend span{display:inline-flex;align-items:center;gap:0.3rem}
.sdm .legend img{vertical-align:middle}
.sdm a{color:#005a8c}
</style>
"""


def with_glossary(text: str, glossary: dict[str, str]) -> str:
    """Escape text, and mark glossary terms written in brackets, e.g. "(PTS)", with a hover definition."""
    out = escape(text)
    for term, meaning in glossary.items():
        token = f"({escape(term)})"
        if token in out:
            out = out.replace(token, f'(<abbr title="{escape(meaning)}">{escape(term)}</abbr>)')
    return out


def _cat(lang: str | None) -> i18n.Catalogue:
    return i18n.catalogue(lang or i18n.DEFAULT)


def legend(per: int, cat: i18n.Catalogue | None = None) -> str:
    cat = cat or _cat(None)
    items = []
    for kind in ia.CATEGORIES:
        k = ia.IconCounts(**{c: (1 if c == kind else 0) for c in ia.CATEGORIES})
        items.append(f'<span>{ia.img(k, "", cell=12)} {escape(cat.t(f"grid.legend.{kind}"))}</span>')
    return (
        f'<div class="legend" aria-label="{escape(cat.t("grid.legend.label"))}"><span><strong>'
        f'{escape(cat.t("grid.legend.each", n=cat.number(per)))}'
        f"</strong></span>{''.join(items)}</div>"
    )


def _secondary(cat: i18n.Catalogue) -> str:
    return f'<p class="sec">{escape(cat.t("grid.details.secondary"))}</p>'


def provenance_details(c: Cell, summary_text: str | None = None) -> str:
    """Everything behind a figure, one click away: for the summary, also its time frame, certainty and caveats."""
    if summary_text is None:
        return _provenance(c)
    cat = _cat(c.lang)
    head = []
    if c.horizon:
        head.append(f"<p><strong>{escape(cat.t('grid.details.time_frame'))}</strong> {escape(c.horizon)}.</p>")
    if c.words[1:]:
        head += [f"<p>{escape(x)}</p>" for x in c.words]
    if c.certainty:
        head.append(f"<p><strong>{escape(cat.t('grid.details.how_sure'))}</strong> {escape(c.certainty)}</p>")
    if c.secondary:
        head.append(_secondary(cat))
    inner = _provenance(c, wrap=False)
    return f"<details><summary>{escape(summary_text)}</summary>{''.join(head)}{inner}</details>"


def _bold(text: str) -> str:
    return f"<p><strong>{escape(text)}</strong></p>"


def _provenance(c: Cell, wrap: bool = True) -> str:
    if not c.sources:
        return ""
    cat = _cat(c.lang)

    def term(key: str) -> str:
        return escape(cat.t(f"grid.details.{key}"))

    parts = []
    for p in c.sources:
        link = (f'<a href="{escape(p.link)}" target="_blank" rel="noopener">{escape(p.link)}</a>' if p.link
                else term("no_link"))
        parts.append(
            f"<dl><dt>{term('study')}</dt><dd>{escape(p.citation)}</dd><dt>{term('link')}</dt><dd>{link}</dd>"
            f"<dt>{term('design')}</dt><dd>{escape(p.design)}</dd>"
            f"<dt>{term('people')}</dt><dd>{escape(p.patients)}</dd>"
            f"<dt>{term('follow_up')}</dt><dd>{escape(p.follow_up)}</dd>"
            f"<dt>{term('who')}</dt><dd>{escape(p.population)}</dd>"
            f"<dt>{term('funding')}</dt><dd>{escape(p.sponsorship)}</dd>"
            f"<dt>{term('checked')}</dt><dd>{escape(p.verification)}</dd></dl>"
        )
    extra = ""
    if c.arithmetic:
        extra += _bold(cat.t("grid.details.arithmetic")) + "".join(f"<p>{escape(a)}</p>" for a in c.arithmetic)
    if c.range_note:
        extra += f"<p>{escape(cat.t('grid.details.range', note=c.range_note))}</p>"
    if c.reasons and (c.pictures or c.finding):
        extra += _bold(cat.t("grid.details.why_not_exact")) + "".join(f"<p>{escape(r)}</p>" for r in c.reasons)
    if c.others:
        extra += _bold(cat.t("grid.details.others")) + "".join(f"<p>{escape(o)}</p>" for o in c.others)
    if c.context:
        extra += _bold(cat.t("grid.details.over_time")) + "".join(f"<p>{escape(o)}</p>" for o in c.context)
    names = escape(cat.t("grid.details.source", names=", ".join(s.source_id for s in c.sources)))
    if not wrap:
        return f"<p><strong>{names}</strong></p>{''.join(parts)}{extra}"
    return f"<details><summary>{names}</summary>{''.join(parts)}{extra}</details>"


def cell_html(c: Cell, outcome_id: str) -> str:
    cat = _cat(c.lang)
    classes = f"cell st-{c.status}" + (" ref" if c.option_id == "anticoagulation" else "")
    badge = f'<div class="badge st-{c.status}">{escape(c.badge)}</div>' if c.badge else ""
    body = []
    if c.pictures:
        figs = []
        for pic in c.pictures:
            figs.append(f"<figure>{ia.img(pic.counts, pic.label)}<figcaption>{escape(pic.caption)}</figcaption></figure>")
        body.append(f'<div class="pics">{"".join(figs)}</div>')
        body.append(f'<p class="big">{escape(c.words[0])}</p>')
        body += [f"<p>{escape(x)}</p>" for x in c.words[1:]]
        if c.horizon:
            body.append(f"<p>{escape(cat.t('grid.details.time_frame_sentence', horizon=c.horizon))}</p>")
    elif c.finding:
        body.append(f"<p>{escape(c.finding)}</p>")
        if c.horizon:
            body.append(f"<p>{escape(cat.t('grid.details.time_frame_sentence', horizon=c.horizon))}</p>")
    else:
        body.append(f"<p>{escape(c.empty_text or '')}</p>")
    if c.certainty and (c.pictures or c.finding):
        body.append(f'<p class="cert">{escape(c.certainty)}</p>')
    if c.secondary:
        body.append(_secondary(cat))
    if c.applicability == "indirect" and (c.pictures or c.finding):
        body.append(f'<p class="cert">{escape(cat.t("grid.details.less_direct"))}</p>')
    return (
        f'<div class="{classes}" data-option="{escape(c.option_id)}" data-outcome="{escape(outcome_id)}">'
        f'<div class="opt">{escape(c.option_short)}</div>{badge}{"".join(body)}{_provenance(c)}</div>'
    )


def grid_html(rows: list[Row], per: int, glossary: dict[str, str] | None = None,
              cat: i18n.Catalogue | None = None) -> str:
    """The grid; its words are in the rows' language (or `cat`'s, for an empty list)."""
    cat = cat or _cat(rows[0].lang if rows else None)
    parts = [CSS, f'<div class="sdm" lang="{i18n.HTML_LANG[cat.lang]}">', legend(per, cat)]
    for r in rows:
        cells = "".join(cell_html(c, r.outcome_id) for c in r.cells)
        parts.append(
            f'<section class="row" data-outcome="{escape(r.outcome_id)}" aria-label="{escape(r.label)}">'
            f'<h3>{with_glossary(r.label, glossary or {})}</h3><p class="hz">{escape(r.horizon_note)}</p><div class="cells">{cells}</div></section>'
        )
    parts.append("</div>")
    return "".join(parts)


QUESTIONS_CSS = """
<style>
.qgrid table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:0.85rem}
.qgrid th,.qgrid td{border:1px solid #c8c8c8;padding:0.3rem 0.4rem;vertical-align:top;text-align:left}
.qgrid thead th{background:#f3f6fa}
.qgrid tbody th{font-weight:700;width:16%}
.qgrid .on{display:none;font-weight:700}
@media (max-width:640px){
 .qgrid table,.qgrid thead,.qgrid tbody,.qgrid tr,.qgrid th,.qgrid td{display:block;width:auto}
 .qgrid thead{display:none}
 .qgrid tbody th{background:#f3f6fa;margin-top:0.5rem}
 .qgrid .on{display:inline}
}
</style>
"""


def questions_html(rows: list[dict[str, str]], cat: i18n.Catalogue | None = None) -> str:
    """The question-and-answer table: options as columns on wide screens, stacked under each question on a phone.

    The rows come from sdm.tables.option_grid ("Question" is their key for the question); `cat` gives the
    heading's language (English when not given)."""
    if not rows:
        return ""
    cat = cat or _cat(getattr(rows, "lang", None))
    options = [k for k in rows[0] if k != "Question"]
    head = "".join(f'<th scope="col">{escape(o)}</th>' for o in options)
    body = "".join(
        f'<tr><th scope="row">{escape(r["Question"])}</th>'
        + "".join(f'<td><span class="on">{escape(o)}: </span>{escape(r[o])}</td>' for o in options) + "</tr>"
        for r in rows
    )
    return (f'{QUESTIONS_CSS}<div class="qgrid" lang="{i18n.HTML_LANG[cat.lang]}"><table><thead><tr><th scope="col">'
            f'{escape(cat.t("grid.question"))}</th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
