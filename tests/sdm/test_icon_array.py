import re

from hypothesis import given
from hypothesis import strategies as st

from sdm.present import icon_array as ia


def test_counts_split_into_range_categories():
    c = ia.counts(0.18, 0.126, 0.263, 100)
    assert (c.had, c.maybe_had, c.maybe_not, c.did_not) == (13, 5, 8, 74)
    assert (c.estimate, c.low, c.high, c.total) == (18, 13, 26, 100)


def test_no_range_means_no_uncertain_icons():
    c = ia.counts(0.07, None, None, 1000)
    assert (c.had, c.maybe_had, c.maybe_not, c.did_not) == (70, 0, 0, 930)


def test_layout_fills_from_the_bottom_left_in_groups():
    cells = ia.layout(ia.counts(0.12, None, None, 100))
    assert cells[0] == (9, 0, "had")
    assert [cat for _, _, cat in cells[:12]] == ["had"] * 12
    assert cells[10] == (8, 0, "had")


def test_svg_is_accessible_and_carries_its_counts():
    c = ia.counts(0.18, 0.126, 0.263, 100)
    out = ia.svg(c, "18 of 100 people had moderate or severe PTS", uid="t1")
    assert "role='img'" in out and "aria-label='18 of 100 people" in out and "<title>" in out
    assert "data-had='13'" in out and "data-maybe-not='8'" in out
    drawn = {}
    for cat, n in re.findall(r"data-category='(\w+)' data-icons='(\d+)'", out):
        drawn[cat] = drawn.get(cat, 0) + int(n)
    assert drawn == {"had": 13, "maybe_had": 5, "maybe_not": 8, "did_not": 74}


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.sampled_from([100, 1000]))
def test_counts_always_add_up(a, b, c, n):
    lo, mid, hi = sorted((a, b, c))
    k = ia.counts(mid, lo, hi, n)
    assert k.total == n
    assert min(k.had, k.maybe_had, k.maybe_not, k.did_not) >= 0


def test_every_icon_is_drawn_in_a_few_shapes():
    c = ia.counts(0.3, 0.2, 0.4, 1000)
    out = ia.svg(c, "x")
    assert sum(int(n) for n in re.findall(r"data-icons='(\d+)'", out)) == 1000
    assert out.count("<rect data-category") <= 12
    assert len(out) < 2000


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.sampled_from([100, 1000]))
def test_blocks_cover_exactly_the_layout(a, b, c, n):
    lo, mid, hi = sorted((a, b, c))
    k = ia.counts(mid, lo, hi, n)
    cells = set()
    for row, col, w, h, cat in ia.blocks(k):
        for rr in range(row, row + h):
            for cc in range(col, col + w):
                assert (rr, cc) not in cells
                cells.add((rr, cc, cat)[:2])
    assert {(r, col) for r, col, _ in ia.layout(k)} == cells
    by_block = {(rr, cc): cat for row, col, w, h, cat in ia.blocks(k)
                for rr in range(row, row + h) for cc in range(col, col + w)}
    assert all(by_block[(r, col)] == cat for r, col, cat in ia.layout(k))


def _drawn_as_a_browser_does(svg_text: str) -> dict[str, int]:
    """Icons per shape that a renderer paints: each rect's fill is the first pattern with that id (as a browser
    resolves url(#id)); the shape is read from the pattern's own drawing, not from the code's names for it."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg_text)
    first: dict[str, ET.Element] = {}
    for pattern in root.iter(f"{ns}pattern"):
        first.setdefault(pattern.get("id"), pattern)

    def shape(pattern) -> str:
        circle = pattern.find(f"{ns}circle")
        if pattern.find(f"{ns}path") is not None:
            return "half-filled"
        if circle.get("fill") == "#FFF":
            return "ring"
        return "solid" if circle.get("fill") == ia.VERMILLION else "grey"

    drawn: dict[str, int] = {}
    for rect in root.iter(f"{ns}rect"):
        ref = re.fullmatch(r"url\(#(.+)\)", rect.get("fill")).group(1)
        icons = int(rect.get("width")) * int(rect.get("height")) // ia.UNIT**2
        kind = shape(first[ref])
        drawn[kind] = drawn.get(kind, 0) + icons
    return drawn


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.sampled_from([100, 1000]))
def test_each_icon_is_painted_in_its_own_category_s_shape(a, b, c, n):
    """The picture on screen (the <img>'s SVG, and the inline SVG) paints each category in its own shape: solid
    had it, half-filled had it but could be fewer, a ring did not but could be more, grey did not. (Two
    categories once shared a pattern id, so every 'could be more' ring was painted half-filled.)"""
    from urllib.parse import unquote

    lo, mid, hi = sorted((a, b, c))
    k = ia.counts(mid, lo, hi, n)
    want = {kind: v for kind, v in (("solid", k.had), ("half-filled", k.maybe_had), ("ring", k.maybe_not),
                                    ("grey", k.did_not)) if v}
    data = re.search(r'src="data:image/svg\+xml,([^"]*)"', ia.img(k, "label")).group(1)
    assert _drawn_as_a_browser_does(unquote(data)) == want
    assert _drawn_as_a_browser_does(ia.svg(k, "label", uid="t")) == want
