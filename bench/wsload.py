"""Load through Streamlit's own websocket protocol, as a browser tab speaks it (design/streamlit.md §3).

Each simulated session connects to ws://HOST/_stcore/stream (subprotocol "streamlit", Origin of the
same host), asks for the first run with its own query string, takes the selectbox's widget id from
that run's deltas, then changes its value N times, each time waiting for script_finished.
TCP_QUICKACK is set before every recv (otherwise loopback delayed ACKs add ~40 ms per rerun).

Two targets take the same load: the consult page (`CONSULT`: the clot location) and the empty script
(`EMPTY`: bench/empty_app.py's one selectbox), the floor goal 4 is judged against.

Session isolation (consult page only): every session has its own order of "what matters most" goals
in its link (one of the 119 non-default orders), so every query string the server sends back names
exactly one session; and it picks its own random sequence of locations. After each rerun it checks,
in the messages it received, that (a) the query string names its own goals and its own latest
location, and (b) every number drawn is one that lone calibration sessions saw for that location:
the "facts" of a run are its icon-array counts (with the option and outcome of the cell that holds
them, when the markup says so) and its option statuses; a run's facts must all be among the facts
calibration saw for its location, over several goal orders (so a summary that shows only the top
goals' rows, or shows them in another order, still matches). A message meant for another session,
or numbers from another session's inputs, show up as a mismatch.

Internal protocol: it may change between Streamlit releases. Fine for a benchmark, not for tests.
"""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import itertools
import random
import re
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .common import LOCATION_LABELS, QUERY, summary

TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", None)
LOCATIONS = tuple(LOCATION_LABELS)
GOALS = ("avoid_bleeding", "avoid_pts", "fast_relief", "avoid_procedure", "save_limb")
_ICON = re.compile(r'<img class="icon-array"[^>]*?data-had="(\d+)" data-maybe-had="(\d+)" '
                   r'data-maybe-not="(\d+)" data-did-not="(\d+)" data-total="(\d+)"')
_STATUS = re.compile(r'data-option="([a-z_]+)" data-status="([a-z_]+)"')


def goal_orders() -> list[str]:
    """Every non-default order of the five goals, as the link writes it (119 of them)."""
    orders = [",".join(p) for p in itertools.permutations(GOALS)]
    return [o for o in orders if o != ",".join(GOALS)]


# A cell names its option and outcome (either order); the tag it opens is found from there.
_CELL = re.compile(r'data-option="([a-z_]+)"[^>]*? data-outcome="([^"]+)"|data-outcome="([^"]+)"[^>]*? data-option="([a-z_]+)"')
_TAG = re.compile(r"<([a-z][a-z0-9]*)")


def _extent(body: str, tag: str, start: int) -> int:
    """Where the element whose opening tag starts at `start` ends (its matching close tag)."""
    depth = 0
    for m in re.compile(rf"<(/?){tag}\b").finditer(body, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(body)


def _body_facts(body: str) -> frozenset[str]:
    out = {f"status:{o}={s}" for o, s in _STATUS.findall(body)}
    cells = []  # (start, end, key), in document order
    for m in _CELL.finditer(body):
        opt, outcome = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        start = body.rfind("<", 0, m.start())
        tag = _TAG.match(body, start)
        if start < 0 or tag is None:
            continue
        cells.append((start, _extent(body, tag.group(1), start), f"{opt}/{outcome}"))
    starts = [c[0] for c in cells]
    for m in _ICON.finditer(body):
        key, i = "-", bisect.bisect_right(starts, m.start()) - 1
        while i >= 0:  # the innermost cell that contains it
            if cells[i][1] > m.start():
                key = cells[i][2]
                break
            i -= 1
        out.add(f"{key}:{'/'.join(m.groups())}")
    return frozenset(out)


_FACTS_CACHE: dict[bytes, frozenset[str]] = {}


def facts(html_bodies: list[str]) -> frozenset[str]:
    """What a run drew, independent of the goal order and of which rows a summary shows: every
    icon array's counts, keyed by the option and outcome of the cell that holds it ("-" outside any
    cell), and every option's status. Bodies repeat across sessions and reruns, so each distinct one
    is read once (keyed by its SHA-1): the load generator shares the cores with the server."""
    out: set[str] = set()
    for body in html_bodies:
        key = hashlib.sha1(body.encode()).digest()
        got = _FACTS_CACHE.get(key)
        if got is None:
            if len(_FACTS_CACHE) > 4096:
                _FACTS_CACHE.clear()
            got = _FACTS_CACHE[key] = _body_facts(body)
        out |= got
    return frozenset(out)


def fingerprint(html_bodies: list[str]) -> str:
    """A short name for a run's facts (for the report)."""
    return hashlib.sha1("|".join(sorted(facts(html_bodies))).encode()).hexdigest()[:12]


def _fm():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return ForwardMsg


class Client:
    """One browser tab's worth of protocol. A change whose callback asks for another run (the consult page's
    inputs rerun its results: app_pages/parts/inputs.py) ends its first run early and the asked-for run follows
    on the same request; the time and the messages are counted to the end of the last run, as a browser waits
    for it, and `runs` counts the runs. (The clot's location, which the benchmark changes, is drawn by the
    results themselves: its change is one run.)"""

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
        self.fragment_id = ""  # the fragment that drew the selectbox, if any: a browser reruns only that
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
        """Send one rerun request; return (ms until the last script_finished, what came back)."""
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
            cs.fragment_id = self.fragment_id  # as Streamlit's frontend sends it for a widget in a fragment
        got = {"html": [], "query_strings": [], "errors": [], "selectbox_id": None, "fragment_id": "", "status": None,
               "messages": 0, "elements": {}, "runs": 0}
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
                elif et in ("selectbox", "radio") and getattr(el, et).label == self.select_label:
                    got["selectbox_id"] = getattr(el, et).id  # a radio's value is its option's words, as a box's
                    got["fragment_id"] = msg.delta.fragment_id
                elif et == "exception":
                    got["errors"].append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
            elif kind == "ref_hash":
                got["errors"].append("unexpected ref_hash (client sent no cached hashes)")
            elif kind == "script_finished":
                got["status"] = msg.script_finished
                got["runs"] += 1
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a callback asked for another run (the consult page's results): it follows at once
                break
        ms = (time.perf_counter() - t0) * 1000
        if got["status"] not in (0, 3):
            got["errors"].append(f"script_finished status {got['status']}")
        if got["selectbox_id"]:
            self.selectbox_id = got["selectbox_id"]
            self.fragment_id = got["fragment_id"]
        if got["query_strings"]:
            self.query_string = got["query_strings"][-1]
        return ms, got


@dataclass(frozen=True)
class Target:
    """What a load session drives: the selectbox it changes (by label), its choices (key -> option
    label), the link a session opens (None: no query string), and whether isolation is checked."""

    name: str
    select_label: str
    choices: dict[str, str]
    link: str | None = None  # formatted with {choice} and {goals}
    checked: bool = True
    fixed_link: bool = False  # the link stays as given: the choice is not part of it

    def first_choice(self, index: int) -> str:
        keys = list(self.choices)
        # without a link, or a link that does not hold the choice, the widget's default
        return keys[index % len(keys)] if self.link and not self.fixed_link else keys[0]


CONSULT = Target("consult page", "Where is the clot?", LOCATION_LABELS, "loc={choice}&days=7&bleed=low&goals={goals}")
EMPTY = Target("empty script", "Choice", {"a": "a", "b": "b"}, None, checked=False)
# An input the side panel draws, whose change reruns the results through its callback (two runs): the
# denominator. Not judged; beside goal 4a so that the report does not speak for the location's change alone.
PANEL_INPUT = Target("consult page, the denominator", "Show each risk out of",
                     {"100": "100 people", "1000": "1,000 people"},
                     QUERY + "&goals={goals}", checked=False, fixed_link=True)


@dataclass
class SessionResult:
    index: int
    goals: str
    first_ms: float | None = None
    rerun_ms: list[float] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)  # script runs per change
    upstream: str | None = None
    sticky: list[str] = field(default_factory=list)
    bytes_received: int = 0
    facts_checked: list[int] = field(default_factory=list)


def _check(res: SessionResult, got: dict, loc: str, expected: dict[str, frozenset], expect_qs: bool) -> None:
    """Does what came back belong to this session's own inputs?"""
    for qs in got["query_strings"]:
        q = {k: v[-1] for k, v in parse_qs(qs).items()}
        if q.get("goals") != res.goals or q.get("loc") != loc:
            res.mismatches.append(f"query string {qs!r} is not this session's (loc={loc}, goals={res.goals})")
    if expect_qs and not got["query_strings"]:
        res.mismatches.append(f"no query-string update after choosing {loc}")
    if loc in expected:
        seen = facts(got["html"])
        res.facts_checked.append(len(seen))
        foreign = sorted(seen - expected[loc])
        if foreign:
            res.mismatches.append(f"{len(foreign)} numbers drawn for {loc} that no lone session saw there, "
                                  f"e.g. {foreign[0]}")


async def _session(index: int, http_url: str, goals: str, changes: int, expected: dict[str, frozenset], seed: int,
                   start: asyncio.Event, ready: list, headers_for=None, timeout: float = 120.0,
                   target: Target = CONSULT) -> SessionResult:
    res = SessionResult(index=index, goals=goals)
    rng = random.Random(seed * 1000 + index)
    loc = target.first_choice(index)
    headers = headers_for(index) if headers_for else {}
    if headers and "_upstream" in headers:
        res.upstream = headers.pop("_upstream")
    client = Client(http_url, headers=headers, timeout=timeout, select_label=target.select_label)
    client.query_string = target.link.format(choice=loc, goals=goals) if target.link else ""
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
        if target.checked:
            _check(res, got, loc, expected, expect_qs=False)
        if client.selectbox_id is None:
            raise RuntimeError(f"no selectbox labelled {target.select_label!r} in the first run")
        ready.append(index)
        await start.wait()
        for _ in range(changes):
            loc = rng.choice([x for x in target.choices if x != loc])
            res.choices.append(loc)
            ms, got = await client.rerun(target.choices[loc])
            res.rerun_ms.append(ms)
            res.runs.append(got["runs"])
            res.errors += got["errors"]
            if target.checked:
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


def main_thread_cpu(procs) -> float:
    """CPU seconds of the processes' main threads: Streamlit's event loop (websocket, protobuf
    serialisation, session bookkeeping). Scripts run in other, short-lived threads (Linux only:
    the main thread's id is the pid)."""
    total = 0.0
    for p in procs:
        try:
            total += sum(t.user_time + t.system_time for t in p.threads() if t.id == p.pid)
        except Exception:  # noqa: BLE001
            pass
    return total


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
        self.main0 = main_thread_cpu(self.procs)

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
        self.main_cpu_s = main_thread_cpu(self.procs) - self.main0


def calibration_orders() -> list[str]:
    """The goal orders calibration visits: each goal first once (rotations of the default order), so
    every goal's rows appear near the top of some visit."""
    return [",".join(GOALS[i:] + GOALS[:i]) for i in range(len(GOALS))]


async def calibrate(http_url: str, timeout: float = 60.0) -> dict[str, frozenset]:
    """Lone sessions visit every location, one per goal order of `calibration_orders()`: the numbers
    each location draws (the union of its facts over the visits). The first session visits its
    first location twice, which must draw the same facts both times."""
    expected: dict[str, set] = {}
    for k, goals in enumerate(calibration_orders()):
        client = Client(http_url, timeout=timeout)
        client.query_string = f"loc=iliofemoral&days=7&bleed=low&goals={goals}"
        await client.connect()
        try:
            _, got = await client.rerun()
            first = facts(got["html"])
            expected.setdefault("iliofemoral", set()).update(first)
            for loc in ("distal", "femoropopliteal", "iliocaval", "iliofemoral"):
                _, got = await client.rerun(LOCATION_LABELS[loc])
                if got["errors"]:
                    raise RuntimeError(f"calibration at {loc}: {got['errors'][0]}")
                seen = facts(got["html"])
                if loc == "iliofemoral" and k == 0 and seen != first:
                    raise RuntimeError("the page drew different numbers for iliofemoral on two visits")
                expected.setdefault(loc, set()).update(seen)
        finally:
            await client.close()
    return {loc: frozenset(v) for loc, v in expected.items()}


async def single_session(http_url: str, reruns: int, select_label: str = "Where is the clot?",
                         values: tuple[str, str] = (LOCATION_LABELS["distal"], LOCATION_LABELS["iliofemoral"]),
                         query: str = "loc=iliofemoral&days=7&bleed=low", shape: dict | None = None,
                         pid: int | None = None) -> list[float]:
    """Sequential reruns of one session changing a selectbox: server time per rerun seen on the wire.
    `shape`, if given, receives the last rerun's message count, bytes and elements by type, and with
    the server's `pid` its CPU per rerun: all of it, and its event loop's (main thread's) share."""
    client = Client(http_url, select_label=select_label)
    client.query_string = query
    await client.connect()
    try:
        await client.rerun()
        if client.selectbox_id is None:
            raise RuntimeError(f"no selectbox labelled {select_label!r}")
        times = []
        procs = []
        if pid is not None:
            import psutil

            procs = [psutil.Process(pid)]
        cpu0 = main0 = 0.0
        for i in range(reruns + 2):
            if i == 2 and procs:
                cpu0, main0 = sum(procs[0].cpu_times()[:2]), main_thread_cpu(procs)
            b0 = client.bytes_received
            ms, got = await client.rerun(values[i % 2])
            if got["errors"]:
                raise RuntimeError(got["errors"][0])
            if i >= 2:  # two warm-up reruns
                times.append(ms)
        if shape is not None:
            shape.update(messages=got["messages"], kb=round((client.bytes_received - b0) / 1024, 1),
                         html_kb=round(sum(len(b.encode()) for b in got["html"]) / 1024, 1),
                         elements=dict(sorted(got["elements"].items(), key=lambda kv: -kv[1])))
            if procs and reruns:
                shape.update(server_cpu_ms=round(1000 * (sum(procs[0].cpu_times()[:2]) - cpu0) / reruns, 2),
                             event_loop_cpu_ms=round(1000 * (main_thread_cpu(procs) - main0) / reruns, 2))
        return times
    finally:
        await client.close()


async def paired(consult_url: str, empty_url: str, reruns: int, consult_pid: int, empty_pid: int) -> dict:
    """Goal 2 on the server itself: one session on the consult page and one on the empty script, each changing
    its selectbox as a browser does (the consult page's location is drawn by its results fragment: only that
    reruns, in one run), taken in turn so that drift on the machine hits both alike. Per rerun: wall time from the
    request to script_finished, the server's CPU (psutil), and the last rerun's shape (messages, script runs,
    bytes, elements by type)."""
    import psutil

    sides = {"consult": (Client(consult_url), "loc=iliofemoral&days=7&bleed=low", psutil.Process(consult_pid),
                         (LOCATION_LABELS["distal"], LOCATION_LABELS["iliofemoral"])),
             "empty": (Client(empty_url, select_label="Choice"), "", psutil.Process(empty_pid), ("a", "b"))}
    ms: dict[str, list[float]] = {k: [] for k in sides}
    cpu: dict[str, list[float]] = {k: [] for k in sides}
    loop_cpu: dict[str, list[float]] = {k: [] for k in sides}  # the event loop's (main thread's) share
    last: dict[str, dict] = {}
    try:
        for client, query, _, _ in sides.values():
            client.query_string = query
            await client.connect()
            await client.rerun()
            if client.selectbox_id is None:
                raise RuntimeError(f"no selectbox labelled {client.select_label!r}")
        for i in range(reruns + 2):
            for name, (client, _, proc, values) in sides.items():
                c0, m0, b0 = sum(proc.cpu_times()[:2]), main_thread_cpu([proc]), client.bytes_received
                t, got = await client.rerun(values[i % 2])
                if got["errors"]:
                    raise RuntimeError(f"{name}: {got['errors'][0]}")
                if i >= 2:  # two warm-up reruns
                    ms[name].append(t)
                    cpu[name].append(1000 * (sum(proc.cpu_times()[:2]) - c0))
                    loop_cpu[name].append(1000 * (main_thread_cpu([proc]) - m0))
                last[name] = {"messages": got["messages"], "runs": got["runs"], "kb": round((client.bytes_received - b0) / 1024, 1),
                              "html_kb": round(sum(len(b.encode()) for b in got["html"]) / 1024, 1),
                              "elements": dict(sorted(got["elements"].items(), key=lambda kv: -kv[1])),
                              "fragment_rerun": bool(client.fragment_id)}
    finally:
        for client, _, _, _ in sides.values():
            await client.close()
    for name in sides:
        if cpu[name]:
            last[name]["server_cpu_ms"] = round(statistics.mean(cpu[name]), 2)
            last[name]["event_loop_cpu_ms"] = round(statistics.mean(loop_cpu[name]), 2)
    return {"consult_ms": ms["consult"], "empty_ms": ms["empty"], "consult_run_shape": last["consult"],
            "empty_run_shape": last["empty"]}


async def load(http_url: str, sessions: int, changes: int, expected: dict[str, frozenset] | None, pids: list[int],
               seed: int = 5, headers_for=None, deadline_s: float = 300.0, target: Target = CONSULT,
               order_offset: int = 0) -> dict:
    """`sessions` concurrent sessions, each making `changes` changes of the target's selectbox (the clot
    location on the consult page), all started together. Session i uses goal order
    `goal_orders()[order_offset + i]`, so two rounds on one server can use different scenarios."""
    orders = goal_orders()[order_offset:]
    if sessions > len(orders):
        raise ValueError(f"at most {len(orders)} sessions have a unique goal order (offset {order_offset})")
    expected = expected or {}
    start = asyncio.Event()
    ready: list = []
    cpu_client0 = time.process_time()
    with RssSampler(pids) as sampler:
        rss_before = sampler.rss_mb()
        t_connect = time.perf_counter()
        tasks = [asyncio.create_task(_session(i, http_url, orders[i], changes, expected, seed, start, ready,
                                              headers_for=headers_for, target=target)) for i in range(sessions)]
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
    runs = [n for r in results for n in r.runs]
    firsts = [r.first_ms for r in results if r.first_ms is not None]
    errors = [e for r in results for e in r.errors]
    mismatches = [m for r in results for m in r.mismatches]
    upstreams: dict[str, int] = {}
    for r in results:
        if r.upstream:
            upstreams[r.upstream] = upstreams.get(r.upstream, 0) + 1
    checked = [n for r in results for n in r.facts_checked]
    return {
        "target": target.name,
        "sessions": sessions,
        "changes_per_session": changes,
        "reruns_completed": len(reruns),
        "reruns_expected": sessions * changes,
        "errors": len(errors),
        "reruns_missing": sessions * changes - len(reruns),
        "error_examples": errors[:5],
        "isolation_mismatches": len(mismatches),
        "mismatch_examples": mismatches[:5],
        "sessions_checked": sum(1 for r in results if r.rerun_ms) if target.checked else 0,
        "isolation_checked": target.checked,
        "distinct_fingerprints": len(set(expected.values())),
        "facts_checked_per_run": summary(checked, 0) if checked else {"n": 0},
        "rerun_ms": summary(reruns, 1),
        "_rerun_values": reruns,
        "runs_per_change": summary(runs, 1) if runs else {"n": 0},
        "_run_counts": runs,
        "first_run_ms": summary(firsts, 1),
        "_first_values": firsts,
        "wall_s": round(wall, 2),
        "connect_and_first_run_s": round(connect_s, 2),
        "throughput_reruns_per_s": round(len(reruns) / wall, 1) if wall > 0 else None,
        "server_rss_mb": {"before": round(rss_before, 1), "max": round(max(sampler.samples), 1),
                          "median": round(sorted(sampler.samples)[len(sampler.samples) // 2], 1),
                          "samples": len(sampler.samples)},
        "server_cpu_s": round(sampler.cpu_s, 1),
        "server_cpu_ms_per_rerun": round(1000 * sampler.cpu_s / max(1, len(reruns) + len(firsts)), 1),
        "server_event_loop_cpu_ms_per_rerun": round(1000 * sampler.main_cpu_s / max(1, len(reruns) + len(firsts)), 1),
        "load_generator_cpu_s": round(time.process_time() - cpu_client0, 1),
        "server_processes": len(pids),
        "mb_received": round(sum(r.bytes_received for r in results) / 2**20, 1),
        "sessions_per_upstream": upstreams,
        "websocket_not_sticky": sum(len(r.sticky) for r in results),
        "sticky_examples": [m for r in results for m in r.sticky][:5],
    }


def merge_rounds(rounds: list[dict]) -> dict:
    """Several rounds of `load()` on one target (each on a fresh server) as one result: counts and
    times pooled, RSS the largest any round reached; the per-round figures kept under `rounds`."""
    if len(rounds) == 1:
        out = dict(rounds[0])
        out["rounds"] = [_round_brief(rounds[0])]
        return out
    first = rounds[0]
    out = dict(first)
    for k in ("reruns_completed", "reruns_expected", "errors", "reruns_missing", "isolation_mismatches",
              "sessions_checked", "websocket_not_sticky"):
        out[k] = sum(r.get(k, 0) for r in rounds)
    for k in ("error_examples", "mismatch_examples", "sticky_examples"):
        out[k] = [x for r in rounds for x in r.get(k, [])][:5]
    reruns = [x for r in rounds for x in r.get("_rerun_values", [])]
    out["_rerun_values"] = reruns
    out["rerun_ms"] = summary(reruns, 1)
    counts = [x for r in rounds for x in r.get("_run_counts", [])]
    out["_run_counts"] = counts
    out["runs_per_change"] = summary(counts, 1) if counts else {"n": 0}
    firsts = [x for r in rounds for x in r.get("_first_values", [])]
    if firsts:
        out["_first_values"] = firsts
        out["first_run_ms"] = summary(firsts, 1)
    for k in ("wall_s", "connect_and_first_run_s", "server_cpu_s", "load_generator_cpu_s", "mb_received"):
        out[k] = round(sum(r[k] for r in rounds), 2 if k.endswith("_s") else 1)
    out["throughput_reruns_per_s"] = round(out["reruns_completed"] / out["wall_s"], 1) if out["wall_s"] else None
    runs = max(1, out["reruns_completed"] + len(firsts))
    out["server_cpu_ms_per_rerun"] = round(1000 * out["server_cpu_s"] / runs, 1)
    if all("server_event_loop_cpu_ms_per_rerun" in r for r in rounds):
        out["server_event_loop_cpu_ms_per_rerun"] = round(
            sum(r["server_event_loop_cpu_ms_per_rerun"] * (r["reruns_completed"] + len(r.get("_first_values", [])))
                for r in rounds) / runs, 1)
    out["server_rss_mb"] = {"before": first["server_rss_mb"]["before"],
                            "max": max(r["server_rss_mb"]["max"] for r in rounds),
                            "median": first["server_rss_mb"]["median"], "samples": sum(
                                r["server_rss_mb"].get("samples", 0) for r in rounds)}
    checked = [r["facts_checked_per_run"] for r in rounds if r.get("facts_checked_per_run", {}).get("n")]
    if checked:
        out["facts_checked_per_run"] = {"n": sum(c["n"] for c in checked), "min": min(c["min"] for c in checked),
                                        "median": checked[0]["median"], "max": max(c["max"] for c in checked)}
    out["rounds"] = [_round_brief(r) for r in rounds]
    return out


def _round_brief(r: dict) -> dict:
    return {"rerun_p50_ms": r["rerun_ms"].get("median"), "rerun_p95_ms": r["rerun_ms"].get("p95"),
            "throughput_reruns_per_s": r["throughput_reruns_per_s"], "server_rss_max_mb": r["server_rss_mb"]["max"],
            "server_cpu_ms_per_rerun": r.get("server_cpu_ms_per_rerun"),
            "server_event_loop_cpu_ms_per_rerun": r.get("server_event_loop_cpu_ms_per_rerun"), "errors": r["errors"]}
