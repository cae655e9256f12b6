"""Icon arrays as vector dots: the same four shapes as on the screen.

Solid (had it), half-filled (had it in the best estimate; the true number could be lower),
ring (did not in the best estimate; the true number could be higher) and grey (did not).
The shapes differ, so nothing rests on colour alone. Each kind of dot is one PDF path,
so a picture of 1,000 people is as quick to draw as one of 100.
"""

from __future__ import annotations

from fpdf import FPDF

from ...present import icon_array
from .page import FAMILY, MUTED, NOTE, _rgb, line_height

VERMILLION = _rgb(icon_array.VERMILLION)
GREY = _rgb(icon_array.GREY)


def box(per: int, cell: float) -> tuple[float, float]:
    """Width and height of one picture for `per` people, `cell` mm a dot (for 100)."""
    cols = icon_array.columns(per)
    rows = -(-per // cols)
    step = cell if per <= 100 else cell * 16 / cols
    return cols * step, rows * step


def picture(pdf: FPDF, counts: icon_array.IconCounts, x: float, y: float, cell: float) -> None:
    """The dot picture with its top left corner at (x, y)."""
    per = counts.total
    cols = icon_array.columns(per)
    step = cell if per <= 100 else cell * 16 / cols
    r = step * 0.4
    centres: dict[str, list[tuple[float, float]]] = {cat: [] for cat in icon_array.CATEGORIES}
    for row, col, cat in icon_array.layout(counts):
        centres[cat].append((x + col * step + step / 2, y + row * step + step / 2))
    _paint(pdf, centres, r)


def _paint(pdf: FPDF, centres: dict[str, list[tuple[float, float]]], r: float) -> None:
    if centres["had"]:
        pdf.set_fill_color(*VERMILLION)
        _circles(pdf, centres["had"], r, "f")
    if centres["maybe_had"]:
        pdf.set_fill_color(255, 255, 255)
        pdf.set_draw_color(*VERMILLION)
        pdf.set_line_width(max(0.1, r * 0.2))
        _circles(pdf, centres["maybe_had"], r * 0.9, "B")
        pdf.set_fill_color(*VERMILLION)
        _circles(pdf, centres["maybe_had"], r * 0.9, "f", half=True)
    if centres["maybe_not"]:
        pdf.set_draw_color(*VERMILLION)
        pdf.set_line_width(max(0.1, r * 0.25))
        _circles(pdf, centres["maybe_not"], r * 0.85, "S")
    if centres["did_not"]:
        pdf.set_fill_color(*GREY)
        _circles(pdf, centres["did_not"], r, "f")


def _circles(pdf: FPDF, centres: list[tuple[float, float]], r: float, op: str, half: bool = False) -> None:
    """Circles (or their left halves) as Bezier paths, painted once with the PDF operator `op`
    (f fill, S stroke, B both)."""
    k, h = pdf.k, pdf.h
    rr = r * k
    q = rr * 0.5523
    parts = []
    for cx, cy in centres:
        X, Y = cx * k, (h - cy) * k
        left = (f"{X - q:.2f} {Y + rr:.2f} {X - rr:.2f} {Y + q:.2f} {X - rr:.2f} {Y:.2f} c "
                f"{X - rr:.2f} {Y - q:.2f} {X - q:.2f} {Y - rr:.2f} {X:.2f} {Y - rr:.2f} c")
        if half:
            parts.append(f"{X:.2f} {Y + rr:.2f} m {left} h")
        else:
            parts.append(
                f"{X + rr:.2f} {Y:.2f} m {X + rr:.2f} {Y + q:.2f} {X + q:.2f} {Y + rr:.2f} {X:.2f} {Y + rr:.2f} c "
                f"{left} {X + q:.2f} {Y - rr:.2f} {X + rr:.2f} {Y - q:.2f} {X + rr:.2f} {Y:.2f} c h"
            )
    pdf._out(" ".join(parts) + f" {op}")  # noqa: SLF001 - one raw path per kind of dot


def one(pdf: FPDF, cat: str, cx: float, cy: float, r: float) -> None:
    """A single dot of kind `cat`, for the legend."""
    centres: dict[str, list[tuple[float, float]]] = {c: [] for c in icon_array.CATEGORIES}
    centres[cat].append((cx, cy))
    _paint(pdf, centres, r)


def legend(writer, x0: float, width: float, size: float = NOTE) -> None:
    """One dot of each kind with its words, as many to a line as fit."""
    pdf = writer.pdf
    lh = line_height(size)
    r = size * 0.3528 * 0.38
    items = [(cat, writer.t(f"legend.{cat}")) for cat in icon_array.CATEGORIES]
    pdf.set_font(FAMILY, "", size)
    widths = [min(pdf.get_string_width(words) + 0.5, width - 2 * r - 1.5) for _, words in items]
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, tw in enumerate(widths):
        need = 2 * r + 1.5 + tw + (5.0 if rows[-1] else 0.0)
        if rows[-1] and used + need > width:
            rows.append([])
            used, need = 0.0, 2 * r + 1.5 + tw
        rows[-1].append(i)
        used += need
    heights = [max(writer.height(items[i][1], size, widths[i]) for i in row) for row in rows]
    writer.keep(sum(heights))
    for row, h in zip(rows, heights, strict=True):
        x, y = x0, writer.y
        if writer.draw:
            for i in row:
                cat, words = items[i]
                one(pdf, cat, x + r, y + lh / 2, r)
                pdf.set_font(FAMILY, "", size)
                pdf.set_text_color(*MUTED)
                pdf.set_xy(x + 2 * r + 1.5, y)
                pdf.multi_cell(widths[i], lh, words, align="L")  # an entry wider than the line wraps
                x += 2 * r + 1.5 + widths[i] + 5.0
        writer.set_y(y + h)
