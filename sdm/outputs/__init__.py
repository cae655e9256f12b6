"""The edges: what leaves or enters the app as a whole — the printable handout (handout/), the chart note,
the scenario in a link (urlstate) and the command line (cli). May import every layer below
(evidence, words, engine, present, teaching); nothing in sdm imports this layer.
"""
