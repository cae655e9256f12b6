"""Faults in the evidence files: the app shows an error page that names file, record and field, and no numbers.

Each test points SDM_DATA_DIR at a damaged temporary copy of data/ and runs app.py in AppTest. The app
caches the evidence with st.cache_resource, so every test clears the caches before and after.
"""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
import yaml

from sdm.evidence import loader as evidence
from tests.apptest_helpers import APP, html_bodies

ERROR_TITLE = "The evidence files could not be read"
NUMBER_SIGNS = re.compile(r"\b\d+(\.\d+)? (in|of|per) (100|1,?000)\b|\d+(\.\d+)?\s?%|icon-array|data-outcome=")


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    evidence._cached.cache_clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    evidence._cached.cache_clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(evidence.DEFAULT_DATA_DIR, folder)
    monkeypatch.setenv("SDM_DATA_DIR", str(folder))
    return folder


def run_app(page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


def every_text(at) -> str:
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success", "code"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts + html_bodies(at))


def assert_error_page(at, file: str, record: str, field: str) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [ERROR_TITLE]
    assert any("shows no numbers" in e.value for e in at.error)
    lines = [m.value for m in at.markdown if m.value.startswith("- **")]
    hit = [line for line in lines if f"**{file}**" in line and f"record `{record}" in line and f"field `{field}`" in line]
    assert hit, f"no problem line names {file} / {record} / {field}: {lines}"
    text = every_text(at)
    assert "Traceback" not in text
    # no numbers: nothing drawn, no natural frequencies, no percentages, no icon arrays, no widgets or charts
    assert not html_bodies(at)
    assert not NUMBER_SIGNS.search(text), NUMBER_SIGNS.search(text)
    assert not at.get("plotly_chart") and not at.table and not at.dataframe
    assert not at.selectbox and not at.number_input and not at.radio
    return hit[0]


@pytest.mark.parametrize("name", sorted(evidence.FILES))
def test_missing_file_is_named_and_no_numbers_are_shown(data_copy, name):
    (data_copy / name).unlink()
    line = assert_error_page(run_app(), name, "(file)", "(file)")
    assert "missing" in line


def test_truncated_yaml_is_named_with_its_line(data_copy):
    path = data_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("kind: absolute") + len("kind: abs")  # mid-way through a flow mapping, as a cut-off copy ends
    path.write_text(text[:cut], encoding="utf-8")
    at = run_app()
    line = assert_error_page(at, "rules.yaml", "line ", "(syntax)")
    assert "not valid YAML" in line


def test_truncated_list_file_is_named(data_copy):
    path = data_copy / "estimates.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("intervention: {risk: 0.49") + len("intervention: {risk: 0.4")
    path.write_text(text[:cut], encoding="utf-8")
    assert_error_page(run_app(), "estimates.yaml", "line ", "(syntax)")


def _edit(folder: Path, name: str, change) -> dict:
    path = folder / name
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = change(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def test_a_risk_of_1_7_is_named_by_file_record_and_field(data_copy):
    def change(records):
        rec = next(r for r in records if r.get("intervention") and r.get("baseline", "comparator") == "comparator")
        rec["intervention"]["risk"] = 1.7
        return rec

    rec = _edit(data_copy, "estimates.yaml", change)
    line = assert_error_page(run_app(), "estimates.yaml", rec["id"], "intervention.risk")
    assert "less than or equal to 1" in line


def test_an_unknown_location_is_named_by_file_record_and_field(data_copy):
    def change(records):
        records[1]["population"]["locations"] = ["knee"]
        return records[1]

    rec = _edit(data_copy, "sources.yaml", change)
    assert_error_page(run_app(), "sources.yaml", rec["id"], "population.locations.0")


def test_unknown_location_in_an_estimate_population_is_named(data_copy):
    def change(records):
        # today's estimates take their population from the source; an estimate may still narrow it
        rec = records[0]
        rec["population"] = {"locations": ["distal", "ankle"], "description": "A narrower group."}
        return rec

    rec = _edit(data_copy, "estimates.yaml", change)
    assert_error_page(run_app(), "estimates.yaml", rec["id"], "population.locations.1")


def test_several_faults_are_all_listed(data_copy):
    _edit(data_copy, "sources.yaml", lambda r: r[0]["population"].__setitem__("locations", ["knee"]))

    def risk(records):
        records[3]["intervention"]["risk"] = 1.7
        return records[3]

    rec = _edit(data_copy, "estimates.yaml", risk)
    at = run_app()
    assert_error_page(at, "estimates.yaml", rec["id"], "intervention.risk")
    assert_error_page(at, "sources.yaml", "", "population.locations.0")


def test_a_cross_reference_fault_is_named(data_copy):
    def change(records):
        records[5]["source"] = "nosuchstudy"
        return records[5]

    rec = _edit(data_copy, "estimates.yaml", change)
    line = assert_error_page(run_app(), "estimates.yaml", rec["id"], "source")
    assert "nosuchstudy" in line


@pytest.mark.parametrize("page", ["app_pages/teaching.py", "app_pages/methods.py"])
def test_other_pages_show_the_error_page_too(data_copy, page):
    (data_copy / "gaps.yaml").unlink()
    at = run_app(page)
    assert_error_page(at, "gaps.yaml", "(file)", "(file)")


def test_the_no_numbers_check_can_fail():
    """On good evidence the same checks see numbers (guards against a vacuous pass)."""
    at = run_app()
    assert not at.exception and html_bodies(at)
    assert NUMBER_SIGNS.search(every_text(at))
    with pytest.raises(AssertionError):
        assert_error_page(at, "estimates.yaml", "(file)", "(file)")


# ----------------------------------------------------------------- files the safe reader refuses (issue 10)


def _problem_lines(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("- **")]


def _broken_bytes(case: str, folder: Path) -> tuple[str, bytes]:
    def real(name: str) -> bytes:
        return (folder / name).read_bytes()

    if case == "not-utf8":
        return "guidelines.yaml", real("guidelines.yaml").replace(b"statement:", b"statement: caf\xe9", 1)
    if case == "impossible-date":
        text = real("sources.yaml")
        old = re.search(rb"checked: \d{4}-\d{2}-\d{2}", text).group(0)
        return "sources.yaml", text.replace(old, b"checked: 2026-02-30", 1)
    if case == "nesting-10000-deep":
        return "estimates.yaml", b"[" * 10_000 + b"]" * 10_000
    if case == "huge-number":
        return "rules.yaml", real("rules.yaml").replace(b"review_every_days: ", b"review_every_days: 1.0e+400 #", 1)
    if case == "integer-10**5000":
        return "sources.yaml", real("sources.yaml").replace(b"year: ", b"year: 1" + b"0" * 5000 + b" #", 1)
    if case == "merge-key-bomb":
        bomb = "l0: &l0 {a: 1}\n" + "".join(
            f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * 9)}]}}\n" for i in range(1, 10))
        return "rules.yaml", bomb.encode()
    if case == "alias-fan-out":
        return "estimates.yaml", b"- &r {id: x, bad: 1}\n" + b"- *r\n" * 150_000
    if case == "oversized":
        return "sources.yaml", real("sources.yaml") * 100
    if case == "wrong-top-level":
        return "estimates.yaml", b"estimates:\n  - id: x\n"
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["not-utf8", "impossible-date", "nesting-10000-deep", "huge-number",
                                  "integer-10**5000", "merge-key-bomb", "alias-fan-out", "oversized", "wrong-top-level"])
def test_a_file_the_reader_refuses_gets_the_error_page_with_one_line(data_copy, case):
    """The app shows its own page, with the same one line as `python -m sdm validate`: no Streamlit error box."""
    name, content = _broken_bytes(case, data_copy)
    (data_copy / name).write_bytes(content)
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(data_copy)
    (expected,) = err.value.problems
    evidence._cached.cache_clear()
    at = run_app()
    line = assert_error_page(at, expected.file, expected.record, expected.field)
    assert len(_problem_lines(at)) == 1
    assert expected.message in line.replace("\\", "")  # the page escapes markdown signs in the message


def test_many_problems_are_listed_twenty_at_a_time_with_a_count(data_copy):
    path = data_copy / "estimates.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec = next(r for r in records if r.get("intervention"))
    rec["intervention"]["risk"] = 1.7
    path.write_text(yaml.safe_dump([{**copy.deepcopy(rec), "id": f"copy_{i}"} for i in range(300)]), encoding="utf-8")
    at = run_app()
    assert_error_page(at, "estimates.yaml", "copy_0", "intervention.risk")
    assert len(_problem_lines(at)) == evidence.MAX_PROBLEMS_SHOWN
    more = [m.value for m in at.markdown if m.value.startswith("- and ")]
    assert more and more[0].startswith("- and 280 more problems")


def test_markdown_quoted_from_a_bad_file_is_shown_as_text(data_copy):
    """A message can quote the file (here, an unknown tag): an image in it must not become an image."""
    path = data_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("review_every_days: ", "review_every_days: !<![x](http://127.0.0.1:9/x.png)> ", 1),
                    encoding="utf-8")
    at = run_app()
    line = assert_error_page(at, "rules.yaml", "(whole file)", "review_every_days")
    assert "![x](http" not in line and "\\!\\[x\\]\\(http" in line


# ----------------------------------------------------------------- stale evidence


def test_stale_evidence_shows_out_of_date_on_consult_and_methods(data_copy):
    path = data_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    old = date.today() - timedelta(days=20 * 365)
    text, n = re.subn(r"(?m)^evidence_date: .*$", f"evidence_date: {old.isoformat()}", text)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    at = run_app()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("evidence may be out of date" in w.lower() for w in warnings), warnings
    assert html_bodies(at), "stale evidence is still shown, with the warning"
    methods = run_app("app_pages/methods.py")
    assert not methods.exception
    assert any("evidence may be out of date" in w.value.lower() for w in methods.warning)


def test_fresh_evidence_has_no_out_of_date_warning(data_copy):
    path = data_copy / "rules.yaml"
    text = re.sub(r"(?m)^evidence_date: .*$", f"evidence_date: {date.today().isoformat()}", path.read_text())
    path.write_text(text, encoding="utf-8")
    at = run_app()
    assert not at.exception
    assert not any("out of date" in w.value for w in at.warning)
