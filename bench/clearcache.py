"""What Streamlit's clear-cache message costs this app: `python -m bench.clearcache`.

Any client of the websocket can send the BackMsg `clear_cache`. Streamlit 1.67 handles it for every
session, in every mode, with no option to turn it off (runtime/app_session.py, `_handle_clear_cache_request`):
it empties st.cache_data and st.cache_resource for the whole process, so every user's next rerun loads
the evidence again (app_pages/parts/state.py `_evidence`) and rebuilds every cached picture, note and
result for the new evidence object (views.py, sections.py, state.py key their caches by its id).

One server process, one "clinician" session changing the clot location back and forth (as goal 2), and:
  * warm: reruns with the caches filled (every location visited before);
  * after one clear: another session sends one clear_cache, then the clinician's next two reruns are
    timed (the first reloads the evidence; the second is a location not yet seen since the clear);
  * flood: `attackers` sessions each send clear_cache `rate` times a second while the clinician reruns;
    and, for comparison, the same flood of a harmless message (app_heartbeat): what any client can cost
    the server with any message.
Also timed in-process: loading the evidence (`sdm.load()`), the part of a cleared rerun that is fixed.
Writes bench/results/clearcache.json and prints one line per figure. All traffic is on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from .common import APP, LOCATION_LABELS, QUERY, RESULTS, Server, summary

PAIR = (LOCATION_LABELS["distal"], LOCATION_LABELS["iliofemoral"])


def _backmsg(kind: str) -> bytes:
    """A BackMsg with one flag set: `clear_cache`, or `app_heartbeat` (harmless, for comparison)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    bm = BackMsg()
    setattr(bm, kind, True)
    return bm.SerializeToString()


async def _clinician(url: str):
    from .wsload import Client

    c = Client(url)
    c.query_string = QUERY
    await c.connect()
    await c.rerun()
    for i in range(4):  # every location of the pair drawn twice: caches warm
        await c.rerun(PAIR[i % 2])
    return c


async def _timed(c, label: str) -> float:
    ms, got = await c.rerun(label)
    if got["errors"]:
        raise RuntimeError(got["errors"][0])
    return ms


async def measure_async(url: str, reruns: int, clears: int, attackers: int, rate: float) -> dict:
    from .wsload import Client

    msg = _backmsg("clear_cache")
    c = await _clinician(url)
    sender = Client(url)
    await sender.connect()
    i = 0
    try:
        warm = []
        for _ in range(reruns):
            warm.append(await _timed(c, PAIR[i % 2]))
            i += 1

        first, second, third = [], [], []
        for _ in range(clears):
            await sender.ws.send(msg)
            await asyncio.sleep(0.3)  # handled on the server's event loop before the next request
            first.append(await _timed(c, PAIR[i % 2]))
            second.append(await _timed(c, PAIR[(i + 1) % 2]))
            third.append(await _timed(c, PAIR[i % 2]))  # both locations drawn again since the clear
            i += 1  # next round starts from the other location

        flood = {}
        for kind in ("app_heartbeat", "clear_cache"):
            flood[kind], i = await _flood(url, c, _backmsg(kind), attackers, rate, reruns, i)
        await asyncio.sleep(0.5)
        after = []
        for _ in range(4):  # caches refill once the flood stops
            after.append(await _timed(c, PAIR[i % 2]))
            i += 1
    finally:
        await c.close()
        await sender.close()
    med = statistics.median
    return {
        "warm_rerun_ms": summary(warm, 1),
        "first_rerun_after_one_clear_ms": summary(first, 1),
        "second_rerun_after_one_clear_ms": summary(second, 1),
        "third_rerun_after_one_clear_ms": summary(third, 1),
        "cost_of_one_clear_ms": round(med(first) + med(second) - 2 * med(warm), 1),
        "flood": {"attackers": attackers, "messages_per_s_each": rate,
                  **{kind: {"sent_per_s": f["sent_per_s"], "rerun_ms": summary(f["ms"], 1),
                            "slowdown_median": round(med(f["ms"]) / med(warm), 2)} for kind, f in flood.items()}},
        "warm_again_after_the_flood_ms": summary(after[2:], 1),
    }


async def _flood(url: str, c, msg: bytes, attackers: int, rate: float, reruns: int, i: int):
    """`attackers` sessions each send `msg` `rate` times a second while the clinician reruns `reruns` times."""
    from .wsload import Client

    clients = [Client(url) for _ in range(attackers)]
    for a in clients:
        await a.connect()
    stop = asyncio.Event()
    sent = 0

    async def attack(a, offset):
        nonlocal sent
        await asyncio.sleep(offset)
        while not stop.is_set():
            await a.ws.send(msg)
            sent += 1
            try:
                await asyncio.wait_for(stop.wait(), timeout=1 / rate)
            except TimeoutError:
                pass

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(attack(a, k / (attackers * rate))) for k, a in enumerate(clients)]
    await asyncio.sleep(1.0)
    times = []
    for _ in range(reruns):
        times.append(await _timed(c, PAIR[i % 2]))
        i += 1
    stop.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    for a in clients:
        await a.close()
    return {"ms": times, "sent_per_s": round(sent / wall, 1)}, i


def evidence_load_ms(repeats: int = 5) -> dict:
    import sdm

    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        sdm.load()
        times.append((time.perf_counter() - t) * 1000)
    return summary(times, 1)


def run(reruns: int = 20, clears: int = 10, attackers: int = 100, rate: float = 1.0) -> dict:
    with Server(APP) as server:
        out = asyncio.run(measure_async(server.url, reruns, clears, attackers, rate))
    out["evidence_load_in_process_ms"] = evidence_load_ms()
    out["method"] = ("one process; a clinician session alternates two clot locations (rerun request -> "
                     "script_finished on the wire); other sessions send BackMsg clear_cache")
    return out


def lines(r: dict) -> list[str]:
    f = r["flood"]
    each = f"{f['attackers']} sessions x {f['messages_per_s_each']:g}/s"
    return [
        f"warm rerun: median {r['warm_rerun_ms']['median']} ms (p95 {r['warm_rerun_ms']['p95']} ms)",
        f"after one clear_cache from another session: next rerun median {r['first_rerun_after_one_clear_ms']['median']}"
        f" ms, the one after {r['second_rerun_after_one_clear_ms']['median']} ms, then "
        f"{r['third_rerun_after_one_clear_ms']['median']} ms; one clear costs the next user about "
        f"{r['cost_of_one_clear_ms']} ms",
        f"evidence load alone (in process): median {r['evidence_load_in_process_ms']['median']} ms",
        *(f"flood of {kind}: {each} ({f[kind]['sent_per_s']} sent/s): clinician reruns median "
          f"{f[kind]['rerun_ms']['median']} ms, p95 {f[kind]['rerun_ms']['p95']} ms = {f[kind]['slowdown_median']}x warm"
          for kind in ("app_heartbeat", "clear_cache")),
        f"after the flood: median {r['warm_again_after_the_flood_ms']['median']} ms",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.clearcache", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--clears", type=int, default=10)
    ap.add_argument("--attackers", type=int, default=100)
    ap.add_argument("--rate", type=float, default=1.0, help="clear_cache messages per second per attacker")
    args = ap.parse_args(argv)
    r = run(args.reruns, args.clears, args.attackers, args.rate)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "clearcache.json").write_text(json.dumps(r, indent=1) + "\n")
    for line in lines(r):
        print(line)
    print(f"wrote {RESULTS / 'clearcache.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
