"""What the pages build once per process and share between sessions: results, summaries, folds, notes.

Like st.cache_resource, the arguments whose names start with "_" are not part of the key (the objects the key
stands for: a result, an evidence base). Two differences, both measured on the consult page:
- st.cache_resource works the key out of the function's signature on every call (inspect.signature and a hash of
  each argument); over the three calls a consult rerun makes, that was about 7% of the server's time;
- any client's clear-cache message empties st.cache_resource for everyone (docs/safety.md, H26); this is not
  emptied by it, so a clear costs nothing here.
What is kept is immutable (results, text), so every session can be given the same object. Each entry also holds
the objects passed with it: while it lives, no other object can take the id a key names (`id(base)`), so a key
never reaches a value built from another evidence base."""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict


def memo(size: int):
    """Keep the last `size` values of a function, keyed on its arguments without a leading underscore."""

    def wrap(build):
        names = list(inspect.signature(build).parameters)
        keyed = tuple(i for i, name in enumerate(names) if not name.startswith("_"))
        kept: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(build)
        def cached(*args):
            key = tuple(args[i] for i in keyed)
            with lock:
                if key in kept:
                    kept.move_to_end(key)
                    return kept[key][0]
            value = build(*args)  # built outside the lock: two sessions may build the same value once each
            with lock:
                kept[key] = (value, tuple(a for i, a in enumerate(args) if i not in keyed))
                while len(kept) > size:
                    kept.popitem(last=False)
            return value

        return cached

    return wrap
