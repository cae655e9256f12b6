"""HTML for the summary: a real table (options as columns, the patient's top goals as rows).

Wide screens show the five options side by side; narrow ones (a phone) stack
each row's options, each cell naming its option and the blood-thinners-alone
figure beside it. Every string from data or input is escaped; no scripts.
"""

from __future__ import annotations

from html import escape

from . import icon_array as ia
from .html_views import provenance_details, with_glossary
from .summary import Summary, SummaryCell

CSS = """
<style>
.sumx{--line:#c8c8c8;--muted:#4d4d4d;font-size:0.9rem;color:#1a1a1a}
.sumx table{border-collapse:separate;border-spacing:0.3rem 0.25rem;width:100%;table-layout:fixed;margin:0 -0.3rem}
.sumx th,.sumx td{vertical-align:top;text-align:left;border:1px solid var(--line);border-radius:6px;padding:0.3rem 0.4rem}
.sumx thead th{font-size:0.85rem;background:#fff}
.sumx thead th.ref,.sumx td.ref{background:#f3f6fa}
.sumx .greyed{background:#f0f0f0;color:#404040}
.sumx th .st{display:block;font-weight:600;font-size:0.75rem;margin-top:0.1rem}
.sumx th.st-no_evidence .st{border-left:3px dashed #000;padding-left:0.25rem}
.sumx th.st-contraindicated .st{border-left:5px double #000;padding-left:0.25rem}
.sumx th.st-one_group .st{border-left:3px dotted #000;padding-left:0.25rem}
.sumx th.st-indirect .st{border-left:3px solid #000;padding-left:0.25rem}
.sumx tbody th{border:none;padding:0.5rem 0 0;font-size:0.95rem}
.sumx tbody th .hz{font-weight:400;color:var(--muted);font-size:0.8rem}
.sumx td img{float:left;margin:0.1rem 0.35rem 0.1rem 0}
.sumx td p{margin:0;line-height:1.25;font-size:0.82rem}
.sumx td .n{font-weight:700}
.sumx td .rg,.sumx td .nt{color:var(--muted)}
.sumx .on{display:none;font-weight:700}
.sumx details{clear:both;font-size:0.76rem;margin-top:0.15rem}
.sumx summary{cursor:pointer;color:#005a8c;text-decoration:underline}
.sumx details dl{margin:0.2rem 0;display:grid;grid-template-columns:auto 1fr;gap:0.1rem 0.4rem}
.sumx details dt{font-weight:600}.sumx details dd{margin:0}
.sumx details p{margin:0.15rem 0}
.sumx th details{font-weight:400}
.sumx .fold{margin:0.4rem 0 0;font-size:0.85rem}
.sumx a{color:#005a8c}
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


def _cell(c: SummaryCell, per: int, outcome_id: str) -> str:
    classes = ("ref " if c.option_id == "anticoagulation" else "") + ("greyed" if c.greyed else "")
    attrs = f' class="{classes.strip()}" data-option="{escape(c.option_id)}" data-outcome="{escape(outcome_id)}"'
    name = f'<span class="on">{escape(c.short)}: </span>'
    if c.greyed:
        return f'<td{attrs}><p>{name}<span class="nt">See the heading of this column.</span></p></td>'
    if c.headline is not None:
        pic = c.detail.pictures[0]
        img = ia.img(pic.counts, pic.label, cell=4.0)
        rng = f'<p class="rg">{escape(c.range_text)}</p>' if c.range_text else ""
        one = f'<p class="nt">{escape(c.note)}</p>' if c.note else ""
        body = f'{img}<p>{name}<span class="n">{escape(c.headline)}</span></p>{rng}{one}'
    else:
        body = f"<p>{name}{escape(c.words or '')}</p>"
    more = provenance_details(c.detail, summary_text="More about this") if c.detail is not None else ""
    return f"<td{attrs}>{body}{more}</td>"


def summary_html(s: Summary, glossary: dict[str, str]) -> str:
    heads = []
    for col in s.columns:
        cls = f"st-{col.status}" + (" ref" if col.option_id == "anticoagulation" else "") + (" greyed" if col.greyed else "")
        why = ""
        if col.reasons:  # said once: the first sentence, and the rest one click away
            first, _, rest = col.reasons[0].partition(". ")
            first = first.rstrip(".") + "."
            more = [rest, *col.reasons[1:]] if rest else col.reasons[1:]
            why = (f"<details><summary>{escape(first)}</summary>{''.join(f'<p>{escape(r)}</p>' for r in more)}"
                   "</details>") if more else f"<p>{escape(first)}</p>"
        heads.append(f'<th scope="col" class="{cls}" data-option="{escape(col.option_id)}">'
                     f'{with_glossary(col.name, glossary)}<span class="st">{escape(col.badge)}</span>{why}</th>')
    body = []
    for row in s.rows:
        label = (f'<th scope="row" colspan="5">{with_glossary(row.label, glossary)} '
                 f'<span class="hz">({escape(row.horizon_note.lower())})</span></th>')
        cells = "".join(_cell(c, s.per, row.outcome_id) for c in row.cells)
        body.append(f'<tr class="lab" data-outcome="{escape(row.outcome_id)}">{label}</tr>'
                    f'<tr data-outcome="{escape(row.outcome_id)}">{cells}</tr>')
    fold = ""
    if s.folded:
        names = ", ".join(escape(label.lower()) for label, _ in s.folded)
        said = "".join(f"<p><strong>{escape(label)}:</strong> {escape(' '.join(why))}</p>" for label, why in s.folded)
        fold = f'<details class="fold"><summary>No checked figures yet for: {names}</summary>{said}</details>'
    caption = (f"<caption class='sr'>What matters most to you, for each option: people out of {s.per:,}. "
               "Every option in a row is compared with the same blood-thinners-alone figure.</caption>")
    return (f'{CSS}<div class="sumx" aria-label="Summary"><table>{caption}<thead><tr>{"".join(heads)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>{fold}</div>')
