"""Presentation shared by every output: icon arrays, the comparison grid and its tables, the summary and
the HTML views. Takes a Result and gives rows, cells, SVG and HTML. May import sdm.evidence, sdm.words and
sdm.engine; never sdm.teaching or sdm.outputs.
"""
