"""`python -m bench` (what `make bench` runs): every measurement in one run, then the report.

Exit status: 0 when every section ran, whether or not goals were met (falling short is a finding,
reported as FALL SHORT); 2 when a section could not be measured (its goals show NOT MEASURED).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

from .common import APP, BENCH, EMPTY_APP, REFERENCE_APP, RESULTS, STRUCTURE_APP, Server, summary

SECTIONS = ("engine", "rerun", "browser", "load", "scaleout")


def _loadavg() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "-"


class CpuWatch:
    """CPU used on the machine by processes other than this benchmark and its descendants (servers,
    nginx, Chromium), as a share of all cores over a section. A sampling thread snapshots every
    process's CPU time every 0.25 s and attributes it by ancestry, so short-lived processes count too
    (to within one interval). A busy machine (other tests, builds) inflates every timing here."""

    def __init__(self, interval: float = 0.25):
        import threading

        import psutil

        self.psutil, self.interval = psutil, interval
        self.me = os.getpid()
        self.first: dict[tuple, float] = {}
        self.last: dict[tuple, float] = {}
        self.ours: set[tuple] = set()
        self.t0 = time.perf_counter()
        self._stop = threading.Event()
        self._snap(initial=True)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _snap(self, initial: bool = False) -> None:
        procs = {}
        for p in self.psutil.process_iter(["pid", "ppid", "cpu_times", "create_time"]):
            info = p.info
            if info["cpu_times"] is None:
                continue
            procs[info["pid"]] = info
        for pid, info in procs.items():
            key = (pid, info["create_time"])
            cpu = info["cpu_times"].user + info["cpu_times"].system
            if key not in self.first:
                self.first[key] = cpu if initial else 0.0  # born during the section: all its CPU counts
            self.last[key] = cpu
            seen, q = set(), pid
            while q and q not in seen and q in procs:
                if q == self.me:
                    self.ours.add(key)
                    break
                seen.add(q)
                q = procs[q]["ppid"]

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._snap()
            except Exception:  # noqa: BLE001 - a process may vanish mid-scan
                pass

    def foreign_pct(self) -> float:
        self._stop.set()
        self._thread.join(timeout=5)
        self._snap()
        wall = max(time.perf_counter() - self.t0, 1e-6)
        other = sum(self.last[k] - self.first[k] for k in self.last if k not in self.ours and k[0] != 0)
        return round(100 * max(0.0, other) / (wall * (os.cpu_count() or 1)), 1)


def _wait_quiet(limit_s: float, threshold_pct: float = 25.0, window_s: float = 5.0) -> float:
    """Wait (at most limit_s) for a window in which other processes use under threshold_pct of the
    cores; timings taken while others' tests or builds run are slower and noisier."""
    deadline = time.monotonic() + limit_s
    while True:
        watch = CpuWatch()
        time.sleep(window_s)
        other = watch.foreign_pct()
        if other < threshold_pct or time.monotonic() >= deadline:
            print(f"bench: other processes used {other:g}% of the CPU over {window_s:g} s"
                  + ("" if other < threshold_pct else "; starting anyway (see the contention line in the report)"),
                  flush=True)
            return other
        print(f"bench: waiting for a quieter machine (other processes use {other:g}% of the CPU)", flush=True)


def _versions() -> dict:
    import plotly
    import streamlit

    return {"streamlit": streamlit.__version__, "plotly": plotly.__version__}


def _setup(skip: bool) -> None:
    if skip:
        return
    r = subprocess.run(["sh", str(BENCH / "setup.sh")], capture_output=True, text=True, timeout=600)
    print((r.stdout + r.stderr).strip())
    if r.returncode != 0:
        print("bench/setup.sh failed: sections that need nginx or chromium will be NOT MEASURED")


def load_against_floor(sessions: int, changes: int, rounds: int = 2, html_bytes: int = 60_000) -> dict:
    """Goal 4: the same load (sessions x changes, all started together) on the consult page, on the
    empty script and on the consult page's structure without its work (bench/structure_app.py, sending
    `html_bytes` of HTML a change), each on a fresh `streamlit run` process started the same way and
    warmed by one lone session; in ABCD DCBA order (consult, empty, structure, the consult page's denominator,
    then the other way round) so drift in the machine's load hits all alike. Returns the consult figures pooled
    over its rounds, with the empty script's under "floor" and the p95 ratio, the structure's under "structure",
    and under "panel_input" the same load changing an input the side panel draws (the denominator, whose
    callback reruns the results: two runs a change), not judged."""
    from . import wsload

    order = []
    for k in range(rounds):
        kinds = ["consult", "empty", "structure", "panel_input"]
        order += [(kind, k) for kind in (kinds if k % 2 == 0 else kinds[::-1])]
    done: dict[str, list] = {kind: [] for kind, _ in order}
    apps = {"consult": (APP, []), "empty": (EMPTY_APP, []), "structure": (STRUCTURE_APP, ["--", str(html_bytes)]),
            "panel_input": (APP, [])}
    for kind, k in order:
        offset = k * sessions if (k + 1) * sessions <= len(wsload.goal_orders()) else 0
        script, args = apps[kind]
        with Server(script, extra=args) as server:  # fresh: RSS reflects this load only
            if kind == "consult":
                expected = asyncio.run(wsload.calibrate(server.url))
                r = asyncio.run(wsload.load(server.url, sessions, changes, expected, [server.pid], seed=5 + k,
                                            order_offset=offset))
            elif kind == "panel_input":
                asyncio.run(wsload.single_session(server.url, 20))
                r = asyncio.run(wsload.load(server.url, sessions, changes, None, [server.pid], seed=5 + k,
                                            target=wsload.PANEL_INPUT, order_offset=offset))
            else:
                asyncio.run(wsload.single_session(server.url, 20, select_label="Choice", values=("a", "b"), query=""))
                r = asyncio.run(wsload.load(server.url, sessions, changes, None, [server.pid], seed=5 + k,
                                            target=wsload.EMPTY))
        done[kind].append(r)
        print(f"bench: load round {kind} {k + 1}: rerun p50 {r['rerun_ms'].get('median')} ms, "
              f"p95 {r['rerun_ms'].get('p95')} ms, {r['errors']} errors", flush=True)
    out = wsload.merge_rounds(done["consult"])
    floor = wsload.merge_rounds(done["empty"])
    out["floor"] = floor
    floor_p95 = floor["rerun_ms"].get("p95")
    for kind in ("structure", "panel_input"):
        part = wsload.merge_rounds(done[kind])
        p95 = part["rerun_ms"].get("p95")
        part["ratio_p95"] = round(p95 / floor_p95, 2) if p95 and floor_p95 else None
        out[kind] = part
    out["structure"]["html_bytes"] = html_bytes
    out["order"] = [f"{kind} {k + 1}" for kind, k in order]
    p95 = out["rerun_ms"].get("p95")
    out["ratio_p95"] = round(p95 / floor_p95, 2) if p95 and floor_p95 else None
    med, floor_med = out["rerun_ms"].get("median"), floor["rerun_ms"].get("median")
    out["ratio_p50"] = round(med / floor_med, 2) if med and floor_med else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="reduced counts (a minute); written as quick.json/.md")
    # A subset (--only) is written as partial.json/.md, so latest.* always holds a complete run.
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    ap.add_argument("--out", default=str(RESULTS), help="directory for the result files")
    ap.add_argument("--no-setup", action="store_true", help="do not run bench/setup.sh (apt-get nginx/chromium)")
    ap.add_argument("--wait-quiet", type=float, default=60, metavar="S",
                    help="wait up to S seconds for other processes to leave the CPU mostly idle (default 60)")
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {sorted(unknown)}")
    q = args.quick
    n = {
        "engine_repeats": 3 if q else 9, "run_passes": 2 if q else 5, "reruns": 6 if q else 20,
        "iterations": 4 if q else 15, "loads": 2 if q else 7, "single": 6 if q else 20,
        "sessions": 10 if q else 50, "changes": 5 if q else 20,
    }

    t_start = time.perf_counter()
    results: dict = {"machine": {
        "cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(terse=True),
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "loadavg_start": _loadavg(),
        "quick": q, "counts": n, "sections": only, **_versions(),
    }}
    errors: dict[str, str] = {}
    print(f"bench: {os.cpu_count()} cores, sections {only}{' (quick)' if q else ''}", flush=True)
    _setup(args.no_setup or not ({"browser", "scaleout"} & set(only)))
    results["machine"]["other_cpu_pct_before"] = _wait_quiet(args.wait_quiet)

    def section(name: str, fn) -> None:
        if name not in only:
            return
        t = time.perf_counter()
        watch = CpuWatch()
        print(f"bench: {name} ...", flush=True)
        try:
            results[name] = fn()
            other = watch.foreign_pct()
            results.setdefault("timing_s", {})[name] = round(time.perf_counter() - t, 1)
            results.setdefault("other_cpu_pct", {})[name] = other
            print(f"bench: {name} done in {time.perf_counter() - t:.1f} s; CPU used by other processes on the "
                  f"machine meanwhile: {other:g}% of {os.cpu_count()} cores", flush=True)
        except Exception as exc:  # noqa: BLE001 - a failed section is reported, the others still run
            errors[name] = f"{type(exc).__name__}: {exc}"[:2000]
            traceback.print_exc()

    from . import engine, rerun

    section("engine", lambda: engine.measure(repeats=n["engine_repeats"], run_passes=n["run_passes"]))

    def rerun_and_single() -> dict:
        """Goal 2: the server's own rerun over a websocket, consult page against the empty script in turn (judged),
        and the whole script run in AppTest (what dominates, profiled)."""
        from . import wsload

        out = rerun.measure(reruns=n["reruns"])
        with Server(APP) as consult, Server(EMPTY_APP) as empty:
            ws = asyncio.run(wsload.paired(consult.url, empty.url, n["single"], consult.pid, empty.pid))
        c, e = summary(ws["consult_ms"], 1), summary(ws["empty_ms"], 1)
        results["ws_single"] = {"consult_ms": c, "empty_ms": e, "consult_run_shape": ws["consult_run_shape"],
                                "empty_run_shape": ws["empty_run_shape"],
                                "ratio_p50": round(c["median"] / e["median"], 2),
                                "method": "one raw websocket session per app, taken in turn, TCP_QUICKACK, rerun "
                                          "request (with the fragment id a browser sends) -> script_finished, "
                                          "alternating two values"}
        return out

    section("rerun", rerun_and_single)

    def browser_only() -> dict:
        from . import browser

        with Server(APP) as consult, Server(REFERENCE_APP) as ref:
            return browser.measure(consult.url, ref.url, iterations=n["iterations"], loads=n["loads"],
                                   consult_pid=consult.pid, reference_pid=ref.pid)

    section("browser", browser_only)

    def load() -> dict:
        html_kb = (results.get("ws_single") or {}).get("consult_run_shape", {}).get("html_kb")
        return load_against_floor(n["sessions"], n["changes"], rounds=1 if q else 2,
                                  html_bytes=round(1024 * html_kb) if html_kb else 60_000)

    section("load", load)

    def scale() -> dict:
        from . import scaleout

        return scaleout.run(processes=2, sessions=n["sessions"], changes=n["changes"])

    section("scaleout", scale)

    results["machine"]["loadavg_end"] = _loadavg()
    results["machine"]["duration_s"] = round(time.perf_counter() - t_start, 1)
    if "browser" in results:
        results["machine"]["chromium"] = results["browser"].get("chromium")

    from . import report

    goals, json_path, md_path = report.write(results, errors, Path(args.out),
                                             stem="quick" if q else ("latest" if set(only) == set(SECTIONS) else "partial"))
    print()
    print(report.console(goals, results["machine"], results))
    print(f"\nwrote {json_path} and {md_path} in {results['machine']['duration_s']} s")
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
