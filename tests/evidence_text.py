"""Every free-text field in a copy of data/, found from the pydantic models themselves.

A "text slot" is a string in a raw YAML document whose model field is a constrained string with a maximum
length and no pattern (ids, DOIs, enums and literals are not text). The property test lengthens slots up to
their declared maximum; the privacy test plants markup in every slot. Because slots come from the models,
a text field added later is covered without touching these tests.
"""

from __future__ import annotations

import random
import shutil
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel

from sdm import teaching
from sdm.evidence import loader as evidence
from sdm.teaching import methods

# Every file the app reads, with the model of one record (or of the whole file).
FILES: dict[str, tuple[type[BaseModel], bool]] = {
    **evidence.FILES,
    teaching.VIGNETTES_FILE: (teaching.Vignette, True),
    teaching.PROMPTS_FILE: (teaching.Prompt, True),
    methods.IPDAS_FILE: (methods.IpdasCriterion, True),
}


@dataclass
class Slot:
    file: str
    path: str  # e.g. "guidelines.yaml[3].statement"
    container: Any  # dict or list holding the string
    key: Any  # its key or index
    max_length: int
    is_key: bool = False  # a mapping key (glossary terms), not a value

    @property
    def value(self) -> str:
        return self.key if self.is_key else self.container[self.key]

    def set(self, new: str) -> None:
        if not self.is_key:
            self.container[self.key] = new
            return
        # keep the mapping's order when a key is renamed
        items = list(self.container.items())
        self.container.clear()
        for k, v in items:
            self.container[new if k == self.key else k] = v
        self.key = new


def _constraints(metadata: list[Any]) -> tuple[int | None, bool]:
    max_length, pattern = None, False
    for m in metadata:
        inner = getattr(m, "metadata", None)
        if isinstance(inner, list):  # a FieldInfo inside Annotated
            sub_max, sub_pattern = _constraints(inner)
            max_length = sub_max if sub_max is not None else max_length
            pattern = pattern or sub_pattern
        if getattr(m, "max_length", None) is not None:
            max_length = m.max_length
        if getattr(m, "pattern", None) is not None:
            pattern = True
    return max_length, pattern


def _key_constraints(tp: Any) -> tuple[int | None, bool]:
    if typing.get_origin(tp) is typing.Annotated and typing.get_args(tp)[0] is str:
        return _constraints(list(typing.get_args(tp)[1:]))
    return None, True  # enums, plain ids: not text


def _walk(tp: Any, metadata: list[Any], value: Any, container: Any, key: Any, path: str,
          out: list[tuple[Any, Any, int | None, str, bool]]) -> None:
    if value is None:
        return
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(tp)
        _walk(base, [*metadata, *extra], value, container, key, path, out)
        return
    if origin in (Union, types.UnionType):
        arms = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(arms) == 1:
            _walk(arms[0], metadata, value, container, key, path, out)
        return
    if origin is Literal:
        return
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if isinstance(value, dict):
            for name, field in tp.model_fields.items():
                if name in value:
                    _walk(field.annotation, list(field.metadata), value[name], value, name, f"{path}.{name}", out)
        return
    if origin is list and isinstance(value, list):
        (item_tp,) = typing.get_args(tp)
        for i, item in enumerate(value):
            _walk(item_tp, [], item, value, i, f"{path}[{i}]", out)
        return
    if origin is dict and isinstance(value, dict):
        key_tp, value_tp = typing.get_args(tp)
        for k in list(value):
            _walk(value_tp, [], value[k], value, k, f"{path}[{k}]", out)
        key_max, key_pattern = _key_constraints(key_tp)
        if key_max is not None and not key_pattern:  # free-text keys (glossary terms) are shown too
            for k in list(value):
                out.append((value, k, key_max, f"{path}{{{k}}}", True))
        elif key_tp is str:
            raise AssertionError(f"{path}: free-text mapping keys without a declared max_length")
        return
    if tp is str and isinstance(value, str):
        max_length, pattern = _constraints(metadata)
        if not pattern:
            out.append((container, key, max_length, path, False))


def slots(folder: Path, docs: dict[str, Any]) -> list[Slot]:
    """The text slots of already-read documents (file name -> parsed YAML)."""
    found: list[Slot] = []
    for name, (model, is_list) in FILES.items():
        raw = docs[name]
        out: list[tuple[Any, Any, int | None, str, bool]] = []
        if is_list:
            for i, item in enumerate(raw):
                _walk(model, [], item, raw, i, f"{name}[{i}]", out)
        else:
            _walk(model, [], raw, docs, name, name, out)
        for container, key, max_length, path, is_key in out:
            if max_length is None:
                raise AssertionError(f"{path}: a free-text field without a declared max_length")
            found.append(Slot(name, path, container, key, max_length, is_key))
    return found


def read(folder: Path) -> dict[str, Any]:
    return {name: yaml.safe_load((folder / name).read_text(encoding="utf-8")) for name in FILES}


def write(folder: Path, docs: dict[str, Any]) -> None:
    for name, doc in docs.items():
        (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000),
                                   encoding="utf-8")


def copy_data(dest: Path) -> Path:
    """A fresh copy of data/ (fonts included) to change."""
    shutil.copytree(evidence.DEFAULT_DATA_DIR, dest)
    return dest


def every_slot() -> Iterator[Slot]:
    yield from slots(evidence.DEFAULT_DATA_DIR, read(evidence.DEFAULT_DATA_DIR))


def payloads(host: str, tag: str = "x") -> list[str]:
    """Markup that would reach `host` if it were rendered as markdown or HTML: an image, raw HTML, a link and a
    bare URL (most important first). `tag` goes into each address, so a request names the field it came from."""
    return [f"![p](http://{host}/{tag}/md.png)", f'<img src="http://{host}/{tag}/html.png">',
            f"[p](http://{host}/{tag}/link)", f"http://{host}/{tag}/bare"]


def plant(slot: Slot, host: str, tag: str = "x") -> None:
    """Put as much planted markup as the field's declared length allows in front of its text."""
    parts = payloads(host, tag)
    text = " ".join(parts)
    while parts and len(text) + 1 > slot.max_length:
        parts.pop()
        text = " ".join(parts)
    if not parts:
        raise AssertionError(f"{slot.path}: max_length {slot.max_length} is too short to plant an image")
    new = (text + " " + slot.value)[: slot.max_length]
    if slot.is_key and new in slot.container:
        return
    slot.set(new)


def planted_copy(dest: Path, host: str) -> tuple[Path, list[Slot]]:
    """A copy of data/ with markup planted in every text slot; slot i's addresses carry the tag "s<i>"."""
    folder = copy_data(dest)
    docs = read(folder)
    found = slots(folder, docs)
    for i, s in enumerate(found):
        plant(s, host, f"s{i}")
    write(folder, docs)
    return folder, found


def lengthen(value: str, target: int, words: list[str], rng: random.Random) -> str:
    """value, then whole words drawn from `words`, then plain letters, to exactly `target` characters."""
    out = value
    for _ in range(10_000):
        w = rng.choice(words)
        if len(out) + 1 + len(w) > target:
            break
        out += " " + w
    room = target - len(out)
    if room >= 2:
        out += " " + "a" * (room - 1)
    return out


def longest_copy(dest: Path, words: list[str] | None = None) -> Path:
    """A copy of data/ with every text field lengthened to its declared max_length (still valid)."""
    folder = copy_data(dest)
    docs = read(folder)
    rng = random.Random(0)
    for s in slots(folder, docs):
        new = lengthen(s.value, s.max_length, words or ["plain", "words", "about", "the", "leg"], rng)
        if not (s.is_key and new in s.container):
            s.set(new)
    write(folder, docs)
    return folder
