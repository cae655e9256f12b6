"""Goal 5: the pure engine, without Streamlit: sensitivity grid, handout PDF, sdm.run per scenario."""

from __future__ import annotations

import itertools
import time

from .common import summary

GRID_DAYS = (3, 10, 18, 40)
TIERS = ("low", "moderate", "high")


def _timed(fn, repeats: int, warmup: int = 1, cpu: list | None = None) -> tuple[list[float], float]:
    """(warm wall times in ms, the first (cold) call in ms). If `cpu` is given, it receives each warm
    call's CPU time in ms (time.thread_time): on a busy machine wall time grows, CPU time hardly."""
    t = time.perf_counter()
    fn()
    cold = (time.perf_counter() - t) * 1000
    for _ in range(warmup - 1):
        fn()
    out = []
    for _ in range(repeats):
        c = time.thread_time()
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - c) * 1000)
    return out, cold


def scenarios(base) -> list:
    """4 locations x days {3,10,18,40} x 3 bleeding tiers x limb-threatening on/off = 96 scenarios."""
    import sdm
    from sdm.evidence.models import Location

    return [sdm.make(base.rules, location=loc.value, symptom_days=d, bleeding_tier=t, limb_threatening=limb)
            for loc, d, t, limb in itertools.product(Location, GRID_DAYS, TIERS, (False, True))]


def measure(repeats: int = 9, run_passes: int = 5, profile: bool = True) -> dict:
    import sdm
    from sdm import teaching

    from .profiling import profile_call

    t = time.perf_counter()
    base = sdm.default()
    load_ms = (time.perf_counter() - t) * 1000
    out: dict = {"evidence_load_ms": round(load_ms, 1)}

    grid_cpu: list[float] = []
    grid_ms, grid_cold = _timed(lambda: teaching.sensitivity_grid(base), repeats, cpu=grid_cpu)
    cells = teaching.sensitivity_grid(base)
    out["sensitivity_grid"] = {"ms": summary(grid_ms), "cpu_ms": summary(grid_cpu), "cold_ms": round(grid_cold, 1),
                               "cells": len(cells),
                               "scenarios": len(cells) // max(1, len(base.vocabulary.options))}

    scs = scenarios(base)
    per_scenario = {i: [] for i in range(len(scs))}
    cpu0 = time.thread_time()
    for _ in range(run_passes):
        for i, sc in enumerate(scs):
            t = time.perf_counter()
            sdm.run(sc, base)
            per_scenario[i].append((time.perf_counter() - t) * 1000)
    run_cpu_ms = (time.thread_time() - cpu0) * 1000 / (run_passes * len(scs))
    means = [sum(v) / len(v) for v in per_scenario.values()]
    all_runs = [x for v in per_scenario.values() for x in v]
    t = time.perf_counter()
    scenarios(base)
    make_ms = (time.perf_counter() - t) * 1000 / len(scs)
    out["run_per_scenario"] = {
        "scenarios": len(scs), "passes": run_passes,
        "mean_ms": round(sum(all_runs) / len(all_runs), 3),
        "mean_cpu_ms": round(run_cpu_ms, 3),
        "per_scenario_mean_ms": summary(means, 3),
        "all_calls_ms": summary(all_runs, 3),
        "slowest_scenario": _describe(scs[max(range(len(means)), key=means.__getitem__)]),
        "make_ms_per_scenario": round(make_ms, 3),
    }

    try:
        from sdm.outputs import handout
        render = handout.render
    except (ImportError, AttributeError) as exc:
        out["handout"] = {"missing": f"sdm.outputs.handout.render is not available yet: {exc}"}
        render = None
    if render is not None:
        result = sdm.run(sdm.make(base.rules, location="iliofemoral", symptom_days=7, bleeding_tier="low"), base)
        ho_cpu: list[float] = []
        ho_ms, ho_cold = _timed(lambda: render(result, base), repeats, cpu=ho_cpu)
        pdf = render(result, base)
        r1000, _ = _timed(lambda: render(result, base, per=1000), max(3, repeats // 3))
        out["handout"] = {"ms": summary(ho_ms), "cpu_ms": summary(ho_cpu), "cold_ms": round(ho_cold, 1),
                          "bytes": len(pdf),
                          "per_1000_ms": summary(r1000), "scenario": "iliofemoral, 7 days, low bleeding, per 100"}

    if profile:
        out["profile_grid"] = profile_call(lambda: teaching.sensitivity_grid(base), 3)
        if render is not None:
            out["profile_handout"] = profile_call(lambda: render(result, base), 3)
    return out


def _describe(sc) -> str:
    return (f"{sc.location.value}, {sc.symptom_days} days, {sc.bleeding_tier.value if sc.bleeding_tier else '-'}"
            f", limb {'on' if sc.limb_threatening else 'off'}")
