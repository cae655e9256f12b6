"""Words: the interface catalogues per language (i18n: data/locales/<lang>/) and the shared ways of saying
a risk ("7 in 100", wording). May import sdm.evidence only.
"""
