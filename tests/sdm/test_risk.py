import pytest

from sdm.engine import risk as rk
from sdm.words import wording as w


def test_wilson_matches_a_textbook_value():
    # 10 of 100: Wilson 95% interval 0.0552 to 0.1744 (Newcombe 1998, table I style check)
    low, high = rk.wilson(0.1, 100)
    assert low == pytest.approx(0.0552, abs=1e-4)
    assert high == pytest.approx(0.1744, abs=1e-4)


def test_newcombe_difference_matches_published_example():
    # Newcombe 1998 example: 56/70 vs 48/80 -> difference 0.2, 95% CI 0.0524 to 0.3339
    low, high = rk.newcombe_difference(56 / 70, 70, 48 / 80, 80)
    assert low == pytest.approx(0.0524, abs=1e-3)
    assert high == pytest.approx(0.3339, abs=1e-3)


def test_apply_ratio():
    assert rk.apply_ratio("RR", 0.5, 0.4) == pytest.approx(0.2)
    assert rk.apply_ratio("OR", 1.0, 0.3) == pytest.approx(0.3)
    assert rk.apply_ratio("RD", -0.1, 0.3) == pytest.approx(0.2)


def test_both_frames_and_rare_harms():
    assert w.both_frames(0.07, 100, "had serious bleeding") == "7 of 100 people had serious bleeding; 93 did not."
    rare = w.both_frames(0.003, 100, "had serious bleeding")
    assert rare.startswith("Fewer than 1 of 100") and "3 of 1,000" in rare
    assert w.of_n(0.003, 100) == "fewer than 1 of 100"
    assert w.range_words(0.12, 0.25, 100) == "The true number could be as low as 12 or as high as 25 of 100."
