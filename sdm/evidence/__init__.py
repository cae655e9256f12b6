"""Evidence: the records (pydantic models), reading data/ safely (YAML, text), checking it, and its Spanish
texts (translate). The lowest layer: it imports nothing else from sdm.

The teaching layer's readers of its own files are run by `loader.load` through `loader.page_file_check`,
a registry filled from above, so nothing here imports upward.
"""
