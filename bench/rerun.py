"""Goal 2: server-side rerun of the consult page against an empty script, with AppTest, same process,
same config (the project's .streamlit/config.toml is read from the repo root), interleaved.

AppTest runs the whole multipage app: the consult page is measured through app.py (its default page).
Each timed rerun changes a widget: the consult page's location selectbox (alternating two locations),
the empty script's one selectbox. Then a cProfile of consult reruns shows what dominates.
"""

from __future__ import annotations

import os
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
    at.selectbox(key="in_location").set_value(LOCS[i % 2]).run()


def _rerun_empty(at, i: int) -> None:
    at.selectbox(key="choice").set_value("ab"[i % 2]).run()


def measure(reruns: int = 20, warmup: int = 3, profile_runs: int = 6) -> dict:
    with _in_root():
        from streamlit import config

        consult, empty = _consult(), _empty()
        for i in range(warmup):
            _rerun_consult(consult, i)
            _rerun_empty(empty, i)
        c_ms, e_ms = [], []
        for i in range(reruns):  # interleaved so drift hits both alike
            t = time.perf_counter()
            _rerun_consult(consult, i)
            c_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _rerun_empty(empty, i)
            e_ms.append((time.perf_counter() - t) * 1000)
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
            "labels": [LOCATION_LABELS[x] for x in LOCS],
        }
        out["profile"] = profile(consult, profile_runs)
        return out


def profile(at, runs: int) -> dict:
    """cProfile of consult reruns. AppTest runs the script in its own thread, so the profiler is
    switched on inside that thread, around the script run only."""
    from streamlit.testing.v1 import local_script_runner as lsr

    from .profiling import new_profile, top

    prof = new_profile()
    original = lsr.LocalScriptRunner._run_script_thread

    def profiled(self):
        prof.enable()
        try:
            return original(self)
        finally:
            prof.disable()

    lsr.LocalScriptRunner._run_script_thread = profiled
    try:
        for i in range(runs):
            _rerun_consult(at, i)
    finally:
        lsr.LocalScriptRunner._run_script_thread = original
    return top(prof, runs)
