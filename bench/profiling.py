"""cProfile helpers: what dominates a measured call, in figures a report can show."""

from __future__ import annotations

import cProfile
import inspect
import io
import pstats
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .common import ROOT


def _where(key: tuple) -> str:
    filename, line, func = key
    path = Path(filename)
    try:
        rel = path.resolve().relative_to(ROOT)
        name = str(rel)
    except (ValueError, OSError):
        parts = path.parts
        name = "/".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts else filename
    return f"{name}:{line}({func})"


def _is_project(key: tuple) -> bool:
    filename = key[0]
    return filename.startswith(str(ROOT)) and "/.venv/" not in filename and "/bench/" not in filename


# Where a function's code lives, for the by-layer split: the project's own folders, then libraries.
_LIBRARIES = {"streamlit": "streamlit", "google": "protobuf", "pydantic": "pydantic", "pydantic_core": "pydantic",
              "plotly": "plotly", "pandas": "pandas", "numpy": "numpy", "pyarrow": "pyarrow", "tornado": "tornado",
              "fpdf": "fpdf2", "fontTools": "fpdf2 (fontTools)", "yaml": "yaml", "markdown_it": "markdown",
              "narwhals": "plotly"}


def layer(filename: str) -> str:
    """'app_pages', 'sdm', 'streamlit', 'protobuf', ..., 'stdlib' or 'other' for a code object's file."""
    if filename.startswith(str(ROOT)) and "/.venv/" not in filename and "site-packages" not in filename:
        rel = Path(filename).relative_to(ROOT).parts
        return rel[0] if len(rel) > 1 else "app.py" if rel[0] == "app.py" else "project"
    parts = Path(filename).parts
    if "site-packages" in parts:
        pkg = parts[parts.index("site-packages") + 1] if parts.index("site-packages") + 1 < len(parts) else "?"
        return _LIBRARIES.get(pkg.split(".")[0], "other libraries")
    if filename.startswith(sys.base_prefix) or filename.startswith("<frozen"):
        return "stdlib"
    return "other"


def by_layer(st: pstats.Stats, calls: int) -> list[dict]:
    """Own time per layer. Time in the standard library and in C built-ins (isinstance, dict.get,
    threading.current_thread, ...) is charged to the layers that called them, in proportion to the
    time spent under each caller (pstats keeps it per caller), so "streamlit" includes the stdlib
    work Streamlit asked for. What no layer called stays "stdlib"."""
    memo: dict[tuple, dict[str, float]] = {}

    def shares(key: tuple, depth: int = 0) -> dict[str, float]:
        """Which layers a function's time belongs to (weights summing to 1)."""
        own = layer(key[0]) if key[0] != "~" else "stdlib"
        if own != "stdlib":
            return {own: 1.0}
        if key in memo:
            return memo[key]
        memo[key] = {"stdlib": 1.0}  # cycle guard
        callers = st.stats[key][4] if key in st.stats else {}
        weights: dict[str, float] = {}
        total = sum(edge[2] + edge[3] * 1e-6 for edge in callers.values())
        if depth < 30 and total > 0:
            for caller, edge in callers.items():
                w = (edge[2] + edge[3] * 1e-6) / total
                for lay, x in shares(caller, depth + 1).items():
                    weights[lay] = weights.get(lay, 0.0) + w * x
        memo[key] = weights or {"stdlib": 1.0}
        return memo[key]

    totals: dict[str, float] = {}
    for key, (_cc, _nc, tt, _ct, _callers) in st.stats.items():
        for lay, w in shares(key).items():
            totals[lay] = totals.get(lay, 0.0) + tt * w
    whole = max(sum(totals.values()), 1e-9)
    return [{"layer": k, "own_ms_per_run": round(v * 1000 / calls, 2), "pct": round(100 * v / whole, 1)}
            for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v * 1000 / calls >= 0.005]


def top(prof: cProfile.Profile, calls: int, n: int = 12) -> dict:
    """Project functions by cumulative time and all functions by own time, per call of the measured thing."""
    st = pstats.Stats(prof)
    total = max(st.total_tt, 1e-9)
    rows = []
    for key, (_cc, nc, tt, ct, _callers) in st.stats.items():
        rows.append((key, nc, tt, ct))

    def fmt(key, nc, tt, ct):
        return {"function": _where(key), "calls_per_run": round(nc / calls, 1),
                "own_ms_per_run": round(tt * 1000 / calls, 2), "cum_ms_per_run": round(ct * 1000 / calls, 2),
                "cum_pct": round(100 * ct / total, 1)}

    project = sorted((r for r in rows if _is_project(r[0]) and r[0][2] != "<module>"), key=lambda r: -r[3])[:n]
    own = sorted(rows, key=lambda r: -r[2])[:n]
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(40)
    return {
        "profiled_runs": calls,
        "total_ms_per_run": round(total * 1000 / calls, 2),
        "project_by_cumulative": [fmt(*r) for r in project],
        "all_by_own_time": [fmt(*r) for r in own],
        "by_layer": by_layer(st, calls),
        "_text": text.getvalue(),
    }


def new_profile() -> cProfile.Profile:
    """A profiler that counts the thread's CPU time, not wall time: on a busy machine a thread that
    waits for a core would otherwise charge the wait to whatever line it was on."""
    return cProfile.Profile(time.thread_time_ns, 1e-9)


def profile_call(fn, repeats: int) -> dict:
    prof = new_profile()
    for _ in range(repeats):
        prof.enable()
        try:
            fn()
        finally:
            prof.disable()
    return top(prof, repeats)


# Streamlit's public API objects that are not per-rerun element calls (decorators applied at import,
# classes, helpers), so they are left alone when timing the page's st.* calls.
_NOT_CALLS = {"cache_data", "cache_resource", "cache", "fragment", "dialog", "experimental_fragment",
              "experimental_dialog", "Page", "column_config", "testing"}


@contextmanager
def streamlit_calls(out: dict):
    """Time every `st.<name>(...)` call the page makes, and its session_state / query_params access, in
    the calling thread's CPU time; only the outermost call counts (one st call inside another is part
    of it). `out` receives {name: [calls, seconds]}. The page looks these names up on the `streamlit`
    module at call time, so patching the module's attributes catches them; everything is restored on
    exit."""
    import streamlit as st

    local = threading.local()

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            if getattr(local, "depth", 0):
                return fn(*args, **kwargs)
            local.depth = 1
            t = time.thread_time_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                local.depth = 0
                rec = out.setdefault(name, [0, 0.0])
                rec[0] += 1
                rec[1] += (time.thread_time_ns() - t) / 1e9
        wrapper.__wrapped__ = fn
        return wrapper

    saved_module, saved_class = {}, []
    for name in dir(st):
        obj = getattr(st, name, None)
        if name.startswith("_") or name in _NOT_CALLS or not callable(obj) or inspect.isclass(obj) \
                or inspect.ismodule(obj):
            continue
        saved_module[name] = obj
        setattr(st, name, timed(name, obj))
    for proxy, label in ((st.session_state, "session_state"), (st.query_params, "query_params")):
        cls = type(proxy)
        for meth in ("__getitem__", "__setitem__", "__contains__", "__delitem__", "get", "setdefault", "pop",
                     "__getattr__", "__setattr__", "to_dict", "from_dict", "update", "clear"):
            if meth in cls.__dict__:
                saved_class.append((cls, meth, cls.__dict__[meth]))
                setattr(cls, meth, timed(label, cls.__dict__[meth]))
    try:
        yield out
    finally:
        for name, obj in saved_module.items():
            setattr(st, name, obj)
        for cls, meth, fn in saved_class:
            setattr(cls, meth, fn)


def calls_table(out: dict, runs: int, run_cpu_s: float) -> list[dict]:
    """`streamlit_calls` figures per rerun, biggest first, with their share of the rerun's CPU time."""
    rows = [{"call": f"st.{k}", "calls_per_run": round(c / runs, 1), "cpu_ms_per_run": round(sec * 1000 / runs, 2),
             "pct_of_rerun": round(100 * sec / max(run_cpu_s, 1e-9), 1)} for k, (c, sec) in out.items()]
    return sorted(rows, key=lambda r: -r["cpu_ms_per_run"])
