"""Goals 1 and 3 in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser).

Interaction (goal 1): open the location selectbox, record performance.now() in the page just before
the option click (page.evaluate), click, then wait_for_function(polling="raf") until the DOM shows
the new state and return performance.now() from that frame. For the consult view "the new state"
is: every icon array on the page carries exactly the counts (data-had/.../data-total, in order)
that this location draws, learnt beforehand from a settled page (a layout without icon arrays is
judged by the text of its option/outcome cells instead). The reference app's new state is
its Plotly title naming the choice. Every iteration alternates between two choices, after warm-up.

First load (goal 3): a fresh browser context per load (empty cache, new session); an init script
polls every animation frame from the first document frame and records performance.now() (ms since
navigation start) when all charts are there: for the consult view every icon array with the
expected counts and its image decoded, for the reference app the Plotly chart with its title.
"""

from __future__ import annotations

from .common import CHROMIUM, CHROMIUM_ARGS, LOCATION_LABELS, QUERY, REFERENCE_CHOICES, summary

VIEWPORT = {"width": 1280, "height": 900}
CONSULT_PAIR = ("distal", "iliofemoral")  # iliofemoral is where QUERY starts

# What the consult page shows for a scenario: every icon array's counts, in page order. If a layout
# draws no icon array, the text of its option/outcome cells; failing that, the main area's text.
SIG_FN = """() => {
    const imgs = [...document.querySelectorAll('img.icon-array')];
    if (imgs.length) return imgs.map(i => [i.dataset.had, i.dataset.maybeHad, i.dataset.maybeNot,
                                           i.dataset.didNot, i.dataset.total].join('/')).join(',');
    const cells = [...document.querySelectorAll('[data-option][data-outcome]')];
    if (cells.length) return 'cells:' + cells.map(c => c.textContent).join('|');
    const main = document.querySelector('[data-testid="stMain"]');
    return main ? 'main:' + main.textContent : '';
}"""

SIG_JS = SIG_FN

# The new state is there: the signature equals the settled page's, and every icon array is decoded
# (a lazy-loading one only when the browser chose to load it).
CONSULT_READY = ("(sig) => (" + SIG_FN + """)() === sig && [...document.querySelectorAll('img.icon-array')]
    .every(i => (i.complete && i.naturalWidth > 0) || (i.loading === 'lazy' && !i.complete))""")

REFERENCE_READY = """(title) => [...document.querySelectorAll('.js-plotly-plot .gtitle')]
    .some(e => e.textContent === title) && !!document.querySelector('.js-plotly-plot .main-svg')"""

# Runs in every new document: record the first animation frame at which `ready(arg)` holds.
INIT_TEMPLATE = """(() => {
  if (window.top !== window) return;
  const ready = %s;
  const arg = %s;
  const tick = () => {
    try { if (ready(arg)) { window.__benchReady = performance.now(); return; } } catch (e) {}
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


def wait_for_app(page, timeout: float = 60_000) -> None:
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
                           timeout=timeout)


def settled_signature(page, timeout_s: float = 30.0) -> str:
    """The icon-array signature once it stops changing (two reads 300 ms apart, script not running)."""
    wait_for_app(page)
    prev = None
    for _ in range(int(timeout_s / 0.3)):
        sig = page.evaluate(SIG_JS)
        if sig and sig == prev:
            return sig
        prev = sig
        page.wait_for_timeout(300)
    raise RuntimeError("the consult page did not settle")


def _select(page, scope, option_name: str, before_click=None) -> tuple[float, float]:
    """Open the selectbox in `scope`, then time the option click. Returns (t0 via evaluate, t0 of the
    click event itself), both performance.now() in the page. `before_click()` runs once the list is open."""
    scope.get_by_test_id("stSelectbox").click()
    option = page.get_by_role("option", name=option_name, exact=True)
    option.wait_for(state="visible", timeout=10_000)
    page.evaluate("""() => { window.__benchClick = null;
        document.addEventListener('click', () => { window.__benchClick = performance.now(); },
                                  {capture: true, once: true}); }""")
    if before_click is not None:
        before_click()
    t0 = page.evaluate("performance.now()")
    option.click()
    return t0, page.evaluate("window.__benchClick")


def _cpu_ms(pid: int | None) -> float:
    if pid is None:
        return 0.0
    import psutil

    t = psutil.Process(pid).cpu_times()
    return (t.user + t.system) * 1000


# Chromium's own counters for the page's main thread (CDP Performance.getMetrics, thread time), in
# seconds: all its tasks, and the parts spent in JavaScript, style recalculation and layout.
_PAGE_METRICS = {"busy": "TaskDuration", "script": "ScriptDuration", "style": "RecalcStyleDuration",
                 "layout": "LayoutDuration"}


class _Interactor:
    """Timed selectbox changes on one page. Also, from Chrome's own websocket frame timestamps (CDP),
    how long the rerun took on the wire (the rerun request sent -> the last message of that run
    received), how many messages it took, the CPU the server process spent on it (psutil, 10 ms
    resolution), and the page's main-thread time (CDP Performance metrics, from just before the option click to
    the new state, so it includes the rAF polling of the readiness check itself)."""

    def __init__(self, page, scope, choices: list[str], ready_js: str, ready_arg_for, server_pid: int | None):
        self.page, self.scope, self.choices = page, scope, choices
        self.ready_js, self.ready_arg_for, self.server_pid = ready_js, ready_arg_for, server_pid
        self.i = 0
        self.frames: list[tuple[str, float, int]] = []
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        self.cdp.on("Network.webSocketFrameSent", lambda e: self.frames.append(("sent", e["timestamp"], 0)))
        self.cdp.on("Network.webSocketFrameReceived", lambda e: self.frames.append(
            ("recv", e["timestamp"], len(e["response"].get("payloadData", "")) * 3 // 4)))
        self.out = {"ms": [], "from_click_event_ms": [], "websocket_ms": [], "kb_received": [],
                    "messages_received": [], "server_cpu_ms": [], **{f"page_{k}_ms": [] for k in _PAGE_METRICS}}

    def _metrics(self) -> dict:
        got = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {k: got.get(name, 0.0) for k, name in _PAGE_METRICS.items()}

    def step(self, record: bool) -> None:
        page = self.page
        target = self.choices[self.i % 2]
        self.i += 1
        page.wait_for_timeout(100)  # no stray frame of the previous run in this window
        mark = len(self.frames)
        cpu0 = _cpu_ms(self.server_pid)
        m0 = {}
        t0, t_click = _select(page, self.scope, target, before_click=lambda: m0.update(self._metrics()))
        t1 = page.wait_for_function(f"(arg) => ({self.ready_js})(arg) ? performance.now() : false",
                                    arg=self.ready_arg_for(target), polling="raf", timeout=60_000).json_value()
        m1 = self._metrics()
        wait_for_app(page)  # let the run finish before the next click (not timed)
        page.wait_for_timeout(50)
        cpu1 = _cpu_ms(self.server_pid)
        if not record:
            return
        o = self.out
        o["ms"].append(t1 - t0)
        if self.server_pid is not None:
            o["server_cpu_ms"].append(cpu1 - cpu0)
        if t_click is not None:
            o["from_click_event_ms"].append(t1 - t_click)
        for k in _PAGE_METRICS:  # the page's main thread, from just before the click to the new state
            o[f"page_{k}_ms"].append((m1[k] - m0[k]) * 1000)
        window = self.frames[mark:]
        sent = [ts for kind, ts, _ in window if kind == "sent"]
        recv = [(ts, n) for kind, ts, n in window if kind == "recv"]
        if sent and recv:
            o["websocket_ms"].append((recv[-1][0] - sent[0]) * 1000)
            o["kb_received"].append(sum(n for _, n in recv) / 1024)
            o["messages_received"].append(len(recv))


def measure(consult_url: str, reference_url: str, iterations: int = 15, warmup: int = 2, loads: int = 7,
            consult_pid: int | None = None, reference_pid: int | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        out["chromium"] = browser.version
        try:
            # Learn what each consult location draws, on a settled page.
            ctx = browser.new_context(viewport=VIEWPORT)
            page = ctx.new_page()
            sig = {}
            for loc in CONSULT_PAIR:
                page.goto(f"{consult_url}/?{QUERY.replace('loc=iliofemoral', f'loc={loc}')}")
                sig[loc] = settled_signature(page)
            if sig["distal"] == sig["iliofemoral"]:
                raise RuntimeError("the two locations draw the same icon arrays: cannot tell them apart")
            out["consult_icon_arrays"] = {loc: 0 if s.startswith(("cells:", "main:")) else len(s.split(","))
                                          for loc, s in sig.items()}
            by_label = {LOCATION_LABELS[loc]: sig[loc] for loc in CONSULT_PAIR}

            # Goal 1: consult and reference pages open side by side, one change each in turn, so that
            # any change in the machine's load hits both alike. The consult page shows iliofemoral.
            page.goto(f"{consult_url}/?{QUERY}")
            settled_signature(page)
            ref_ctx = browser.new_context(viewport=VIEWPORT)
            ref_page = ref_ctx.new_page()
            ref_page.goto(reference_url)
            wait_for_app(ref_page)
            ref_page.wait_for_function(REFERENCE_READY, arg=f"Choice: {REFERENCE_CHOICES[0]}", timeout=60_000)
            consult = _Interactor(page, page.get_by_test_id("stSidebar"), [LOCATION_LABELS[x] for x in CONSULT_PAIR],
                                  CONSULT_READY, by_label.get, consult_pid)
            reference = _Interactor(ref_page, ref_page.get_by_test_id("stMain"), list(REFERENCE_CHOICES[::-1]),
                                    REFERENCE_READY, lambda t: f"Choice: {t}", reference_pid)
            for i in range(warmup + iterations):
                first, second = (consult, reference) if i % 2 == 0 else (reference, consult)
                first.step(record=i >= warmup)
                second.step(record=i >= warmup)
            c, r = consult.out, reference.out
            ctx.close()
            ref_ctx.close()
            out["interaction"] = {
                **{f"consult_{k}" if k != "ms" else "consult_ms": summary(v, 1) for k, v in c.items()},
                **{f"reference_{k}" if k != "ms" else "reference_ms": summary(v, 1) for k, v in r.items()},
                "ratio_median": round(summary(c["ms"])["median"] / summary(r["ms"])["median"], 2),
                "iterations": iterations, "warmup": warmup,
                "consult_change": " <-> ".join(LOCATION_LABELS[x] for x in CONSULT_PAIR),
                "reference_change": " <-> ".join(REFERENCE_CHOICES),
            }

            # Goal 3: first load, fresh context each, consult and reference alternating.
            import json

            c_load, r_load = [], []
            for i in range(loads + 1):  # the first pair warms the servers' static-file path
                for kind in ("consult", "reference") if i % 2 == 0 else ("reference", "consult"):
                    if kind == "consult":
                        init = INIT_TEMPLATE % (CONSULT_READY, json.dumps(sig["iliofemoral"]))
                        url = f"{consult_url}/?{QUERY}"
                    else:
                        init = INIT_TEMPLATE % (REFERENCE_READY, json.dumps(f"Choice: {REFERENCE_CHOICES[0]}"))
                        url = reference_url
                    ctx = browser.new_context(viewport=VIEWPORT)
                    ctx.add_init_script(init)
                    page = ctx.new_page()
                    page.goto(url, wait_until="commit", timeout=60_000)
                    ms = page.wait_for_function("() => window.__benchReady", timeout=60_000).json_value()
                    ctx.close()
                    if i > 0:
                        (c_load if kind == "consult" else r_load).append(ms)
            out["first_load"] = {
                "consult_ms": summary(c_load, 0), "reference_ms": summary(r_load, 0),
                "ratio_median": round(summary(c_load)["median"] / summary(r_load)["median"], 2),
                "loads": loads,
            }
        finally:
            browser.close()
    return out
