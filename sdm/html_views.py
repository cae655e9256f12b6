"""HTML for the comparison grid and the option strip (inline, no scripts).

Every string from data or input is escaped. The layout wraps on narrow
screens instead of scrolling sideways: each box repeats its option's name.
"""

from __future__ import annotations

from html import escape

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


def _legend(per: int) -> str:
    items = []
    for cat in ia.CATEGORIES:
        k = ia.IconCounts(**{c: (1 if c == cat else 0) for c in ia.CATEGORIES})
        items.append(f'<span>{ia.img(k, "", cell=12)} {escape(ia.LEGEND[cat])}</span>')
    return (
        f'<div class="legend" aria-label="How to read the pictures"><span><strong>Each picture shows {per:,} people.'
        f"</strong></span>{''.join(items)}</div>"
    )


def provenance_details(c: Cell, summary_text: str | None = None) -> str:
    """Everything behind a figure, one click away: for the summary, also its time frame, certainty and caveats."""
    if summary_text is None:
        return _provenance(c)
    head = []
    if c.horizon:
        head.append(f"<p><strong>Time frame:</strong> {escape(c.horizon)}.</p>")
    if c.words[1:]:
        head += [f"<p>{escape(x)}</p>" for x in c.words]
    if c.certainty:
        head.append(f"<p><strong>How sure:</strong> {escape(c.certainty)}</p>")
    if c.secondary:
        head.append('<p class="sec">Secondary source: this figure was read in a summary, not in the paper itself.</p>')
    inner = _provenance(c, wrap=False)
    return f"<details><summary>{escape(summary_text)}</summary>{''.join(head)}{inner}</details>"


def _provenance(c: Cell, wrap: bool = True) -> str:
    if not c.sources:
        return ""
    parts = []
    for p in c.sources:
        link = f'<a href="{escape(p.link)}" target="_blank" rel="noopener">{escape(p.link)}</a>' if p.link else "none"
        parts.append(
            f"<dl><dt>Study</dt><dd>{escape(p.citation)}</dd><dt>Link</dt><dd>{link}</dd>"
            f"<dt>Design</dt><dd>{escape(p.design)}</dd><dt>People</dt><dd>{escape(p.patients)}</dd>"
            f"<dt>Follow-up</dt><dd>{escape(p.follow_up)}</dd><dt>Who</dt><dd>{escape(p.population)}</dd>"
            f"<dt>Industry funding</dt><dd>{escape(p.sponsorship)}</dd><dt>Checked</dt><dd>{escape(p.verification)}</dd></dl>"
        )
    extra = ""
    if c.arithmetic:
        extra += "<p><strong>How this number was worked out:</strong></p>" + "".join(
            f"<p>{escape(a)}</p>" for a in c.arithmetic
        )
    if c.range_note:
        extra += f"<p>Range: {escape(c.range_note)}.</p>"
    if c.reasons and (c.pictures or c.finding):
        extra += "<p><strong>Why this may not fit exactly:</strong></p>" + "".join(
            f"<p>{escape(r)}</p>" for r in c.reasons
        )
    if c.others:
        extra += "<p><strong>Other studies, and other views of the same trials:</strong></p>" + "".join(
            f"<p>{escape(o)}</p>" for o in c.others)
    if c.context:
        extra += "<p><strong>What happens over time with blood thinners alone:</strong></p>" + "".join(
            f"<p>{escape(o)}</p>" for o in c.context)
    names = ", ".join(s.source_id for s in c.sources)
    if not wrap:
        return f"<p><strong>Source: {escape(names)}</strong></p>{''.join(parts)}{extra}"
    return f"<details><summary>Source: {escape(names)}</summary>{''.join(parts)}{extra}</details>"


def cell_html(c: Cell, outcome_id: str) -> str:
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
            body.append(f"<p>Time frame: {escape(c.horizon)}.</p>")
    elif c.finding:
        body.append(f"<p>{escape(c.finding)}</p>")
        if c.horizon:
            body.append(f"<p>Time frame: {escape(c.horizon)}.</p>")
    else:
        body.append(f"<p>{escape(c.empty_text or '')}</p>")
    if c.certainty and (c.pictures or c.finding):
        body.append(f'<p class="cert">{escape(c.certainty)}</p>')
    if c.secondary:
        body.append('<p class="sec">Secondary source: this figure was read in a summary, not in the paper itself.</p>')
    if c.applicability == "indirect" and (c.pictures or c.finding):
        body.append('<p class="cert">Less direct for this patient: open the source to see why.</p>')
    return (
        f'<div class="{classes}" data-option="{escape(c.option_id)}" data-outcome="{escape(outcome_id)}">'
        f'<div class="opt">{escape(c.option_short)}</div>{badge}{"".join(body)}{_provenance(c)}</div>'
    )


def grid_html(rows: list[Row], per: int, glossary: dict[str, str] | None = None) -> str:
    parts = [CSS, '<div class="sdm">', _legend(per)]
    for r in rows:
        cells = "".join(cell_html(c, r.outcome_id) for c in r.cells)
        parts.append(
            f'<section class="row" data-outcome="{escape(r.outcome_id)}" aria-label="{escape(r.label)}">'
            f'<h3>{with_glossary(r.label, glossary or {})}</h3><p class="hz">{escape(r.horizon_note)}</p><div class="cells">{cells}</div></section>'
        )
    parts.append("</div>")
    return "".join(parts)
