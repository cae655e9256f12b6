"""Load through Streamlit's own websocket protocol, as a browser tab speaks it (design/streamlit.md §3).

Each simulated session connects to ws://HOST/_stcore/stream (subprotocol "streamlit", Origin of the
same host), asks for the first run with its own query string, takes the location selectbox's widget
id from that run's deltas, then changes the location N times, each time waiting for script_finished.
TCP_QUICKACK is set before every recv (otherwise loopback delayed ACKs add ~40 ms per rerun).

Session isolation: every session has its own order of "what matters most" goals in its link (one
of the 119 non-default orders), so every query string the server sends back names exactly one
session; and it picks its own random sequence of locations. After each rerun it checks, in the
messages it received, that (a) the query string names its own goals and its own latest location,
and (b) the numbers drawn (icon-array counts and option statuses, order-insensitive) are the ones
a lone calibration session saw for that location. A message meant for another session, or numbers
from another session's inputs, show up as a mismatch.

Internal protocol: it may change between Streamlit releases. Fine for a benchmark, not for tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .common import LOCATION_LABELS, summary

TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", None)
LOCATIONS = tuple(LOCATION_LABELS)
GOALS = ("avoid_bleeding", "avoid_pts", "fast_relief", "avoid_procedure", "save_limb")
_ICON = re.compile(r'<img class="icon-array"[^>]*?data-had="(\d+)" data-maybe-had="(\d+)" '
                   r'data-maybe-not="(\d+)" data-did-not="(\d+)" data-total="(\d+)"')
_STATUS = re.compile(r'data-option="([a-z_]+)" data-status="([a-z_]+)"')
_ROW = re.compile(r'<section class="row" data-outcome="([^"]+)"')


def goal_orders() -> list[str]:
    """Every non-default order of the five goals, as the link writes it (119 of them)."""
    orders = [",".join(p) for p in itertools.permutations(GOALS)]
    return [o for o in orders if o != ",".join(GOALS)]


def fingerprint(html_bodies: list[str]) -> str:
    """What the page drew for a scenario, independent of the goal order: the icon-array counts of
    every row (rows sorted) and every option's status."""
    text = "".join(html_bodies)
    rows = []
    for part in re.split(r'(?=<section class="row")', text)[1:]:
        m = _ROW.match(part)
        rows.append((m.group(1) if m else "?") + ":" + repr(_ICON.findall(part)))
    statuses = sorted(set(_STATUS.findall(text)))
    return hashlib.sha1(("|".join(sorted(rows)) + repr(statuses)).encode()).hexdigest()[:12]


def _fm():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return ForwardMsg


class Client:
    """One browser tab's worth of protocol."""

    def __init__(self, http_url: str, headers: dict | None = None, timeout: float = 120.0,
                 select_label: str = "Where is the clot?"):
        self.select_label = select_label
        self.http_url = http_url.rstrip("/")
        self.ws_url = self.http_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.headers = headers or {}
        self.timeout = timeout
        self.ws = None
        self.sock = None
        self.page_script_hash = ""
        self.selectbox_id: str | None = None
        self.query_string = ""
        self.response_headers: dict = {}
        self.bytes_received = 0

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], origin=self.http_url, additional_headers=self.headers,
            proxy=None, compression=None, max_size=None, ping_interval=None, open_timeout=30,
        )
        self.response_headers = {k.lower(): v for k, v in self.ws.response.headers.raw_items()}
        self.sock = self.ws.transport.get_extra_info("socket")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _quickack(self) -> None:
        if TCP_QUICKACK is not None and self.sock is not None:
            try:
                self.sock.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)
            except OSError:
                pass

    async def rerun(self, location_label: str | None = None) -> tuple[float, dict]:
        """Send one rerun request; return (ms until script_finished, what came back)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        ForwardMsg = _fm()
        bm = BackMsg()
        cs = bm.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_script_hash
        if location_label is not None:
            w = cs.widget_states.widgets.add()
            w.id = self.selectbox_id
            w.string_value = location_label
        got = {"html": [], "query_strings": [], "errors": [], "selectbox_id": None, "status": None,
               "messages": 0, "elements": {}}
        t0 = time.perf_counter()
        await self.ws.send(bm.SerializeToString())
        deadline = t0 + self.timeout
        while True:
            self._quickack()
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            self.bytes_received += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            got["messages"] += 1
            if kind == "new_session":
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "page_info_changed":
                got["query_strings"].append(msg.page_info_changed.query_string)
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                et = el.WhichOneof("type")
                got["elements"][et] = got["elements"].get(et, 0) + 1
                if et == "html":
                    got["html"].append(el.html.body)
                elif et == "selectbox" and el.selectbox.label == self.select_label:
                    got["selectbox_id"] = el.selectbox.id
                elif et == "exception":
                    got["errors"].append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
            elif kind == "ref_hash":
                got["errors"].append("unexpected ref_hash (client sent no cached hashes)")
            elif kind == "script_finished":
                got["status"] = msg.script_finished
                break
        ms = (time.perf_counter() - t0) * 1000
        if got["status"] not in (0, 3):
            got["errors"].append(f"script_finished status {got['status']}")
        if got["selectbox_id"]:
            self.selectbox_id = got["selectbox_id"]
        if got["query_strings"]:
            self.query_string = got["query_strings"][-1]
        return ms, got


@dataclass
class SessionResult:
    index: int
    goals: str
    first_ms: float | None = None
    rerun_ms: list[float] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    upstream: str | None = None
    sticky: list[str] = field(default_factory=list)
    bytes_received: int = 0


def _check(res: SessionResult, got: dict, loc: str, expected: dict[str, str], expect_qs: bool) -> None:
    """Does what came back belong to this session's own inputs?"""
    for qs in got["query_strings"]:
        q = {k: v[-1] for k, v in parse_qs(qs).items()}
        if q.get("goals") != res.goals or q.get("loc") != loc:
            res.mismatches.append(f"query string {qs!r} is not this session's (loc={loc}, goals={res.goals})")
    if expect_qs and not got["query_strings"]:
        res.mismatches.append(f"no query-string update after choosing {loc}")
    if loc in expected:
        fp = fingerprint(got["html"])
        if fp != expected[loc]:
            res.mismatches.append(f"numbers drawn for {loc} do not match a lone session's ({fp} != {expected[loc]})")


async def _session(index: int, http_url: str, goals: str, changes: int, expected: dict[str, str], seed: int,
                   start: asyncio.Event, ready: list, headers_for=None, timeout: float = 120.0) -> SessionResult:
    res = SessionResult(index=index, goals=goals)
    rng = random.Random(seed * 1000 + index)
    loc = LOCATIONS[index % len(LOCATIONS)]
    headers = headers_for(index) if headers_for else {}
    if headers and "_upstream" in headers:
        res.upstream = headers.pop("_upstream")
    client = Client(http_url, headers=headers, timeout=timeout)
    client.query_string = f"loc={loc}&days=7&bleed=low&goals={goals}"
    try:
        await client.connect()
        ws_upstream = client.response_headers.get("x-upstream")
        if res.upstream and not ws_upstream:
            res.sticky.append("no X-Upstream header on the websocket handshake: stickiness not verifiable")
        elif res.upstream and ws_upstream != res.upstream:
            res.sticky.append(f"websocket went to {ws_upstream}, the page came from {res.upstream}")
        res.upstream = ws_upstream or res.upstream
        ms, got = await client.rerun()
        res.first_ms = ms
        res.errors += got["errors"]
        _check(res, got, loc, expected, expect_qs=False)
        if client.selectbox_id is None:
            raise RuntimeError("no location selectbox in the first run")
        ready.append(index)
        await start.wait()
        for _ in range(changes):
            loc = rng.choice([x for x in LOCATIONS if x != loc])
            res.choices.append(loc)
            ms, got = await client.rerun(LOCATION_LABELS[loc])
            res.rerun_ms.append(ms)
            res.errors += got["errors"]
            _check(res, got, loc, expected, expect_qs=True)
    except Exception as exc:  # noqa: BLE001 - every failure is counted, never hidden
        res.errors.append(f"{type(exc).__name__}: {exc}"[:300])
        if index not in ready:
            ready.append(index)
    finally:
        res.bytes_received = client.bytes_received
        try:
            await asyncio.wait_for(client.close(), timeout=5)
        except Exception:  # noqa: BLE001
            pass
    return res


class RssSampler:
    """Samples the resident memory and CPU of server processes every `interval` seconds."""

    def __init__(self, pids: list[int], interval: float = 0.2):
        import psutil

        self.procs = [psutil.Process(p) for p in pids]
        self.interval = interval
        self.samples: list[float] = []  # MB, summed over the processes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.cpu0 = self._cpu()

    def _cpu(self) -> float:
        total = 0.0
        for p in self.procs:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except Exception:  # noqa: BLE001
                pass
        return total

    def rss_mb(self) -> float:
        total = 0
        for p in self.procs:
            try:
                total += p.memory_info().rss
            except Exception:  # noqa: BLE001
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.samples.append(self.rss_mb())
        self.cpu_s = self._cpu() - self.cpu0


async def calibrate(http_url: str, timeout: float = 60.0) -> dict:
    """A lone session visits every location: the numbers each one draws, and its rerun times."""
    client = Client(http_url, timeout=timeout)
    client.query_string = "loc=iliofemoral&days=7&bleed=low"
    await client.connect()
    try:
        _, got = await client.rerun()
        expected = {"iliofemoral": fingerprint(got["html"])}
        for loc in ("distal", "femoropopliteal", "iliocaval", "iliofemoral"):
            _, got = await client.rerun(LOCATION_LABELS[loc])
            fp = fingerprint(got["html"])
            if loc in expected and expected[loc] != fp:
                raise RuntimeError(f"the page drew different numbers for {loc} on two visits")
            expected[loc] = fp
    finally:
        await client.close()
    return expected


async def single_session(http_url: str, reruns: int, select_label: str = "Where is the clot?",
                         values: tuple[str, str] = (LOCATION_LABELS["distal"], LOCATION_LABELS["iliofemoral"]),
                         query: str = "loc=iliofemoral&days=7&bleed=low", shape: dict | None = None) -> list[float]:
    """Sequential reruns of one session changing a selectbox: server time per rerun seen on the wire.
    `shape`, if given, receives the last rerun's message count and elements by type."""
    client = Client(http_url, select_label=select_label)
    client.query_string = query
    await client.connect()
    try:
        await client.rerun()
        if client.selectbox_id is None:
            raise RuntimeError(f"no selectbox labelled {select_label!r}")
        times = []
        for i in range(reruns + 2):
            ms, got = await client.rerun(values[i % 2])
            if got["errors"]:
                raise RuntimeError(got["errors"][0])
            if i >= 2:  # two warm-up reruns
                times.append(ms)
        if shape is not None:
            shape.update(messages=got["messages"],
                         elements=dict(sorted(got["elements"].items(), key=lambda kv: -kv[1])))
        return times
    finally:
        await client.close()


async def load(http_url: str, sessions: int, changes: int, expected: dict[str, str], pids: list[int],
               seed: int = 5, headers_for=None, deadline_s: float = 300.0) -> dict:
    """`sessions` concurrent sessions, each making `changes` location changes, all started together."""
    orders = goal_orders()
    if sessions > len(orders):
        raise ValueError(f"at most {len(orders)} sessions have a unique goal order")
    start = asyncio.Event()
    ready: list = []
    cpu_client0 = time.process_time()
    with RssSampler(pids) as sampler:
        rss_before = sampler.rss_mb()
        t_connect = time.perf_counter()
        tasks = [asyncio.create_task(_session(i, http_url, orders[i], changes, expected, seed, start, ready,
                                              headers_for=headers_for)) for i in range(sessions)]
        t_end_connect = time.monotonic() + deadline_s / 2
        while len(ready) < sessions and time.monotonic() < t_end_connect:
            await asyncio.sleep(0.05)
        connect_s = time.perf_counter() - t_connect
        t0 = time.perf_counter()
        start.set()
        done, pending = await asyncio.wait(tasks, timeout=deadline_s)
        wall = time.perf_counter() - t0
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        results = []
        for t in done:
            if t.exception() is not None:
                results.append(SessionResult(index=-1, goals="", errors=[f"session crashed: {t.exception()!r}"]))
            else:
                results.append(t.result())
    results += [SessionResult(index=-1, goals="", errors=["did not finish within the deadline"]) for _ in pending]
    reruns = [ms for r in results for ms in r.rerun_ms]
    firsts = [r.first_ms for r in results if r.first_ms is not None]
    errors = [e for r in results for e in r.errors]
    mismatches = [m for r in results for m in r.mismatches]
    upstreams: dict[str, int] = {}
    for r in results:
        if r.upstream:
            upstreams[r.upstream] = upstreams.get(r.upstream, 0) + 1
    return {
        "sessions": sessions,
        "changes_per_session": changes,
        "reruns_completed": len(reruns),
        "reruns_expected": sessions * changes,
        "errors": len(errors),
        "reruns_missing": sessions * changes - len(reruns),
        "error_examples": errors[:5],
        "isolation_mismatches": len(mismatches),
        "mismatch_examples": mismatches[:5],
        "sessions_checked": sum(1 for r in results if r.rerun_ms),
        "distinct_fingerprints": len(set(expected.values())),
        "rerun_ms": summary(reruns, 1),
        "first_run_ms": summary(firsts, 1),
        "wall_s": round(wall, 2),
        "connect_and_first_run_s": round(connect_s, 2),
        "throughput_reruns_per_s": round(len(reruns) / wall, 1) if wall > 0 else None,
        "server_rss_mb": {"before": round(rss_before, 1), "max": round(max(sampler.samples), 1),
                          "median": round(sorted(sampler.samples)[len(sampler.samples) // 2], 1),
                          "samples": len(sampler.samples)},
        "server_cpu_s": round(sampler.cpu_s, 1),
        "server_cpu_ms_per_rerun": round(1000 * sampler.cpu_s / max(1, len(reruns) + len(firsts)), 1),
        "load_generator_cpu_s": round(time.process_time() - cpu_client0, 1),
        "server_processes": len(pids),
        "mb_received": round(sum(r.bytes_received for r in results) / 2**20, 1),
        "sessions_per_upstream": upstreams,
        "websocket_not_sticky": sum(len(r.sticky) for r in results),
        "sticky_examples": [m for r in results for m in r.sticky][:5],
    }
