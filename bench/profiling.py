"""cProfile helpers: what dominates a measured call, in figures a report can show."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
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
