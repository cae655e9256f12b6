"""The benchmark package stays importable and its report writer works. No browser, no server, no timing:
speed goals are checked by `python -m bench` (PASS / FALL SHORT), never by assertions here."""

import importlib
import json

import pytest

import bench
from bench import common, report, scaleout, wsload

MODULES = ["bench.__main__", "bench.browser", "bench.common", "bench.engine", "bench.profiling", "bench.report",
           "bench.rerun", "bench.scaleout", "bench.wsload"]


def test_profile_layers_charge_the_stdlib_to_its_caller():
    import cProfile
    import pstats

    from bench import profiling

    assert profiling.layer(str(common.ROOT / "sdm" / "engine" / "compute.py")) == "sdm"
    assert profiling.layer(str(common.ROOT / "app_pages" / "parts" / "views.py")) == "app_pages"
    assert profiling.layer("/x/.venv/lib/python3.11/site-packages/streamlit/delta_generator.py") == "streamlit"
    assert profiling.layer("/x/.venv/lib/python3.11/site-packages/google/protobuf/message.py") == "protobuf"
    def work():
        return sorted(range(20000), key=lambda x: -x)  # a built-in, called from this file

    prof = cProfile.Profile()
    prof.runcall(work)
    layers = profiling.by_layer(pstats.Stats(prof), 1)
    assert layers[0]["layer"] == "tests" and layers[0]["pct"] > 90  # sorted()'s time went to its caller, this file


def test_streamlit_calls_are_timed_and_restored():
    import streamlit as st

    from bench import profiling

    original = st.markdown
    calls: dict = {}
    with profiling.streamlit_calls(calls):
        assert st.markdown is not original and st.markdown.__wrapped__ is original
        st.markdown("x")  # bare mode: no script run context, Streamlit only warns
    assert st.markdown is original
    assert calls["markdown"][0] == 1
    table = profiling.calls_table(calls, runs=1, run_cpu_s=1.0)
    assert table[0]["call"] == "st.markdown" and table[0]["calls_per_run"] == 1


@pytest.mark.parametrize("name", MODULES)
def test_bench_modules_import(name):
    assert importlib.import_module(name)


def test_bench_apps_and_files_exist():
    root = common.BENCH
    for name in ("reference_app.py", "empty_app.py", "structure_app.py", "nginx.conf.template", "setup.sh"):
        assert (root / name).is_file(), name
    assert bench.__doc__


def _fake_results():
    def s(median, n=5):
        return common.summary([median * f for f in (0.8, 0.9, 1.0, 1.1, 1.2)][:n])

    load = {"sessions": 3, "changes_per_session": 2, "reruns_completed": 6, "reruns_expected": 6, "errors": 0,
            "isolation_mismatches": 0, "rerun_ms": s(30), "first_run_ms": s(50), "wall_s": 1.0,
            "throughput_reruns_per_s": 6.0, "server_rss_mb": {"before": 100, "max": 120, "median": 110},
            "server_cpu_s": 0.5, "server_processes": 1, "mb_received": 1.0, "distinct_fingerprints": 4,
            "sessions_per_upstream": {}, "error_examples": [], "mismatch_examples": [], "sticky_examples": []}
    scale = dict(load, processes=2, server_processes=2, sticky_problems=0, upstreams_used=2,
                 sessions_per_upstream={"127.0.0.1:1": 1, "127.0.0.1:2": 2}, throughput_reruns_per_s=9.0)
    # goal 4a: the consult page's p95 (33 ms) against the empty script's under the same load (20 ms)
    load = dict(load, floor=dict(load, rerun_ms=s(20), throughput_reruns_per_s=20.0), ratio_p95=1.65, ratio_p50=1.5,
                order=["consult 1", "empty 1"])
    prof = {"profiled_runs": 2, "total_ms_per_run": 10.0,
            "project_by_cumulative": [{"function": "sdm/engine.py:1(run)", "calls_per_run": 1, "own_ms_per_run": 1,
                                       "cum_ms_per_run": 9, "cum_pct": 90}],
            "all_by_own_time": [], "_text": "private",
            "by_layer": [{"layer": "streamlit", "own_ms_per_run": 8, "pct": 80}, {"layer": "sdm", "own_ms_per_run": 1,
                                                                                 "pct": 10}],
            "streamlit_calls": {"runs": 2, "run_cpu_ms": 10.0, "in_st_calls_ms": 6.0, "calls_per_run": 3,
                                "by_call": [{"call": "st.html", "calls_per_run": 2, "cpu_ms_per_run": 5.0,
                                             "pct_of_rerun": 50.0}]}}
    return {
        "machine": {"cpu_count": 2, "generated": "now", "loadavg_start": "0/0/0", "loadavg_end": "0/0/0"},
        "other_cpu_pct": {"engine": 1.0},
        "engine": {"sensitivity_grid": {"ms": s(40), "cells": 240}, "profile_grid": prof,
                   "handout": {"ms": s(200), "cold_ms": 300, "bytes": 1000},
                   "run_per_scenario": {"scenarios": 96, "passes": 1, "mean_ms": 0.5,
                                        "per_scenario_mean_ms": s(0.5), "slowest_scenario": "x"}},
        "rerun": {"consult_ms": s(20), "empty_ms": s(5), "ratio_p50": 4.0, "profile": prof},
        "browser": {"interaction": {"consult_ms": s(120), "reference_ms": s(100),
                                    "consult_from_click_event_ms": s(100), "reference_from_click_event_ms": s(80),
                                    "consult_websocket_ms": s(20), "reference_websocket_ms": s(10),
                                    "consult_kb_received": s(40), "reference_kb_received": s(4)},
                    "first_load": {"consult_ms": s(900), "reference_ms": s(1000)}},
        "load": load, "scaleout": scale,
        "ws_single": {"consult_ms": s(24), "empty_ms": s(6), "ratio_p50": 4.0,
                      "consult_run_shape": {"messages": 25, "kb": 50.0, "html_kb": 40.0, "elements": {"html": 3},
                                            "server_cpu_ms": 12.0, "event_loop_cpu_ms": 3.0},
                      "empty_run_shape": {"messages": 5, "elements": {"selectbox": 1}, "server_cpu_ms": 2.0,
                                          "event_loop_cpu_ms": 1.0}},
    }


def test_report_writer_gives_a_verdict_per_goal(tmp_path):
    goals, json_path, md_path = report.write(_fake_results(), {}, tmp_path, stem="smoke")
    status = {g["id"]: g["status"] for g in goals}
    assert status == {"1": "PASS", "2": "FALL SHORT", "3": "PASS", "4a": "PASS", "4b": "PASS", "5a": "PASS",
                      "5b": "FALL SHORT", "5c": "PASS", "6": "PASS"}
    by_id = {g["id"]: g for g in goals}
    assert by_id["1"]["figures"]["ratio"] == 1.2 and "1.3x" in by_id["1"]["target"]
    assert by_id["4a"]["figures"]["ratio"] == 1.65 and "2x the empty script" in by_id["4a"]["target"]
    assert by_id["4b"]["figures"]["p95_ms"] == _fake_results()["scaleout"]["rerun_ms"]["p95"]
    assert "400 ms" in by_id["4b"]["target"]
    # goal 2 is judged on the server's own rerun over a websocket; the AppTest whole-script figure is shown beside it
    assert by_id["2"]["figures"]["ratio"] == 4.0 and "AppTest, whole script" in by_id["2"]["measured"]
    judged = _fake_results()
    judged["ws_single"]["ratio_p50"] = 2.5
    assert {g["id"]: g["status"] for g in report.evaluate(judged)}["2"] == "PASS"
    assert all(g["cores"] == 2 for g in goals)
    doc = json.loads(json_path.read_text())
    assert [g["id"] for g in doc["goals"]] == list(status)
    assert "private" not in json_path.read_text()  # profiler text stays out of the JSON
    md = md_path.read_text()
    assert "**FALL SHORT**" in md and "**PASS**" in md and "2 cores" in md
    assert "Streamlit's own work dominates: 80%" in md and "`st.html`" in md  # what dominates, said in words
    assert "The empty script under the same load" in md
    # (12 - 2) ms over (25 - 5) messages: 0.5 ms each, so twice the floor leaves room for 2 / 0.5 = 4 more
    assert "about 0.50 ms of CPU" in md and "roughly 4 messages more" in md
    assert not list(tmp_path.glob("*.tmp"))
    assert "FALL SHORT" in report.console(goals, {"cpu_count": 2})


def test_the_report_says_how_much_of_the_load_ratio_is_the_structure(tmp_path):
    """bench/structure_app.py under the same load: its p95 (26 ms) against the empty script's (23.6 ms), said in
    4a and in what dominates; the consult page's (35.4 ms) is its own work on top."""
    r = _fake_results()
    r["load"]["structure"] = dict(r["load"]["floor"], rerun_ms=common.summary([26.0] * 5), html_bytes=40960,
                                  ratio_p95=1.3)
    goals, _, md_path = report.write(r, {}, tmp_path, stem="structure")
    four_a = next(g for g in goals if g["id"] == "4a")
    assert "structure alone" in four_a["measured"] and "p95 26 ms = 1.3x" in four_a["measured"]
    md = md_path.read_text()
    assert "3-session load" in md and "already 1.10x the empty script at p95 (26 against 23.6" in md
    assert "from 26 to 35.4 ms (1.50x)" in md
    assert "40,960 bytes of HTML" in md
    del r["load"]["structure"]
    goals, _, md_path = report.write(r, {}, tmp_path, stem="nostructure")
    assert "structure alone" not in next(g for g in goals if g["id"] == "4a")["measured"]


def test_goal_4_falls_short_past_twice_the_floor_or_400_ms_through_nginx(tmp_path):
    r = _fake_results()
    r["load"]["ratio_p95"] = 2.3
    r["scaleout"]["rerun_ms"] = common.summary([300.0, 500.0])
    goals, _, _ = report.write(r, {}, tmp_path, stem="short")
    status = {g["id"]: g["status"] for g in goals}
    assert status["4a"] == status["4b"] == "FALL SHORT"
    del r["load"]["floor"]
    goals, _, _ = report.write(r, {}, tmp_path, stem="nofloor")
    assert {g["id"]: g["status"] for g in goals}["4a"] == "NOT MEASURED"


def test_load_rounds_pool_their_reruns():
    def one(values, rss):
        return {"sessions": 2, "changes_per_session": 2, "reruns_completed": len(values), "reruns_expected": 4,
                "errors": 0, "reruns_missing": 0, "isolation_mismatches": 0, "sessions_checked": 2,
                "websocket_not_sticky": 0, "error_examples": [], "mismatch_examples": [], "sticky_examples": [],
                "_rerun_values": values, "rerun_ms": common.summary(values, 1), "_first_values": [1.0, 2.0],
                "first_run_ms": common.summary([1.0, 2.0]), "wall_s": 1.0, "connect_and_first_run_s": 0.5,
                "server_cpu_s": 0.1, "load_generator_cpu_s": 0.1, "mb_received": 1.0,
                "throughput_reruns_per_s": 4.0, "server_rss_mb": {"before": 100, "max": rss, "median": 110}}

    merged = wsload.merge_rounds([one([1.0, 2.0, 3.0, 4.0], 120), one([5.0, 6.0, 7.0, 8.0], 150)])
    assert merged["reruns_completed"] == 8 and merged["reruns_expected"] == 8
    assert merged["rerun_ms"]["max"] == 8.0 and merged["rerun_ms"]["n"] == 8
    assert merged["server_rss_mb"]["max"] == 150 and len(merged["rounds"]) == 2
    assert merged["throughput_reruns_per_s"] == 4.0


def test_missing_sections_are_not_measured_not_passed(tmp_path):
    goals, _, _ = report.write({"machine": {"cpu_count": 2}}, {"browser": "boom"}, tmp_path, stem="empty")
    assert {g["status"] for g in goals} == {"NOT MEASURED"}
    assert any("boom" in g["measured"] for g in goals)


def test_summary_and_percentile():
    s = common.summary([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (s["median"], s["min"], s["max"], s["n"]) == (3.0, 1.0, 100.0, 5)
    assert common.percentile([0.0, 10.0], 50) == 5.0
    assert common.summary([]) == {"n": 0}


def test_isolation_check_flags_another_sessions_query_string():
    res = wsload.SessionResult(index=0, goals="avoid_pts,avoid_bleeding,fast_relief,avoid_procedure,save_limb")
    own = {"query_strings": [f"loc=distal&days=7&goals={res.goals}"], "html": []}
    wsload._check(res, own, "distal", {}, expect_qs=True)
    assert res.mismatches == []
    other = {"query_strings": ["loc=distal&days=7&goals=save_limb,avoid_pts"], "html": []}
    wsload._check(res, other, "distal", {}, expect_qs=True)
    assert len(res.mismatches) == 1
    assert len(set(wsload.goal_orders())) == 119


CELL = ('<div class="cell" data-option="{o}" data-outcome="{r}"><img class="icon-array" data-had="{h}" '
        'data-maybe-had="0" data-maybe-not="0" data-did-not="1" data-total="1"></div>')


def test_facts_ignore_row_order_and_repeats_but_not_numbers():
    a = CELL.format(o="pcdt", r="pts", h=1) + CELL.format(o="pcdt", r="bleed", h=2)
    b = CELL.format(o="pcdt", r="bleed", h=2) + CELL.format(o="pcdt", r="pts", h=1)
    c = CELL.format(o="pcdt", r="pts", h=1) + CELL.format(o="pcdt", r="bleed", h=3)
    assert wsload.facts([a]) == wsload.facts([b]) == wsload.facts([b, a]) != wsload.facts([c])
    assert wsload.fingerprint([a]) == wsload.fingerprint([b]) != wsload.fingerprint([c])
    # a summary that shows some rows again, in another order, draws no fact the full grid lacks
    assert wsload.facts([CELL.format(o="pcdt", r="bleed", h=2)]) <= wsload.facts([a])
    # the same counts in another option's cell are another fact; an icon outside any cell is keyed "-"
    assert wsload.facts([CELL.format(o="cdt", r="pts", h=1)]) != wsload.facts([CELL.format(o="pcdt", r="pts", h=1)])
    loose = '<p><img class="icon-array" data-had="1" data-maybe-had="0" data-maybe-not="0" data-did-not="1" data-total="1"></p>'
    assert wsload.facts([a + loose]) == wsload.facts([a]) | {"-:1/0/0/1/1"}


def test_isolation_check_flags_numbers_from_another_location():
    goals = "avoid_pts,avoid_bleeding,fast_relief,avoid_procedure,save_limb"
    expected = {"distal": wsload.facts([CELL.format(o="pcdt", r="pts", h=1)])}
    res = wsload.SessionResult(index=0, goals=goals)
    qs = [f"loc=distal&days=7&goals={goals}"]
    wsload._check(res, {"query_strings": qs, "html": [CELL.format(o="pcdt", r="pts", h=1)]}, "distal", expected, True)
    assert res.mismatches == [] and res.facts_checked == [1]
    wsload._check(res, {"query_strings": qs, "html": [CELL.format(o="pcdt", r="pts", h=4)]}, "distal", expected, True)
    assert len(res.mismatches) == 1 and "distal" in res.mismatches[0]


def test_the_empty_script_takes_the_same_load_unchecked():
    assert wsload.EMPTY.checked is False and wsload.EMPTY.link is None
    assert wsload.EMPTY.first_choice(7) == "a" and wsload.EMPTY.select_label == "Choice"
    assert wsload.CONSULT.link.format(choice="distal", goals="x") == "loc=distal&days=7&bleed=low&goals=x"
    assert len(set(wsload.calibration_orders())) == 5


def test_nginx_config_is_sticky_loopback_and_upgrades_websockets(tmp_path):
    text = scaleout.render(8080, [9001, 9002], tmp_path)
    assert "hash $st_route consistent;" in text and "$cookie_st_route" in text
    assert "server 127.0.0.1:9001" in text and "server 127.0.0.1:9002" in text
    assert "listen 127.0.0.1:8080;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "$connection_upgrade" in text
    assert "X-Upstream" not in text  # the debug header is for the benchmark's rendering only
    assert "{{" not in text


@pytest.mark.skipif(scaleout.nginx_binary() is None, reason="nginx not installed (bench/setup.sh installs it)")
def test_rendered_nginx_config_passes_nginx_t(tmp_path):
    conf = scaleout.write_config(tmp_path, common.free_port(), [common.free_port(), common.free_port()], debug=True)
    ok, message = scaleout.check_config(conf, tmp_path)
    assert ok, message
