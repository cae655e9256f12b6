"""The evidence files load, and every displayable number is sourced."""

import copy
import shutil

import pytest
import yaml

from sdm.evidence import loader as evidence
from sdm.evidence.models import DISPLAYABLE


def test_every_estimate_has_a_doi_or_pmid_and_an_allowed_mark(base):
    sources = {s.id: s for s in base.sources}
    assert base.estimates, "no estimates loaded"
    for e in base.estimates:
        src = sources[e.source]
        assert src.doi or src.pmid, f"{e.id}: source {src.id} has no DOI or PMID"
        assert e.verification in DISPLAYABLE, f"{e.id}: {e.verification}"


def test_findings_and_guidelines_carry_allowed_marks(base):
    for rec in [*base.findings, *base.guidelines]:
        assert rec.verification in DISPLAYABLE, rec.id


def test_dossier_coverage(base):
    ids = {s.id for s in base.sources}
    for needed in ["attract2017", "comerota2019", "kearon2019", "cavent2012", "cavent2016", "cava2021",
                   "cochrane2021", "clout2023", "razavi2015", "jevt2022", "veto2008", "chest2016", "klok2017",
                   "sir2014", "chest2021", "pearl2015"]:
        assert needed in ids
    bodies = {g.body_short for g in base.guidelines}
    assert {"ASH", "CHEST", "AHA", "SIR", "NICE", "ESVS", "SVS/AVF"} <= bodies


def test_published_figures_come_out_exactly_as_stored(base):
    est = {e.id: e for e in base.estimates}
    # ATTRACT iliofemoral analysis, moderate-or-severe PTS: 36/196 vs 55/195, RR 0.65 (0.45-0.94)
    e = est["pcdt_pts_ms_iliofemoral"]
    assert (e.intervention.events, e.intervention.n, e.comparator.events, e.comparator.n) == (36, 196, 55, 195)
    assert (e.effect.value, e.effect.low, e.effect.high) == (0.65, 0.45, 0.94)
    # CaVenT 24 months: 41.1% vs 55.6%
    e = est["cdt_pts_any_cavent2"]
    assert (e.intervention.risk, e.comparator.risk) == (0.411, 0.556)


def _copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(evidence.DEFAULT_DATA_DIR, dst)
    return dst


def test_corrupted_field_names_file_record_and_field(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[3]["intervention"]["risk"] = 1.7
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    problem = err.value.problems[0]
    assert problem.file == "estimates.yaml"
    assert problem.record.startswith(records[3]["id"])
    assert problem.field == "intervention.risk"


def test_forbidden_mark_is_rejected(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[0]["verification"] = "M"
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError, match="never stored as numbers"):
        evidence.load(folder)


def test_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "sources.yaml").unlink()
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    assert err.value.problems[0].file == "sources.yaml"
    assert "missing" in err.value.problems[0].message


def test_truncated_yaml_is_named(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "guidelines.yaml"
    path.write_text(path.read_text()[:500] + "\n  - [unclosed")
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    assert err.value.problems[0].file == "guidelines.yaml"


def test_unknown_source_reference(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "estimates.yaml"
    records = yaml.safe_load(path.read_text())
    records[5]["source"] = "nosuchstudy"
    path.write_text(yaml.safe_dump(records))
    with pytest.raises(evidence.EvidenceError, match="no source with id 'nosuchstudy'"):
        evidence.load(folder)


def test_stale_evidence_is_detected(base):
    from datetime import timedelta

    fresh = base.rules.evidence_date + timedelta(days=1)
    old = base.rules.evidence_date + timedelta(days=base.rules.review_every_days + 1)
    assert not evidence.is_stale(base, fresh)
    assert evidence.is_stale(base, old)


# ----------------------------------------------------------------- the safe reader: every fault is one named line

from sdm.evidence import safe_yaml  # noqa: E402


def _broken(tmp_path, name: str, content: bytes | str):
    """Load a copy of data/ with one file replaced; return the problems (the load must fail)."""
    folder = _copy(tmp_path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    for p in err.value.problems:
        assert "\n" not in str(p) and len(str(p)) < 800
    return err.value.problems


def _real(name: str) -> str:
    return (evidence.DEFAULT_DATA_DIR / name).read_text(encoding="utf-8")


def test_the_safe_reader_reads_todays_files_exactly_as_pyyaml_does():
    for path in sorted(evidence.DEFAULT_DATA_DIR.glob("*.yaml")):
        assert safe_yaml.load_file(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path.name


def test_limits_sit_well_above_todays_data():
    """The documented limits leave room to grow: at least 10 times today's largest file, records and values."""
    sizes, records, nodes, depth = [], [], 0, 0
    for name in evidence.FILES:
        text = _real(name)
        sizes.append(len(text.encode("utf-8")))
        raw = yaml.safe_load(text)
        records.append(len(raw) if isinstance(raw, list) else 0)
        level = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                level += 1
                depth = max(depth, level)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                level -= 1
    assert safe_yaml.MAX_FILE_BYTES >= 10 * max(sizes)
    assert safe_yaml.MAX_RECORDS >= 10 * max(records)
    assert safe_yaml.MAX_NODES >= 10 * nodes
    assert safe_yaml.MAX_DEPTH >= 4 * depth


def test_an_impossible_date_names_file_record_and_field(tmp_path):
    text = _real("sources.yaml")
    first = yaml.safe_load(text)[0]
    problems = _broken(tmp_path, "sources.yaml", text.replace(f"checked: {first['checked']}", "checked: 2026-02-30", 1))
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.field) == ("sources.yaml", "checked") and p.record.startswith(first["id"])
    assert "2026-02-30" in p.message and "not a date" in p.message and "line " in p.message


def test_an_impossible_date_in_a_settings_file_is_named(tmp_path):
    text = _real("rules.yaml")
    date_line = next(line for line in text.splitlines() if line.startswith("evidence_date:"))
    (p,) = _broken(tmp_path, "rules.yaml", text.replace(date_line, "evidence_date: 2025-13-01"))
    assert (p.file, p.record, p.field) == ("rules.yaml", "(whole file)", "evidence_date")


def test_bytes_that_are_not_utf8_name_the_line(tmp_path):
    text = _real("guidelines.yaml").encode("utf-8")
    cut = text.index(b"\n", 300) + 1
    line = text[:cut].count(b"\n") + 1
    (p,) = _broken(tmp_path, "guidelines.yaml", text[:cut] + b"  note: caf\xe9\n" + text[cut:])
    assert (p.file, p.record, p.field) == ("guidelines.yaml", f"line {line}", "(text)")
    assert "0xE9" in p.message and "UTF-8" in p.message


def test_a_utf16_file_is_named_not_crashed(tmp_path):
    (p,) = _broken(tmp_path, "gaps.yaml", _real("gaps.yaml").encode("utf-16"))
    assert p.file == "gaps.yaml" and "UTF-8" in p.message


@pytest.mark.parametrize("content", ["[" * 10_000 + "]" * 10_000, "{a: " * 10_000 + "}" * 10_000,
                                     "".join("  " * i + "- x:\n" for i in range(500))],
                         ids=["flow-list", "flow-mapping", "block-500"])
def test_deep_nesting_is_refused(tmp_path, content):
    (p,) = _broken(tmp_path, "estimates.yaml", content)
    assert p.file == "estimates.yaml" and f"more than {safe_yaml.MAX_DEPTH} levels deep" in p.message


@pytest.mark.parametrize(
    "value,words",
    [
        ("1.0e+400", "not a finite number"),
        ("1e400", "finite number"),  # YAML 1.1 reads this as text; pydantic's float is refused when infinite
        (".inf", "not a finite number"),
        ("-.inf", "not a finite number"),
        (".nan", "not a finite number"),
        ("'nan'", "finite number"),
        ("1" + "0" * 5_000, "more than 100 characters"),  # 10**5000
        (str(10**16), "number too large"),
        ("0x" + "f" * 200, "more than 100 characters"),
        ("1" + ":1" * 300_000, "more than 100 characters"),  # base 60: costs time per digit
    ],
    ids=["1.0e+400", "1e400", "inf", "-inf", "nan", "quoted-nan", "10**5000", "10**16", "long-hex", "base-60"],
)
def test_huge_numbers_name_file_record_and_field(tmp_path, value, words):
    records = yaml.safe_load(_real("estimates.yaml"))
    index, rec = next((i, r) for i, r in enumerate(records) if r.get("effect"))
    marker = "REPLACE_ME_VALUE"
    rec["effect"]["value"] = marker
    text = yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=10_000).replace(marker, value)
    (p,) = _broken(tmp_path, "estimates.yaml", text)
    assert (p.file, p.field) == ("estimates.yaml", "effect.value"), p
    assert p.record == f"{rec['id']} (item {index + 1})"
    assert words in p.message


@pytest.mark.parametrize(
    "content,words,field",
    [
        ("- &first {id: a}\n- {id: b}\n", "'&first' is an anchor", "(record)"),
        ("- {id: a, text: &t hello}\n- {id: b, text: *t}\n", "'&t' is an anchor", "text"),
        ("- id: a\n  <<: {text: hello}\n", "'<<' is a merge key", "<<"),
        ("- id: a\n  ? !!merge x\n  : 1\n", "'<<' is a merge key", "<<"),
    ],
    ids=["anchor", "alias", "merge-key", "explicit-merge-tag"],
)
def test_anchors_aliases_and_merge_keys_are_refused(tmp_path, content, words, field):
    (p,) = _broken(tmp_path, "gaps.yaml", content)
    assert p.file == "gaps.yaml" and words in p.message and p.field == field
    assert p.record.startswith("a (item 1)") or p.record == "item 1"


def test_an_alias_alone_is_refused_with_its_name(tmp_path):
    problems = _broken(tmp_path, "findings.yaml", "- {id: b, text: *nowhere}\n")
    assert len(problems) == 1 and "'*nowhere' is an alias" in problems[0].message
    assert (problems[0].record, problems[0].field) == ("b (item 1)", "text")


def test_a_merge_key_bomb_is_refused_at_once(tmp_path):
    levels = "".join(f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * 9)}]}}\n" for i in range(1, 10))
    bomb = "l0: &l0 {a: 1}\n" + levels
    assert len(bomb) < 1_100
    (p,) = _broken(tmp_path, "rules.yaml", bomb)
    assert (p.file, p.field) == ("rules.yaml", "l0") and "anchor" in p.message


def test_an_alias_fan_out_gives_one_line_not_300000(tmp_path):
    fan = "- &r {id: x, bad: 1}\n" + "- *r\n" * 300_000
    assert len(fan) < safe_yaml.MAX_FILE_BYTES * 2
    problems = _broken(tmp_path, "estimates.yaml", fan[: safe_yaml.MAX_FILE_BYTES])
    assert len(problems) == 1 and "anchor" in problems[0].message


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the parser ran on a file over the size limit")

    monkeypatch.setattr(safe_yaml, "EvidenceLoader", no_parsing)
    path = tmp_path / "sources.yaml"
    with path.open("wb") as fh:  # 50 MB of records, as in the red team's test
        fh.write(_real("sources.yaml").encode("utf-8") * 3_300)
    with pytest.raises(safe_yaml.ReadError, match="larger than 1,000,000 bytes") as err:
        safe_yaml.load_file(path)
    assert err.value.field == "(file)"


def test_the_size_limit_is_exact(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"#" * safe_yaml.MAX_FILE_BYTES)
    assert safe_yaml.load_file(path) is None  # a file of exactly the limit is read
    path.write_bytes(b"#" * (safe_yaml.MAX_FILE_BYTES + 1))
    with pytest.raises(safe_yaml.ReadError, match="larger than"):
        safe_yaml.load_file(path)


def test_too_many_records_are_refused(tmp_path):
    assert safe_yaml.loads("- {}\n" * safe_yaml.MAX_RECORDS) == [{}] * safe_yaml.MAX_RECORDS
    (p,) = _broken(tmp_path, "gaps.yaml", "- {}\n" * (safe_yaml.MAX_RECORDS + 1))
    assert (p.file, p.record) == ("gaps.yaml", f"item {safe_yaml.MAX_RECORDS + 1}")
    assert "more than 2,000 records" in p.message


def test_the_value_budget_is_shared_by_the_files_of_a_folder(tmp_path):
    """Each of two files is under the budget alone; together they are over it, so the second is refused."""
    half = safe_yaml.MAX_NODES * 6 // 10
    many = "x: [" + "1, " * half + "1]\n"
    assert safe_yaml.loads(many) == {"x": [1] * (half + 1)}
    folder = _copy(tmp_path)
    (folder / "rules.yaml").write_text(many)
    (folder / "vocabulary.yaml").write_text(many)
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(folder)
    over = [p for p in err.value.problems if "values in all" in p.message]
    assert [p.file for p in over] == ["vocabulary.yaml"]
    assert "content.yaml" not in {p.file for p in err.value.problems}  # not read once the budget is spent


@pytest.mark.parametrize(
    "name,content,words",
    [
        ("estimates.yaml", "just: a mapping\n", "expected a list of records, found a mapping"),
        ("estimates.yaml", "42\n", "expected a list of records, found int"),
        ("estimates.yaml", "", "the file is empty"),
        ("rules.yaml", "- a\n- b\n", "expected a mapping of settings, found list"),
        ("rules.yaml", "'just text'\n", "expected a mapping of settings, found str"),
    ],
)
def test_a_top_level_of_the_wrong_type_is_named(tmp_path, name, content, words):
    (p,) = _broken(tmp_path, name, content)
    assert (p.file, p.record, p.field) == (name, "(whole file)", "(file)") and words in p.message


@pytest.mark.parametrize(
    "content,record,field,words",
    [
        ("- id: a\n  text: [unclosed\n", "line 3", "(syntax)", "not valid YAML"),
        ("- {id: a}\n---\n- {id: b}\n", "line 2", "(syntax)", "single document"),
        ("- id: a\n  text: b\x07\n", "line 2", "(text)", "U+0007"),
        ("- id: a\n  text: !!python/object/apply:os.system ['true']\n", "a (item 1)", "text", "constructor"),
        ("- id: a\n  ? [x, y]\n  : 1\n", "a (item 1)", "(record)", "unhashable"),
        ("- id: a\n  text: first\n  text: second\n", "a (item 1)", "text", "given twice"),
        ("- id: a\n  text: !!int abc\n", "a (item 1)", "text", "cannot be read"),
    ],
    ids=["unclosed", "two-documents", "control-character", "python-tag", "list-as-key", "duplicate-key", "bad-int"],
)
def test_yaml_faults_name_the_line_or_the_field(tmp_path, content, record, field, words):
    (p,) = _broken(tmp_path, "findings.yaml", content)
    assert (p.file, p.record, p.field) == ("findings.yaml", record, field), p
    assert words in p.message


def test_problem_lines_quote_the_file_on_one_short_line(tmp_path):
    hostile_id = "x\nsecond line\u202e" + "y" * 5_000
    records = yaml.safe_load(_real("estimates.yaml"))
    records[0]["id"] = hostile_id
    (p,) = [q for q in _broken(tmp_path, "estimates.yaml", yaml.safe_dump(records)) if q.field == "id"]
    assert "\n" not in p.record and "\u202e" not in p.record and len(p.record) <= 160
    assert p.record.startswith("x second line")


def test_many_problems_show_twenty_lines_and_a_count(tmp_path):
    records = yaml.safe_load(_real("estimates.yaml"))
    rec = next(r for r in records if r.get("intervention"))
    rec["intervention"]["risk"] = 1.7
    (tmp := _copy(tmp_path) / "estimates.yaml").write_text(yaml.safe_dump([copy.deepcopy(rec) for _ in range(500)]))
    with pytest.raises(evidence.EvidenceError) as err:
        evidence.load(tmp.parent)
    lines = err.value.lines()
    assert len(lines) == evidence.MAX_PROBLEMS_SHOWN + 1
    assert all("intervention.risk" in line for line in lines[:-1])
    assert lines[-1] == "... and 480 more problems"
    assert str(err.value).count("\n") == evidence.MAX_PROBLEMS_SHOWN


def test_an_empty_sdm_data_dir_means_the_default_folder(monkeypatch):
    monkeypatch.setenv("SDM_DATA_DIR", "")
    assert evidence.data_dir() == evidence.DEFAULT_DATA_DIR
    monkeypatch.setenv("SDM_DATA_DIR", "/some/where")
    assert str(evidence.data_dir()) == "/some/where"


@pytest.mark.parametrize("path", ["no\x00such", "x" * 5_000])
def test_a_path_the_system_refuses_is_named(path):
    with pytest.raises(safe_yaml.ReadError) as err:
        safe_yaml.load_file(evidence.DEFAULT_DATA_DIR / path)
    assert err.value.field == "(file)"
