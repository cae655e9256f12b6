"""The engine: a scenario (scenario), the risk arithmetic (risk), which evidence applies (applicability),
each option's and outcome's result (cells, reference) and the run that puts them together (compute.run),
giving a Result (result). May import sdm.evidence and sdm.words; never anything that draws or writes.
"""
