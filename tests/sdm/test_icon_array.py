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
