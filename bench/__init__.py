"""Performance benchmark for the dashboard (issue 5). Run with `python -m bench` or `make bench`.

Modules: engine (sdm timings), rerun (AppTest server-side reruns + profile), browser
(Chromium interaction and first load), wsload (websocket load and session isolation),
scaleout (N processes behind nginx), report (goals, JSON and Markdown).
"""
