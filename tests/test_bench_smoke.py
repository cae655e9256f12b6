"""The benchmark package stays importable and its report writer works. No browser, no server, no timing:
speed goals are checked by `python -m bench` (PASS / FALL SHORT), never by assertions here."""

import importlib
import json

import pytest

import bench
from bench import common, report, scaleout, wsload

MODULES = ["bench.__main__", "bench.browser", "bench.common", "bench.engine", "bench.profiling", "bench.report",
           "bench.rerun", "bench.scaleout", "bench.wsload"]


@pytest.mark.parametrize("name", MODULES)
def test_bench_modules_import(name):
    assert importlib.import_module(name)


def test_bench_apps_and_files_exist():
    root = common.BENCH
    for name in ("reference_app.py", "empty_app.py", "nginx.conf.template", "setup.sh"):
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
    prof = {"profiled_runs": 2, "total_ms_per_run": 10.0,
            "project_by_cumulative": [{"function": "sdm/engine.py:1(run)", "calls_per_run": 1, "own_ms_per_run": 1,
                                       "cum_ms_per_run": 9, "cum_pct": 90}],
            "all_by_own_time": [], "_text": "private"}
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
    }


def test_report_writer_gives_a_verdict_per_goal(tmp_path):
    goals, json_path, md_path = report.write(_fake_results(), {}, tmp_path, stem="smoke")
    status = {g["id"]: g["status"] for g in goals}
    assert status == {"1": "PASS", "2": "FALL SHORT", "3": "PASS", "4": "PASS", "5a": "PASS", "5b": "FALL SHORT",
                      "5c": "PASS", "6": "PASS"}
    assert all(g["cores"] == 2 for g in goals)
    doc = json.loads(json_path.read_text())
    assert [g["id"] for g in doc["goals"]] == list(status)
    assert "private" not in json_path.read_text()  # profiler text stays out of the JSON
    md = md_path.read_text()
    assert "**FALL SHORT**" in md and "**PASS**" in md and "2 cores" in md
    assert not list(tmp_path.glob("*.tmp"))
    assert "FALL SHORT" in report.console(goals, {"cpu_count": 2})


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


def test_fingerprint_ignores_row_order_but_not_numbers():
    row = ('<section class="row" data-outcome="{o}"><img class="icon-array" data-had="{h}" data-maybe-had="0" '
           'data-maybe-not="0" data-did-not="1" data-total="1"></section>')
    a = row.format(o="a", h=1) + row.format(o="b", h=2)
    b = row.format(o="b", h=2) + row.format(o="a", h=1)
    c = row.format(o="a", h=1) + row.format(o="b", h=3)
    assert wsload.fingerprint([a]) == wsload.fingerprint([b]) != wsload.fingerprint([c])


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
