"""Not collected by pytest (the name does not start with test_): a sample expected failure that
tests/test_safety_log.py uses to check that the hazard-log checker refuses an xfail as proof."""

import pytest


@pytest.mark.xfail(strict=True, reason="sample")
def test_sample_expected_failure():
    raise AssertionError("sample")
