"""Goal 2: server-side rerun of the consult page against an empty script, with AppTest, same process,
same config (the project's .streamlit/config.toml is read from the repo root), interleaved.

AppTest runs the whole multipage app: the consult page is measured through app.py (its default page).
Each timed rerun changes a widget: the consult page's location selectbox (alternating two locations),
the empty script's one selectbox. Then a cProfile of consult reruns shows what dominates.
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager
from urllib.parse import parse_qsl

from .common import APP, EMPTY_APP, LOCATION_LABELS, QUERY, ROOT, summary

LOCS = ("distal", "iliofemoral")


@contextmanager
def _in_root():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(old)


def _consult():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in parse_qsl(QUERY):
        at.query_params[k] = v
    at.run()
    if at.exception:
        raise RuntimeError(f"consult page raised: {at.exception[0].value}")
    return at


def _empty():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(EMPTY_APP), default_timeout=60)
    at.run()
    return at


def _rerun_consult(at, i: int) -> None:
    # Set through the session, not as a change of the widget: a change would rerun only the results fragment
    # (its callback asks for that), and this figure is the whole script's.
    at.session_state["in_location"] = LOCS[i % 2]
    at.run()


def _rerun_empty(at, i: int) -> None:
    at.selectbox(key="choice").set_value("ab"[i % 2]).run()


def measure(reruns: int = 20, warmup: int = 3, profile_runs: int = 6) -> dict:
    with _in_root():
        from streamlit import config

        consult, empty = _consult(), _empty()
        for i in range(warmup):
            _rerun_consult(consult, i)
            _rerun_empty(empty, i)
        c_ms, e_ms, c_cpu, e_cpu = [], [], [], []
        for i in range(reruns):  # interleaved so drift hits both alike
            for fn, at, wall, cpu in ((_rerun_consult, consult, c_ms, c_cpu), (_rerun_empty, empty, e_ms, e_cpu)):
                c, t = time.process_time(), time.perf_counter()
                fn(at, i)
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)  # this process's threads: AppTest's and the script's
        if consult.exception:
            raise RuntimeError(f"consult page raised: {consult.exception[0].value}")
        shown = consult.selectbox(key="in_location").value
        if shown != LOCS[(reruns - 1) % 2]:
            raise RuntimeError(f"the last rerun did not change the location ({shown})")
        c, e = summary(c_ms, 2), summary(e_ms, 2)
        out = {
            "method": "AppTest.from_file(app.py) / bench/empty_app.py, set_value(...).run(), perf_counter",
            "config": {k: config.get_option(k) for k in ("runner.postScriptGC", "runner.fastReruns",
                                                         "runner.magicEnabled")},
            "consult_ms": c,
            "empty_ms": e,
            "ratio_p50": round(c["median"] / e["median"], 2),
            # CPU time of the same reruns: on a busy machine the wall time also counts waiting for a core
            "consult_cpu_ms": summary(c_cpu, 2),
            "empty_cpu_ms": summary(e_cpu, 2),
            "ratio_cpu_p50": round(statistics.median(c_cpu) / max(statistics.median(e_cpu), 1e-6), 2),
            # The goal is 3x: what the consult page may add to the floor, and what it adds now.
            "page_work_ms": round(c["median"] - e["median"], 2),
            "page_work_allowed_ms": round(2 * e["median"], 2),
            "labels": [LOCATION_LABELS[x] for x in LOCS],
        }
        out["profile"] = profile(consult, profile_runs)
        return out


def _script_thread_hook(before, after):
    """Run `before()` / `after()` inside AppTest's script thread, around each script run."""
    from streamlit.testing.v1 import local_script_runner as lsr

    original = lsr.LocalScriptRunner._run_script_thread

    def hooked(self):
        before()
        try:
            return original(self)
        finally:
            after()

    lsr.LocalScriptRunner._run_script_thread = hooked
    return lambda: setattr(lsr.LocalScriptRunner, "_run_script_thread", original)


def profile(at, runs: int) -> dict:
    """What a consult rerun spends its time on, two ways (AppTest runs the script in its own thread,
    so both are switched on inside that thread, around the script run only):
    1. cProfile: project functions by cumulative time, all functions by own time, own time by layer
       (app_pages, sdm, streamlit, protobuf, ...);
    2. every `st.*` call the page makes, timed in the thread's CPU time (no profiler overhead on the
       rest), against the whole run's CPU time."""
    from .profiling import calls_table, new_profile, streamlit_calls, top

    prof = new_profile()
    restore = _script_thread_hook(prof.enable, prof.disable)
    try:
        for i in range(runs):
            _rerun_consult(at, i)
    finally:
        restore()
    out = top(prof, runs)

    cpu = {"t": 0, "total": 0}
    restore = _script_thread_hook(lambda: cpu.update(t=time.thread_time_ns()),
                                  lambda: cpu.update(total=cpu["total"] + time.thread_time_ns() - cpu["t"]))
    calls: dict = {}
    try:
        with streamlit_calls(calls):
            for i in range(runs):
                _rerun_consult(at, i)
    finally:
        restore()
    run_s = cpu["total"] / 1e9
    table = calls_table(calls, runs, run_s)
    out["streamlit_calls"] = {
        "runs": runs, "run_cpu_ms": round(run_s * 1000 / runs, 2),
        "in_st_calls_ms": round(sum(r["cpu_ms_per_run"] for r in table), 2),
        "calls_per_run": round(sum(r["calls_per_run"] for r in table), 1),
        "by_call": table,
    }
    return out
