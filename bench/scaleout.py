"""Goal 6: N Streamlit processes behind nginx with sticky sessions, load-tested through nginx.

Starts N `streamlit run app.py` processes on free loopback ports, renders bench/nginx.conf.template
into a temporary prefix directory, starts nginx there (127.0.0.1 only, `daemon off`), then:
  * every simulated browser first GETs the page without a cookie, as a browser does, and keeps the
    `st_route` cookie nginx sets; a second GET with it must reach the same process;
  * its websocket (with the cookie) must reach that same process too (nginx reports the upstream in
    an `X-Upstream` header, added only in this benchmark's rendering);
  * then the same load as goal 4 runs through nginx, with the same isolation checks;
  * the rendered config carries the recipe's rate and connection limits and its Content-Security-Policy:
    the results list the limits in force, how often nginx applied them (its error log; 0 means the load
    never hit them) and the policy header the page was served with;
  * last, Debian's Chromium opens the consult page through nginx, goes through every view, downloads the
    handout and opens the teaching and methods pages, counting CSP violations (the page's
    `securitypolicyviolation` events and Chromium's own security log), refused (429) responses and
    requests to other hosts.
Everything is stopped and the prefix removed at the end, also on failure.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import (
    APP,
    BENCH,
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCATION_LABELS,
    QUERY,
    Server,
    free_port,
    http_get,
    stop_process,
    wait_healthy,
)

TEMPLATE = BENCH / "nginx.conf.template"
DEBUG_HEADERS = "            add_header X-Upstream $upstream_addr always;   # benchmark only: which process answered"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def render(listen_port: int, upstream_ports: list[int], prefix: Path, debug: bool = False) -> str:
    """The nginx config for these ports. Loopback only: every address is 127.0.0.1."""
    text = TEMPLATE.read_text()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    out = (text.replace("{{prefix}}", str(prefix)).replace("{{listen}}", f"127.0.0.1:{listen_port}")
           .replace("{{servers}}", servers).replace("{{debug_headers}}", DEBUG_HEADERS if debug else ""))
    if "{{" in out:
        raise ValueError("unrendered placeholder in nginx.conf.template")
    return out


def write_config(prefix: Path, listen_port: int, upstream_ports: list[int], debug: bool = False) -> Path:
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / d).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(listen_port, upstream_ports, prefix, debug=debug))
    return conf


def policy(conf_text: str) -> dict:
    """The limits and the Content-Security-Policy a rendered config puts in force."""
    csp = re.search(r'add_header\s+Content-Security-Policy\s+"([^"]+)"', conf_text)
    limits = [" ".join(m.split()) for m in re.findall(r"^\s*(limit_(?:req|conn)(?:_zone)?\s[^;]+);", conf_text, re.M)]
    return {"csp": csp[1] if csp else None, "limits": limits}


def limited_count(prefix: Path) -> int:
    """How often nginx refused or delayed a request or connection under the limits (its error log)."""
    log = prefix / "error.log"
    if not log.exists():
        return 0
    return len(re.findall(r"limiting (?:requests|connections)", log.read_text(errors="replace")))


def check_config(conf: Path, prefix: Path) -> tuple[bool, str]:
    """`nginx -t` on a rendered config."""
    binary = nginx_binary()
    if binary is None:
        return False, "nginx is not installed"
    r = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True,
                       timeout=30)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


class Nginx:
    def __init__(self, upstream_ports: list[int], debug: bool = True):
        self.binary = nginx_binary()
        if self.binary is None:
            raise RuntimeError("nginx is not installed: bench/setup.sh installs it (apt-get install nginx)")
        self.prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.port = free_port()
        self.conf = write_config(self.prefix, self.port, upstream_ports, debug=debug)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        ok, msg = check_config(self.conf, self.prefix)
        if not ok:
            raise RuntimeError(f"nginx -t failed: {msg}")
        log = open(self.prefix / "stdout.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen([self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-g", "daemon off;"],
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        if not wait_healthy(self.url, 30, alive=lambda: self.proc.poll() is None):
            err = (self.prefix / "error.log").read_text() if (self.prefix / "error.log").exists() else ""
            self.stop()
            raise RuntimeError(f"nginx did not start: {err[-2000:]}")
        return self

    def limited(self) -> int:
        return limited_count(self.prefix)

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.prefix, ignore_errors=True)


def _cookie(headers: dict) -> str | None:
    for k, v in headers.items():
        if k.lower() == "set-cookie" and v.startswith("st_route="):
            return v.split(";", 1)[0].split("=", 1)[1]
    return None


def browsers(url: str, count: int, seen: dict | None = None) -> tuple[list[dict], list[str]]:
    """Each simulated browser's first page load through nginx: its cookie and process; then a second
    request with the cookie, which must land on the same process. `seen`, if given, receives the
    Content-Security-Policy header of the first page response."""
    prepared, problems = [], []
    for i in range(count):
        _, h1, _ = http_get(url + "/")
        if seen is not None and i == 0:
            seen["csp"] = next((v for k, v in h1.items() if k.lower() == "content-security-policy"), None)
        route, up1 = _cookie(h1), h1.get("X-Upstream")
        if not route or not up1:
            problems.append(f"browser {i}: no st_route cookie or X-Upstream on the first response")
            prepared.append({})
            continue
        _, h2, _ = http_get(url + "/_stcore/health", headers={"Cookie": f"st_route={route}"})
        if h2.get("X-Upstream") != up1:
            problems.append(f"browser {i}: page from {up1}, next request from {h2.get('X-Upstream')}")
        prepared.append({"Cookie": f"st_route={route}", "_upstream": up1})
    return prepared, problems


def run(processes: int = 2, sessions: int = 50, changes: int = 20, seed: int = 6) -> dict:
    from . import wsload

    servers: list[Server] = []
    nginx = None
    t_start = time.perf_counter()
    try:
        for _ in range(processes):
            servers.append(Server(APP).start())
        nginx = Nginx([s.port for s in servers]).start()
        startup_s = time.perf_counter() - t_start
        served: dict = {}
        prepared, problems = browsers(nginx.url, sessions, seen=served)
        expected = asyncio.run(wsload.calibrate(nginx.url))
        result = asyncio.run(wsload.load(nginx.url, sessions, changes, expected, [s.pid for s in servers],
                                         seed=seed, headers_for=lambda i: dict(prepared[i])))
        per_process = {}
        for s in servers:
            try:
                import psutil

                per_process[f"127.0.0.1:{s.port}"] = round(psutil.Process(s.pid).memory_info().rss / 2**20, 1)
            except Exception:  # noqa: BLE001
                pass
        limited_by_load = nginx.limited()
        chromium = browser_check(nginx.url)
        in_force = policy(nginx.conf.read_text())
        result.update({
            "processes": processes,
            "proxy": f"nginx {nginx_version()} on 127.0.0.1, hash $cookie_st_route consistent, websocket upgrade, "
                     "the recipe's rate and connection limits and Content-Security-Policy",
            "limits": in_force["limits"],
            "limited_by_load": limited_by_load,
            "limited_by_browser_check": nginx.limited() - limited_by_load,
            "csp": served.get("csp"),
            "csp_as_configured": served.get("csp") == in_force["csp"],
            "browser_check": chromium,
            "startup_s": round(startup_s, 1),
            "sticky_problems": len(problems) + result["websocket_not_sticky"],
            "sticky_examples": (problems + result["sticky_examples"])[:5],
            "rss_mb_per_process_after": per_process,
            "upstreams_used": len(result["sessions_per_upstream"]),
        })
        return result
    finally:
        if nginx is not None:
            nginx.stop()
        for s in servers:
            s.stop()


def nginx_version() -> str:
    binary = nginx_binary()
    if not binary:
        return "missing"
    r = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
    return (r.stderr or r.stdout).strip().split("/")[-1]


# Runs in every new document before the page's own scripts: report each CSP violation to Python at once.
CSP_LISTENER = """(() => {
  document.addEventListener('securitypolicyviolation', e => window.__sdmCspViolation(
    [e.effectiveDirective, e.blockedURI || '-', (e.sourceFile || '-') + ':' + e.lineNumber].join(' ')), true);
})();"""


# What a page has drawn: icon arrays (data: images) decoded, and Plotly charts with their SVG.
DRAWN = """() => ({
  icon_arrays: [...document.querySelectorAll('img.icon-array')].filter(i => i.complete && i.naturalWidth > 0).length,
  plotly_charts: [...document.querySelectorAll('.js-plotly-plot')].filter(c => c.querySelector('.main-svg')).length,
})"""


def browser_check(url: str, browser=None) -> dict:
    """Chromium through nginx: the consult page (every view, then the location, the days box, the bleeding
    level, 1,000 people and the handout download), then the teaching and methods pages. Counts CSP violations, refused (429) and
    other failed responses, and requests that leave the proxy's origin; checks that the pictures and the
    charts were drawn. `browser`: a Playwright browser to use (otherwise Debian's Chromium is launched)."""
    from urllib.parse import urlsplit

    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                return browser_check(url, b)
            finally:
                b.close()

    from .browser import wait_for_app

    host = urlsplit(url).netloc
    out = {"csp_violations": [], "security_log": [], "failed_responses": [], "outside_requests": [],
           "requests": 0, "requests_to_nginx": 0, "cold_load_requests": 0, "warm_load_requests": 0}
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        ctx.expose_function("__sdmCspViolation", lambda text: out["csp_violations"].append(text))
        ctx.add_init_script(CSP_LISTENER)
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Log.enable")
        cdp.on("Log.entryAdded", lambda e: out["security_log"].append(e["entry"]["text"][:300])
               if e["entry"].get("source") in ("security", "violation") else None)
        # Requests that reach nginx: what the browser sent minus what its cache answered.
        net = {"sent": 0, "cached": set()}
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda e: net.__setitem__("sent", net["sent"] + 1))
        cdp.on("Network.requestServedFromCache", lambda e: net["cached"].add(e["requestId"]))
        cdp.on("Network.responseReceived", lambda e: net["cached"].add(e["requestId"])
               if e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache") else None)

        def to_nginx() -> int:
            return net["sent"] - len(net["cached"])

        def on_request(req):
            out["requests"] += 1
            parts = urlsplit(req.url)
            if parts.scheme not in ("data", "blob") and parts.netloc != host:
                out["outside_requests"].append(req.url[:200])

        def on_response(resp):
            # /<page>/_stcore/... 404s are Streamlit's frontend probing for a base path on a deep link
            if resp.status >= 400 and not (resp.status == 404 and "/_stcore/" in resp.url
                                           and not urlsplit(resp.url).path.startswith("/_stcore/")):
                out["failed_responses"].append(f"{resp.status} {resp.url[:160]}")

        page.on("request", on_request)
        page.on("response", on_response)

        def settle():
            page.wait_for_timeout(300)
            wait_for_app(page)

        first = page.goto(f"{url}/?{QUERY}")
        settle()
        out["cold_load_requests"] = to_nginx()
        out["csp_header"] = first.headers.get("content-security-policy")
        out["drawn_on_first_load"] = page.evaluate(DRAWN)
        before = to_nginx()
        page.goto(f"{url}/?{QUERY}")  # a second visit: Streamlit's hashed bundles come from the browser's cache
        settle()
        out["warm_load_requests"] = to_nginx() - before

        # the view switch (the button group holding "Summary"): its own labels, summary last
        group = page.get_by_test_id("stButtonGroup").filter(has=page.get_by_role("radio", name="Summary", exact=True))
        views = [v.strip() for v in group.get_by_role("radio").all_inner_texts()]
        views = views[1:] + views[:1]
        out["drawn"] = {}
        for view in views:
            page.get_by_test_id("stButtonGroup").get_by_role("radio", name=view, exact=True).click()
            settle()
            out["drawn"][view] = page.evaluate(DRAWN)
        sb = page.get_by_test_id("stSidebar")
        sb.get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name=LOCATION_LABELS["distal"], exact=True).click()
        settle()
        days = sb.get_by_role("spinbutton", name="Days since symptoms began", exact=True)
        days.fill("9")
        days.press("Enter")
        settle()
        sb.get_by_text("High", exact=True).click()
        settle()
        sb.get_by_text("1,000 people", exact=True).click()
        settle()
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the handout (PDF)").click()
        out["handout_bytes"] = Path(info.value.path()).stat().st_size
        for name in ("Teaching", "Methods"):
            page.get_by_role("link", name=name).first.click()
            settle()
            out["drawn"][name] = page.evaluate(DRAWN)
        page.wait_for_timeout(500)  # late violation reports
        out["requests_to_nginx"] = to_nginx()
    finally:
        ctx.close()
    out["csp_violation_count"] = len(out["csp_violations"])
    out["security_log_count"] = len(out["security_log"])
    return out
