"""Through nginx with the recipe's Content-Security-Policy and limits, every page renders in Chromium with 0 CSP
violations, and the limits are live without touching a consult.

nginx in front of the suite's server, rendered from bench/nginx.conf.template (as the benchmark does). Needs
Debian's nginx: bench/setup.sh installs it; without it these tests are skipped.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from bench import scaleout
from tests.safety_plugin import report


@pytest.fixture(scope="module")
def proxied(app_url):
    if scaleout.nginx_binary() is None:
        pytest.skip("nginx is not installed (bench/setup.sh installs it)")
    nginx = scaleout.Nginx([urlsplit(app_url).port], debug=False).start()
    yield nginx
    nginx.stop()


def test_every_page_renders_through_nginx_with_0_csp_violations(browser, proxied):
    out = scaleout.browser_check(proxied.url, browser)
    assert out["csp_header"] == scaleout.policy(proxied.conf.read_text())["csp"]
    assert out["csp_violations"] == [] and out["security_log"] == [], out["csp_violations"] + out["security_log"]
    assert out["failed_responses"] == [] and out["outside_requests"] == [], out
    # the checks above prove something only if the page really drew its pictures and charts
    assert out["drawn_on_first_load"]["icon_arrays"] > 0
    assert out["drawn"]["Trade-off (clinicians)"]["plotly_charts"] >= 1
    assert out["drawn"]["Teaching"]["plotly_charts"] >= 1
    assert out["handout_bytes"] > 1000
    assert proxied.limited() == 0, "a consult hit the rate or connection limits"
    report(f"CSP through nginx: consult (every view, handout), teaching and methods pages in Chromium: "
           f"{out['csp_violation_count']} CSP violations, {len(out['outside_requests'])} requests to other hosts, "
           f"0 limited; {out['requests_to_nginx']} requests reached nginx ({out['cold_load_requests']} for the "
           f"first page load, {out['warm_load_requests']} for a second visit)")


async def _handshakes(url: str, count: int) -> tuple[int, int]:
    """`count` websocket handshakes at once from one address: (accepted, refused with 429)."""
    import websockets
    from websockets.exceptions import InvalidStatus

    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"

    async def one():
        try:
            ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=url, proxy=None,
                                          open_timeout=30)
        except InvalidStatus as exc:
            return exc.response.status_code
        await ws.close()
        return 101

    codes = await asyncio.gather(*(one() for _ in range(count)))
    return codes.count(101), codes.count(429)


def test_the_websocket_limit_refuses_a_flood_but_not_a_burst_of_100(proxied):
    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        accepted, refused = pool.submit(asyncio.run, _handshakes(proxied.url, 160)).result(timeout=120)
    assert accepted >= 100 and refused > 0 and accepted + refused == 160, (accepted, refused)
    report(f"nginx limits: 160 websocket handshakes at once from one address: {accepted} accepted, "
           f"{refused} refused with 429")
