"""Goals, verdicts and the two result files (JSON for machines, Markdown for people)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .common import spread

PASS, SHORT, MISSING = "PASS", "FALL SHORT", "NOT MEASURED"


def _get(d: dict, *path, default=None):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return default
        d = d[p]
    return d


def _goal(gid: str, name: str, target: str, ok: bool | None, measured: str, **figures) -> dict:
    return {"id": gid, "name": name, "target": target, "status": MISSING if ok is None else (PASS if ok else SHORT),
            "measured": measured, "figures": figures}


def _missing(gid: str, name: str, target: str, why: str) -> dict:
    return _goal(gid, name, target, None, why)


def evaluate(results: dict, errors: dict | None = None) -> list[dict]:
    """Turn measured figures into one verdict per goal. Missing sections give NOT MEASURED."""
    errors = errors or {}
    cores = _get(results, "machine", "cpu_count")
    goals = []

    def why(section):
        return f"not measured: {errors.get(section, 'section skipped')}"

    def versus_reference(gid: str, name: str, target: str, part: str, max_ratio: float, max_ms: float | None):
        """A goal measured as the consult view's median against the reference app's, in one run."""
        m = _get(results, "browser", part)
        if not m:
            return _missing(gid, name, target, why("browser"))
        c, r = m["consult_ms"], m["reference_ms"]
        ratio = round(c["median"] / r["median"], 2)
        ok = ratio <= max_ratio and (max_ms is None or c["median"] <= max_ms)
        return _goal(gid, name, target, ok, f"consult {spread(c)} vs reference {spread(r)} = {ratio}x",
                     ratio=ratio, consult_median_ms=c["median"], reference_median_ms=r["median"])

    # 1. interaction latency
    goals.append(versus_reference("1", "Interaction latency (browser)", "median <= 1.3x reference and <= 250 ms",
                                  "interaction", 1.3, 250))

    # 2. server-side rerun: the server itself, over a websocket, as a browser asks for it (judged); the whole
    # script in AppTest beside it (AppTest always runs the whole script, so it cannot see a fragment rerun,
    # and it compiles the page afresh on every run)
    rr, ws = results.get("rerun"), results.get("ws_single")
    name, target = "Server rerun vs empty script (websocket, as a browser asks)", "p50 <= 3x empty script"
    apptest = ""
    if rr:
        apptest = (f"; AppTest, whole script: consult p50 {rr['consult_ms']['median']:g} ms vs empty "
                   f"{rr['empty_ms']['median']:g} ms = {rr['ratio_p50']}x"
                   + (f" (CPU {rr['ratio_cpu_p50']}x)" if "ratio_cpu_p50" in rr else ""))
    if ws:
        ratio = ws["ratio_p50"]
        shape, empty = ws.get("consult_run_shape") or {}, ws.get("empty_run_shape") or {}
        cpu = (f"; server CPU per rerun {shape['server_cpu_ms']:g} vs {empty['server_cpu_ms']:g} ms"
               if shape.get("server_cpu_ms") and empty.get("server_cpu_ms") else "")
        goals.append(_goal("2", name, target, ratio <= 3,
                           f"consult p50 {spread(ws['consult_ms'])} vs empty {spread(ws['empty_ms'])} = {ratio}x, "
                           f"{shape.get('messages')} vs {empty.get('messages')} messages{cpu}{apptest}",
                           ratio=ratio, consult_p50_ms=ws["consult_ms"]["median"], empty_p50_ms=ws["empty_ms"]["median"],
                           apptest_ratio=rr["ratio_p50"] if rr else None))
    else:
        goals.append(_missing("2", name, target, why("rerun") + apptest))

    # 3. first load
    goals.append(versus_reference("3", "First load to all charts", "median <= 1.0x reference first load",
                                  "first_load", 1.0, None))

    # 4. load, judged against the empty script under the same load (4a) and through nginx (4b)
    ld = results.get("load")
    target = ("p95 rerun <= 2x the empty script's under the same load, one process; 0 errors, sessions isolated, "
              "server RSS <= 400 MB")
    floor = _get(ld or {}, "floor")
    if ld and floor:
        p95, rss, f95 = ld["rerun_ms"].get("p95"), ld["server_rss_mb"]["max"], floor["rerun_ms"].get("p95")
        ratio = ld.get("ratio_p95") or (round(p95 / f95, 2) if p95 and f95 else None)
        ok = (ld["errors"] == 0 and floor["errors"] == 0 and ld["isolation_mismatches"] == 0 and ratio is not None
              and ratio <= 2 and rss <= 400 and ld["reruns_completed"] == ld["reruns_expected"]
              and floor["reruns_completed"] == floor["reruns_expected"])
        rounds = len(ld.get("rounds") or [1])
        goals.append(_goal(
            "4a", f"Load: {ld['sessions']} sessions x {ld['changes_per_session']} changes, one process, "
                  "vs the empty script", target, ok,
            f"consult rerun p95 {p95:g} ms (p50 {ld['rerun_ms']['median']:g}, max {ld['rerun_ms']['max']:g}) vs empty "
            f"script p95 {f95:g} ms (p50 {floor['rerun_ms']['median']:g}) under the same load = {ratio}x "
            f"(p50 {ld.get('ratio_p50')}x; {rounds} round(s) each, order {', '.join(ld.get('order', [])) or '-'}); "
            f"consult {ld['reruns_completed']}/{ld['reruns_expected']} reruns, {ld['errors']} errors, "
            f"{ld['isolation_mismatches']} isolation mismatches, server RSS max {rss:g} MB, "
            f"{ld['throughput_reruns_per_s']:g} reruns/s (empty script {floor['throughput_reruns_per_s']:g}/s, "
            f"{floor['errors']} errors)" + _structure_words(ld),
            ratio=ratio, p95_ms=p95, empty_p95_ms=f95, rss_max_mb=rss, errors=ld["errors"],
            isolation_mismatches=ld["isolation_mismatches"], throughput=ld["throughput_reruns_per_s"]))
    elif ld:
        goals.append(_missing("4a", "Load vs the empty script, one process", target,
                              "not measured: the empty script did not take the same load in this run"))
    else:
        goals.append(_missing("4a", "Load vs the empty script, one process", target, why("load")))

    so = results.get("scaleout")
    target = "p95 rerun <= 400 ms, same load, 2 processes behind nginx (the recipe in docs/deploy.md)"
    if so and so.get("rerun_ms", {}).get("p95") is not None:
        p95 = so["rerun_ms"]["p95"]
        f95 = _get(results, "load", "floor", "rerun_ms", "p95")
        ok = p95 <= 400 and so["reruns_completed"] == so["reruns_expected"]
        goals.append(_goal(
            "4b", f"Load: {so['sessions']} sessions x {so['changes_per_session']} changes, "
                  f"{so['processes']} processes behind nginx", target, ok,
            f"rerun p95 {p95:g} ms (p50 {so['rerun_ms']['median']:g}, max {so['rerun_ms']['max']:g}), "
            f"{so['reruns_completed']}/{so['reruns_expected']} reruns, {so['errors']} errors"
            + (f"; {round(p95 / f95, 2)}x the empty script's p95 on one process" if f95 else ""),
            p95_ms=p95, ratio_to_one_process_floor=round(p95 / f95, 2) if f95 else None))
    else:
        goals.append(_missing("4b", "Load through nginx, 2 processes", target, why("scaleout")))

    # 5. engine and handout
    en = results.get("engine")
    if en:
        g = en["sensitivity_grid"]["ms"]
        goals.append(_goal("5a", "Sensitivity grid (sdm.teaching.sensitivity_grid)", "median <= 50 ms",
                           g["median"] <= 50, f"{spread(g)}, {en['sensitivity_grid']['cells']} cells"
                           + (f"; CPU time median {en['sensitivity_grid']['cpu_ms']['median']:g} ms"
                              if "cpu_ms" in en["sensitivity_grid"] else ""),
                           median_ms=g["median"]))
        ho = en.get("handout", {})
        if "ms" in ho:
            goals.append(_goal("5b", "Handout PDF (sdm.outputs.handout.render)", "median <= 150 ms",
                               ho["ms"]["median"] <= 150,
                               f"{spread(ho['ms'])}, first call {ho['cold_ms']:g} ms, {ho['bytes']:,} bytes"
                               + (f"; CPU time median {ho['cpu_ms']['median']:g} ms" if "cpu_ms" in ho else ""),
                               median_ms=ho["ms"]["median"]))
        else:
            goals.append(_missing("5b", "Handout PDF (sdm.outputs.handout.render)", "median <= 150 ms",
                                  ho.get("missing", "not measured")))
        rs = en["run_per_scenario"]
        goals.append(_goal("5c", f"sdm.run per scenario ({rs['scenarios']} scenarios)", "mean < 1 ms",
                           rs["mean_ms"] < 1,
                           f"mean {rs['mean_ms']:g} ms over {rs['scenarios']} x {rs['passes']} calls"
                           + (f" (CPU time {rs['mean_cpu_ms']:g} ms)" if "mean_cpu_ms" in rs else "")
                           + "; per-scenario "
                           f"means {spread(rs['per_scenario_mean_ms'])}; slowest {rs['slowest_scenario']}",
                           mean_ms=rs["mean_ms"]))
    else:
        for gid, name, t in (("5a", "Sensitivity grid", "median <= 50 ms"), ("5b", "Handout PDF", "median <= 150 ms"),
                             ("5c", "sdm.run per scenario", "mean < 1 ms")):
            goals.append(_missing(gid, name, t, why("engine")))

    # 6. scale-out
    so = results.get("scaleout")
    target = ("N=2 behind nginx with its limits and CSP: sticky, websocket upgrade, 0 errors, sessions isolated, "
              "both processes used, limits never hit, 0 CSP violations")
    if so:
        ok = (so["errors"] == 0 and so["sticky_problems"] == 0 and so["isolation_mismatches"] == 0
              and so["upstreams_used"] == so["processes"] and so["reruns_completed"] == so["reruns_expected"]
              and so.get("limited_by_load", 0) == 0 and so.get("browser_check", {}).get("csp_violation_count", 0) == 0)
        bc = so.get("browser_check")
        hardening = (f"; limits {'in force' if so.get('limits') else 'absent'}, hit {so.get('limited_by_load', 0)} "
                     f"times by the load; CSP {'served' if so.get('csp') else 'absent'}, Chromium through nginx: "
                     f"{bc['csp_violation_count']} CSP violations over "
                     f"{bc.get('requests_to_nginx') or bc['requests']} requests" if bc else "")
        single = _get(results, "load", "throughput_reruns_per_s")
        gain = f" ({so['throughput_reruns_per_s'] / single:.2f}x one process)" if single else ""
        goals.append(_goal(
            "6", f"Scale-out: {so['processes']} processes behind nginx", target, ok,
            f"{so['reruns_completed']}/{so['reruns_expected']} reruns done, "
            f"{so['errors']} errors, {so['sticky_problems']} stickiness problems, {so['isolation_mismatches']} "
            f"isolation mismatches, sessions per process {sorted(so['sessions_per_upstream'].values())}; "
            f"{so['sessions']}x{so['changes_per_session']} reruns p95 {so['rerun_ms'].get('p95', 0):g} ms, "
            f"throughput {so['throughput_reruns_per_s']:g} reruns/s{gain}, RSS max {so['server_rss_mb']['max']:g} MB "
            f"(all processes){hardening}",
            throughput=so["throughput_reruns_per_s"], p95_ms=so["rerun_ms"].get("p95")))
    else:
        goals.append(_missing("6", "Scale-out behind nginx", target, why("scaleout")))

    for g in goals:
        g["cores"] = cores
    return goals


def _contention(results: dict) -> str:
    other = results.get("other_cpu_pct") or {}
    if not other:
        return ""
    parts = ", ".join(f"{k} {v:g}%" for k, v in other.items())
    before = _get(results, "machine", "other_cpu_pct_before")
    return (f"CPU taken by other processes during each section (share of all cores): {parts}"
            + (f"; just before the run: {before:g}%" if before is not None else ""))


def console(goals: list[dict], machine: dict, results: dict | None = None) -> str:
    lines = [f"Benchmark on {machine.get('cpu_count')} cores (os.cpu_count()); load average at start "
             f"{machine.get('loadavg_start')}, at end {machine.get('loadavg_end')}"]
    if results and _contention(results):
        lines.append(_contention(results))
    for g in goals:
        lines.append(f"[{g['status']:^12}] goal {g['id']}: {g['name']} [{g['cores']} cores]")
        lines.append(f"               measured: {g['measured']}")
        lines.append(f"               goal:     {g['target']}")
    findings = rerun_findings(results or {})
    if findings:
        lines.append("What dominates a consult rerun:")
        lines += [f"  - {x}" for x in findings]
    return "\n".join(lines)


_PROJECT_LAYERS = ("app_pages", "sdm", "app.py", "project")


def _runs(part: dict) -> str:
    """'one run a change' or 'two runs a change', from the runs counted on the wire (median)."""
    n = _get(part, "runs_per_change", "median")
    if not n:
        return "runs a change not counted"
    words = {1: "one run", 2: "two runs", 3: "three runs"}
    return f"{words.get(n, f'{n:g} runs')} a change"


def _structure_words(ld: dict) -> str:
    """Beside goal 4a, not judged, under the same load: the consult page's structure without its work
    (bench/structure_app.py), and a change of an input the side panel draws (the denominator), if measured."""
    sr = ld.get("structure") or {}
    beside = [("structure", f"the page's structure alone (bench/structure_app.py: {_runs(sr)}, the link, "
                            f"{sr.get('html_bytes', 0) / 1024:.0f} KB of HTML, none of the page's work)"),
              ("panel_input", "not judged, the same load changing an input the side panel draws (the denominator, "
                              f"{_runs(ld.get('panel_input') or {})}; the location: {_runs(ld)})")]
    out = ""
    for key, what in beside:
        part = ld.get(key) or {}
        p95 = _get(part, "rerun_ms", "p95")
        if p95:
            out += f"; {what} p95 {p95:g} ms = {part.get('ratio_p95')}x the empty script, {part['errors']} errors"
    return out


def rerun_findings(results: dict) -> list[str]:
    """What dominates a consult rerun, in sentences built from this run's figures."""
    rr = results.get("rerun") or {}
    prof = rr.get("profile") or {}
    lines = []
    if rr.get("consult_ms"):
        c, e = rr["consult_ms"]["median"], rr["empty_ms"]["median"]
        lines.append(f"A consult rerun (AppTest, median) takes {c:g} ms against {e:g} ms for the empty script: the page "
                     f"adds {round(c - e, 2):g} ms to the floor, where goal 2 (3x) leaves room for {round(2 * e, 2):g} ms.")
    layers = {r["layer"]: r["pct"] for r in prof.get("by_layer", [])}
    if layers:
        project = round(sum(layers.get(k, 0) for k in _PROJECT_LAYERS), 1)
        libs = ", ".join(f"{k} {v:g}%" for k, v in layers.items()
                         if k not in _PROJECT_LAYERS and k != "streamlit" and v >= 0.3)
        lines.append(f"Streamlit's own work dominates: {layers.get('streamlit', 0):g}% of the rerun's CPU time under "
                     f"cProfile is in Streamlit (building, checking and queueing the elements and widgets the page "
                     f"asks for, with the standard-library and built-in calls it makes); the project's own code "
                     f"(app_pages, sdm) is {project:g}%" + (f"; {libs}" if libs else "") + ".")
    sc = prof.get("streamlit_calls")
    if sc and sc.get("by_call"):
        big = ", ".join(f"{r['call']} {r['calls_per_run']:g}x {r['cpu_ms_per_run']:g} ms" for r in sc["by_call"][:5])
        lines.append(f"Without the profiler a rerun is {sc['run_cpu_ms']:g} ms of CPU in the script thread; the page's "
                     f"{sc['calls_per_run']:g} st.* calls take {sc['in_st_calls_ms']:g} ms of it "
                     f"({round(100 * sc['in_st_calls_ms'] / max(sc['run_cpu_ms'], 1e-9)):g}%), the rest is Streamlit's "
                     f"per-run work around the script and the page's own code. Largest: {big}.")
    shape = _get(results, "ws_single", "consult_run_shape")
    empty = _get(results, "ws_single", "empty_run_shape") or {}
    if shape:
        lines.append(f"On the wire one consult rerun is {shape['messages']} messages (the empty script: "
                     f"{empty.get('messages')}); the browser applies each one.")
    if shape and "server_cpu_ms" in shape and "server_cpu_ms" in empty and shape["messages"] > empty["messages"]:
        per = (shape["server_cpu_ms"] - empty["server_cpu_ms"]) / (shape["messages"] - empty["messages"])
        if per > 0:
            lines.append(f"Per message beyond the empty script's, the server spends about {per:.2f} ms of CPU (one "
                         f"session, {shape['server_cpu_ms']:g} against {empty['server_cpu_ms']:g} ms per rerun): under "
                         f"load the rerun time follows the CPU per rerun, so twice the empty script (goal 4a) leaves "
                         f"room for roughly {empty['server_cpu_ms'] / per:.0f} messages more than its "
                         f"{empty['messages']}.")
    ld = results.get("load") or {}
    s95, c95, f95 = _get(ld, "structure", "rerun_ms", "p95"), _get(ld, "rerun_ms", "p95"), _get(ld, "floor", "rerun_ms", "p95")
    if s95 and c95 and f95:
        lines.append(f"Under the {ld.get('sessions')}-session load (goal 4a), the consult page's structure with none of its work "
                     f"(bench/structure_app.py) is already {s95 / f95:.2f}x the empty script at p95 ({s95:g} against "
                     f"{f95:g} ms): Streamlit's cost for {_runs(ld['structure'])}, the link and the HTML block. The page's "
                     f"own work (the engine, the summary and the folds for each scenario not built before, and the "
                     f"rest of the results) takes it from {s95:g} to {c95:g} ms ({c95 / f95:.2f}x).")
    p95 = _get(ld, "panel_input", "rerun_ms", "p95")
    if p95 and f95:
        lines.append(f"The clot's location, which goal 4a changes, is drawn by the results themselves ({_runs(ld)}). "
                     f"An input the side panel draws asks for the results through its callback, and Streamlit runs "
                     f"that callback in a run it then ends early: the denominator's change under the same load is "
                     f"{_runs(ld['panel_input'])}, p95 {p95:g} ms = {p95 / f95:.2f}x the empty script (not judged).")
    return lines


def _calls_md(sc: dict | None, n: int = 12) -> list[str]:
    if not sc or not sc.get("by_call"):
        return []
    out = [f"**The page's st.* calls** (thread CPU time per rerun, no profiler; {sc['runs']} runs; a whole rerun "
           f"{sc['run_cpu_ms']:g} ms)", "", "| call | calls/run | CPU ms/run | share of the rerun |", "|---|---:|---:|---:|"]
    for r in sc["by_call"][:n]:
        out.append(f"| `{r['call']}` | {r['calls_per_run']:g} | {r['cpu_ms_per_run']:g} | {r['pct_of_rerun']:g}% |")
    rest = sc["by_call"][n:]
    if rest:
        out.append(f"| {len(rest)} other calls | {sum(r['calls_per_run'] for r in rest):g} | "
                   f"{round(sum(r['cpu_ms_per_run'] for r in rest), 2):g} | "
                   f"{round(sum(r['pct_of_rerun'] for r in rest), 1):g}% |")
    return out + [""]


def _profile_md(title: str, prof: dict | None, n: int = 6) -> list[str]:
    if not prof:
        return []
    out = [f"**{title}** (cProfile on thread CPU time, {prof['profiled_runs']} runs, {prof['total_ms_per_run']:g} ms "
           "per run under the profiler; shares matter, not absolute times)", "",
           "| function (project code) | calls/run | cumulative ms/run | share |", "|---|---:|---:|---:|"]
    for r in prof["project_by_cumulative"][:n]:
        out.append(f"| `{r['function']}` | {r['calls_per_run']:g} | {r['cum_ms_per_run']:g} | {r['cum_pct']:g}% |")
    out += ["", "| function (any, by own time) | calls/run | own ms/run |", "|---|---:|---:|"]
    for r in prof["all_by_own_time"][:4]:
        out.append(f"| `{r['function']}` | {r['calls_per_run']:g} | {r['own_ms_per_run']:g} |")
    if prof.get("by_layer"):
        out += ["", "| layer (own time; stdlib and built-ins charged to their callers) | ms/run | share |",
                "|---|---:|---:|"]
        out += [f"| {r['layer']} | {r['own_ms_per_run']:g} | {r['pct']:g}% |" for r in prof["by_layer"]]
    return out + [""]


def _page_split(it: dict, who: str) -> str:
    parts = ", ".join(f"{k} {it[f'{who}_page_{k}_ms']['median']:g}" for k in ("script", "style", "layout")
                      if _get(it, f"{who}_page_{k}_ms", "n"))
    return f"{it[f'{who}_page_busy_ms']['median']:g} ms busy ({parts} ms; medians)"


def markdown(goals: list[dict], results: dict, errors: dict) -> str:
    m = results.get("machine", {})
    md = [
        "# Benchmark report (`python -m bench`)", "",
        f"{m.get('generated')} · **{m.get('cpu_count')} cores** (os.cpu_count()) · {m.get('platform')} · "
        f"Python {m.get('python')} · streamlit {m.get('streamlit')} · plotly {m.get('plotly')} · "
        f"Chromium {_get(results, 'browser', 'chromium', default='-')} · load average at start "
        f"{m.get('loadavg_start')}, end {m.get('loadavg_end')} · run took {m.get('duration_s')} s"
        + (" · **quick mode (reduced counts)**" if m.get("quick") else ""), "",
        "Medians with spread (min, max, inter-quartile range, n). A goal is checked here, never by a timed test.",
        "",
        *([_contention(results) + ". Timings from a busy machine run slow: compare runs on a quiet one.", ""]
          if _contention(results) else []),
        "| goal | result | measured | target |", "|---|---|---|---|",
    ]
    for g in goals:
        md.append(f"| {g['id']}. {g['name']} | **{g['status']}** | {g['measured']} | {g['target']} |")
    md.append("")
    it = _get(results, "browser", "interaction")
    if it:
        md += ["## Where the interaction time goes", "",
               f"- Click event to new pictures: consult {spread(it['consult_from_click_event_ms'])}, reference "
               f"{spread(it['reference_from_click_event_ms'])} (the headline figure starts at `page.evaluate` just "
               "before Playwright's click, which adds Playwright's own click overhead to both).",
               f"- Rerun on the wire as Chromium saw it (rerun request sent to last message received, CDP frame "
               f"times): consult {spread(it['consult_websocket_ms'])}, reference {spread(it['reference_websocket_ms'])};"
               f" received per change: consult {it['consult_kb_received']['median']:g} KB, reference "
               f"{it['reference_kb_received']['median']:g} KB"
               + (f" in {it['consult_messages_received']['median']:g} and "
                  f"{it['reference_messages_received']['median']:g} messages." if "consult_messages_received" in it
                  else "."),
               *([f"- Server process CPU per change (psutil, 10 ms resolution): consult "
                  f"{spread(it['consult_server_cpu_ms'])}, reference {spread(it['reference_server_cpu_ms'])}. "
                  "When the wire time is much longer than the server CPU, the server was waiting for a core "
                  "(Chromium renders the incoming messages meanwhile; other load on the machine adds to it)."]
                 if _get(it, "consult_server_cpu_ms", "n") else []),
               *([f"- The page's main thread in Chromium per change (CDP Performance metrics, thread time, click to "
                  f"new state): consult {_page_split(it, 'consult')}; reference {_page_split(it, 'reference')}."]
                 if _get(it, "consult_page_busy_ms", "n") else []),
               ""]
    ws = results.get("ws_single")
    if ws:
        md += [f"- One websocket session without a browser (server time per rerun): consult "
               f"{spread(ws['consult_ms'])}, empty script {spread(ws['empty_ms'])} = {ws['ratio_p50']}x.",
               *([f"- One consult rerun sends {ws['consult_run_shape']['messages']} messages"
                  + (f" in {ws['consult_run_shape']['runs']} script run"
                     + ("s" if ws["consult_run_shape"]["runs"] != 1 else "") if "runs" in ws["consult_run_shape"] else "")
                  + (f" ({ws['consult_run_shape']['kb']:g} KB, {ws['consult_run_shape']['html_kb']:g} KB of it in "
                     "st.html bodies; a browser that holds the large ones in its message cache gets a reference "
                     "instead)" if "html_kb" in ws["consult_run_shape"] else "")
                  + "; elements by type: "
                  + ", ".join(f"{k} {v}" for k, v in ws["consult_run_shape"]["elements"].items())
                  + f" (the empty script: {ws['empty_run_shape'].get('messages')} messages)."]
                 if ws.get("consult_run_shape") else []),
               *([f"- Server CPU per rerun (psutil): consult {ws['consult_run_shape']['server_cpu_ms']:g} ms, of which "
                  f"{ws['consult_run_shape']['event_loop_cpu_ms']:g} ms in the event loop (websocket, serialising the "
                  f"messages) and the rest in the script thread; empty script {ws['empty_run_shape']['server_cpu_ms']:g}"
                  f" ms ({ws['empty_run_shape']['event_loop_cpu_ms']:g} ms event loop)."]
                 if "server_cpu_ms" in ws.get("consult_run_shape", {}) and "server_cpu_ms" in ws.get("empty_run_shape", {})
                 else []),
               ""]
    rr, en = results.get("rerun"), results.get("engine")
    if rr or en:
        md += ["## What dominates (profiles)", ""]
        if rr:
            md += [*(f"- {x}" for x in rerun_findings(results)), ""]
            md += _profile_md("Consult page rerun (AppTest, location change)", rr.get("profile"))
            md += _calls_md(_get(rr, "profile", "streamlit_calls"))
        if en:
            md += _profile_md("Sensitivity grid", en.get("profile_grid"))
            md += _profile_md("Handout PDF", en.get("profile_handout"))
    for key, title in (("load", "Load, one process"), ("scaleout", "Load through nginx")):
        d = results.get(key)
        if d:
            md += [f"## {title}", "",
                   f"{d['sessions']} sessions x {d['changes_per_session']} location changes, all started together; "
                   f"first run {spread(d['first_run_ms'])}; reruns {spread(d['rerun_ms'])}; wall {d['wall_s']} s; "
                   f"throughput {d['throughput_reruns_per_s']} reruns/s; server CPU {d['server_cpu_s']} s "
                   f"({d.get('server_cpu_ms_per_rerun', '-')} ms per run"
                   + (f", {d['server_event_loop_cpu_ms_per_rerun']:g} of them in the event loop"
                      if d.get("server_event_loop_cpu_ms_per_rerun") is not None else "")
                   + "), load generator CPU "
                   f"{d.get('load_generator_cpu_s', '-')} s (same machine); "
                   f"RSS before {d['server_rss_mb']['before']} MB, max {d['server_rss_mb']['max']} MB "
                   f"({d['server_processes']} process(es)); {d['mb_received']} MB received; isolation checked against "
                   f"{d['distinct_fingerprints']} distinct sets of calibrated numbers"
                   + (f", {d['facts_checked_per_run']['median']:g} numbers checked per run (min "
                      f"{d['facts_checked_per_run']['min']:g})" if _get(d, "facts_checked_per_run", "n") else "")
                   + f"; sessions per process {d.get('sessions_per_upstream') or '-'}.", ""]
            fl = d.get("floor")
            if fl:
                md += [f"The empty script under the same load, same process setup, in the same run (order: "
                       f"{', '.join(d.get('order', []))}): reruns {spread(fl['rerun_ms'])}; throughput "
                       f"{fl['throughput_reruns_per_s']} reruns/s; server CPU {fl.get('server_cpu_ms_per_rerun', '-')} "
                       f"ms per run ({fl.get('server_event_loop_cpu_ms_per_rerun', '-')} in the event loop); load generator CPU {fl.get('load_generator_cpu_s', '-')} s; RSS max "
                       f"{fl['server_rss_mb']['max']} MB; {fl['errors']} errors. p95 ratio {d.get('ratio_p95')}x, "
                       f"p50 ratio {d.get('ratio_p50')}x.", ""]
                sr = d.get("structure")
                if sr and _get(sr, "rerun_ms", "p95"):
                    md += [f"The consult page's structure without its work (bench/structure_app.py, "
                           f"{sr['html_bytes']:,} bytes of HTML a change), same load and setup: reruns "
                           f"{spread(sr['rerun_ms'])}; throughput {sr['throughput_reruns_per_s']} reruns/s; server CPU "
                           f"{sr.get('server_cpu_ms_per_rerun', '-')} ms per run; {sr['errors']} errors; p95 "
                           f"{sr.get('ratio_p95')}x the empty script's.", ""]
                if len(d.get("rounds", [])) > 1:
                    md += ["| round | p50 ms | p95 ms | reruns/s | server CPU ms/run | RSS max MB |",
                           "|---|---:|---:|---:|---:|---:|"]
                    for name, r in [(f"consult {i + 1}", r) for i, r in enumerate(d["rounds"])] + \
                                   [(f"empty {i + 1}", r) for i, r in enumerate(fl.get("rounds", []))]:
                        md.append(f"| {name} | {r['rerun_p50_ms']:g} | {r['rerun_p95_ms']:g} | "
                                  f"{r['throughput_reruns_per_s']:g} | {r['server_cpu_ms_per_rerun']} | "
                                  f"{r['server_rss_max_mb']:g} |")
                    md.append("")
            for ex in d.get("error_examples", []) + d.get("mismatch_examples", []) + d.get("sticky_examples", []):
                md.append(f"- {ex}")
    if errors:
        md += ["## Sections that failed", ""] + [f"- {k}: {v}" for k, v in errors.items()] + [""]
    md += ["Method and caveats: see `bench/__init__.py` and each module's docstring; recipe for several "
           "processes: `docs/deploy.md`.", ""]
    return "\n".join(md)


def _strip_private(obj):
    if isinstance(obj, dict):
        return {k: _strip_private(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list):
        return [_strip_private(v) for v in obj]
    return obj


def write(results: dict, errors: dict, out_dir: Path, stem: str = "latest") -> tuple[list[dict], Path, Path]:
    """Evaluate and write <stem>.json and <stem>.md atomically (temporary files, then rename)."""
    goals = evaluate(results, errors)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {"schema": 1, "goals": goals, "errors": errors, "results": _strip_private(results)}
    paths = []
    for suffix, text in ((".json", json.dumps(doc, indent=2, default=str)), (".md", markdown(goals, results, errors))):
        path = out_dir / f"{stem}{suffix}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + ("\n" if not text.endswith("\n") else ""))
        os.replace(tmp, path)
        paths.append(path)
    return goals, paths[0], paths[1]
