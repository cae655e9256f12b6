"""HTML for the summary: a real table (options as columns, the patient's top goals as rows).

Wide screens show the five options side by side; narrow ones (a phone) stack
each row's options, each cell naming its option and the blood-thinners-alone
figure beside it. Every string from data or input is escaped; no scripts.
"""

from __future__ import annotations

from html import escape

from ..words import i18n
from . import icon_array as ia
from .html_views import legend, provenance_details, with_glossary
from .summary import Summary, SummaryCell, no_figure

CSS = """
<style>
.sumx{--line:#c8c8c8;--muted:#4d4d4d;font-size:0.9rem;color:#1a1a1a}
.sumx table{border-collapse:separate;border-spacing:0.3rem 0.2rem;width:100%;table-layout:fixed;margin:0 -0.3rem}
.sumx th,.sumx td{vertical-align:top;text-align:left;border:1px solid var(--line);border-radius:6px;padding:0.2rem 0.35rem}
.sumx thead th{font-size:0.85rem;background:#fff}
.sumx thead th.ref,.sumx td.ref{background:#f3f6fa}
.sumx .greyed{background:#f0f0f0;color:#404040}
.sumx th .st{display:block;font-weight:600;font-size:0.75rem;margin-top:0.1rem}
.sumx th details.st summary{color:#1a1a1a;text-decoration:none}
.sumx th details.st[open] summary{text-decoration:underline}
.sumx th .why{font-weight:600;font-size:0.78rem;margin:0.15rem 0 0}
.sumx th.st-no_evidence .st{border-left:3px dashed #000;padding-left:0.25rem}
.sumx th.st-contraindicated .st{border-left:5px double #000;padding-left:0.25rem}
.sumx th.st-one_group .st{border-left:3px dotted #000;padding-left:0.25rem}
.sumx th.st-indirect .st{border-left:3px solid #000;padding-left:0.25rem}
.sumx tbody th{border:none;padding:0.3rem 0 0;font-size:0.93rem}
.sumx tbody th .hz{font-weight:400;color:var(--muted);font-size:0.8rem}
.sumx td img{float:left;margin:0.1rem 0.35rem 0.1rem 0}
.sumx td p{margin:0;line-height:1.22;font-size:0.8rem}
.sumx td .n{font-weight:700}
.sumx td .rg,.sumx td .nt{color:var(--muted)}
.sumx td .n{font-size:1rem}
.sumx td .words{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.sumx td .none{color:var(--muted)}
.sumx tbody th .nf{font-weight:400;font-size:0.8rem}
.sumx td .end{clear:both}
.sumx td .end p{font-size:0.75rem;line-height:1.18}
.sumx .on{display:none;font-weight:700}
.sumx details{clear:both;font-size:0.76rem;margin-top:0.05rem}
.sumx summary{cursor:pointer;color:#005a8c;text-decoration:underline}
.sumx details dl{margin:0.2rem 0}
.sumx details dt{font-weight:600}.sumx details dd{margin:0 0 0.15rem}
.sumx td details,.sumx td details *{font-size:0.74rem;line-height:1.25;overflow-wrap:anywhere}
.sumx details p{margin:0.15rem 0}
.sumx th details{font-weight:400}
.sumx .fold{margin:0.4rem 0 0;font-size:0.85rem}
.sumx a{color:#005a8c}
.sumx .legend{font-size:0.76rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:0.1rem 1rem;margin:0.2rem 0}
.sumx .legend span{display:inline-flex;align-items:center;gap:0.3rem}
.sumx .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:640px){
 .sumx table,.sumx thead,.sumx tbody,.sumx tr,.sumx th,.sumx td{display:block;width:auto}
 .sumx table{margin:0}
 .sumx thead tr{display:flex;flex-wrap:wrap;gap:0.3rem}
 .sumx thead th{flex:1 1 9rem}
 .sumx td{margin:0.25rem 0}
 .sumx .on{display:inline}
}
</style>
"""


def _cell(c: SummaryCell, per: int, outcome_id: str, cat: i18n.Catalogue) -> str:
    classes = ("ref " if c.option_id == "anticoagulation" else "") + ("greyed" if c.greyed else "")
    attrs = f' class="{classes.strip()}" data-option="{escape(c.option_id)}" data-outcome="{escape(outcome_id)}"'
    name = f'<span class="on">{escape(c.short)}: </span>'
    if c.greyed:  # the column's heading says why, once
        return (f'<td{attrs}><p>{name}<span class="none" title="{escape(cat.t("summary.see_heading"))}">–</span>'
                "</p></td>")
    if c.headline is not None:
        pic = c.detail.pictures[0]
        img = ia.img(pic.counts, pic.label, cell=3.0)
        rng = ""  # the range opens the details: see `label` below
        one = f'<p class="nt">{escape(c.note)}</p>' if c.note else ""
        vs = f'<p class="vs">{escape(cat.t("summary.against", versus=c.versus))}</p>' if c.versus else ""
        body = (f'{img}<p><span class="n">{escape(c.number)}</span> <span class="who">{escape(c.who)}</span></p>'
                f'<div class="end">{vs}{rng}{one}</div>')
    elif c.words == no_figure(cat):
        body = f'<p>{name}<span class="none" title="{escape(no_figure(cat))}">–</span></p>'
    else:
        body = f'<p class="words">{name}{escape(c.words or "")}</p>'
    label = cat.t("summary.more_range", range=c.range_text) if c.range_text else cat.t("summary.more_about")
    more = provenance_details(c.detail, summary_text=label) if c.detail is not None else ""
    return f"<td{attrs}>{body}{more}</td>"


def summary_html(s: Summary, glossary: dict[str, str]) -> str:
    """The summary table, in the summary's language."""
    cat = i18n.catalogue(s.lang)
    heads = []
    for col in s.columns:
        cls = f"st-{col.status}" + (" ref" if col.option_id == "anticoagulation" else "") + (" greyed" if col.greyed else "")
        why = ""
        if col.reasons:  # said once, in the column's heading: a greyed column shows why, others one click away
            first, _, rest = col.reasons[0].partition(". ")
            first = first.rstrip(".") + "."
            if col.greyed:  # the first reason stands for the badge, the rest one click away
                more = [rest, *col.reasons[1:]] if rest else col.reasons[1:]
                why = f"<span class='st'>{escape(first)}</span>" + (
                    f"<details><summary>{escape(cat.t('summary.more'))}</summary>"
                    f"{''.join(f'<p>{escape(r)}</p>' for r in more)}</details>"
                    if more else "")
            else:  # the badge opens the reasons
                why = (f"<details class='st'><summary>{escape(col.badge)}</summary>"
                       f"{''.join(f'<p>{escape(r)}</p>' for r in col.reasons)}</details>")
        badge = "" if col.reasons else f'<span class="st">{escape(col.badge)}</span>'
        heads.append(f'<th scope="col" class="{cls}" data-option="{escape(col.option_id)}" '
                     f'data-status="{escape(col.status)}" title="{escape(col.name)}">'
                     f'{with_glossary(col.short, glossary)}{badge}{why}</th>')
    body = []
    for row in s.rows:
        none = [c.short for c in row.cells if c.words == no_figure(cat)]
        nf = (f' <span class="nf">{escape(cat.t("summary.no_figure_for", options=", ".join(none)))}</span>'
              if none else "")
        label = (f'<th scope="row" colspan="5">{with_glossary(row.label, glossary)} '
                 f'<span class="hz">{escape(row.horizon_note)}</span>{nf}</th>')
        cells = "".join(_cell(c, s.per, row.outcome_id, cat) for c in row.cells)
        body.append(f'<tr class="lab" data-outcome="{escape(row.outcome_id)}">{label}</tr>'
                    f'<tr data-outcome="{escape(row.outcome_id)}">{cells}</tr>')
    fold = ""
    if s.folded:
        names = ", ".join(label.lower() for label, _ in s.folded)
        said = "".join(f"<p><strong>{escape(label)}:</strong> {escape(' '.join(why))}</p>" for label, why in s.folded)
        fold = (f'<details class="fold"><summary>{escape(cat.t("summary.folded", outcomes=names))}</summary>'
                f"{said}</details>")
    caption = f"<caption class='sr'>{escape(cat.t('summary.caption', n=cat.number(s.per)))}</caption>"
    return (f'{CSS}<div class="sumx" lang="{i18n.HTML_LANG[cat.lang]}" aria-label="{escape(cat.t("summary.label"))}"><table>{caption}<thead><tr>'
            f'{"".join(heads)}</tr></thead><tbody>{"".join(body)}</tbody></table>{legend(s.per, cat)}{fold}</div>')
