"""Read one evidence file as YAML, refusing what evidence files never need.

Evidence files are short lists and mappings of plain values, written by hand. YAML can do much more:
anchors, aliases and merge keys copy values (a 1 KB file can expand to gigabytes), nesting has no end,
numbers have any size, and a date can be one the calendar does not have. Each of those turned a
mistaken file into a traceback, a stall or a flood of messages. This reader keeps PyYAML's own parser
(libyaml where installed) and constructor, and changes three things:

- the composer refuses aliases, anchors and merge keys, and keeps to a nesting depth, a record count
  and a node budget, so the work done is bounded before anything is built;
- numbers must be finite and below MAX_NUMBER, dates must exist, and a key may not be given twice
  (YAML would keep the second silently);
- every refusal is a ReadError with the line, and the path to the value when it is known.

The limits sit far above today's data (largest file 16 KB, 35 records, 4,119 nodes in all the files validate
reads, nested 5 deep) and are documented in the README ("The evidence").
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

MAX_FILE_BYTES = 1_000_000  # per file
MAX_RECORDS = 2_000  # items in a file that is a list of records
MAX_NODES = 50_000  # values of any kind (mapping, list, text, number), for all files read together
MAX_DEPTH = 32  # levels of nesting
MAX_NUMBER = 10**15  # largest number, in size, an evidence file may hold
MAX_NUMBER_CHARS = 100  # longest number, in characters (YAML 1.1 base-60 numbers cost time per digit)

MERGE_TAG = "tag:yaml.org,2002:merge"

try:
    from yaml.cyaml import CParser as _EventSource  # libyaml: the same events, several times faster
except ImportError:  # pragma: no cover - PyYAML built without libyaml: correct, but slower than the README's 2 s

    class _EventSource(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class ReadError(Exception):
    """A file that cannot be read as an evidence file.

    `field` says what kind of place `line` is when `path` is empty: "(file)", "(text)", "(syntax)" or
    "(whole file)" (a refusal at the top of the file).
    `path` leads from the top of the file to the value (list indexes and mapping keys); `record_id` is
    the id of the record the value is in, when that record has one.
    """

    def __init__(self, message: str, *, line: int | None = None, path: tuple[int | str, ...] = (),
                 record_id: str | None = None, field: str = "(syntax)"):
        self.message = message
        self.line = line
        self.path = path
        self.record_id = record_id
        self.field = field
        super().__init__(f"line {line}: {message}" if line else message)


class Budget:
    """Nodes left for the files read together (the files of one evidence folder share one budget)."""

    def __init__(self, nodes: int = MAX_NODES):
        self.nodes = nodes
        self.limit = nodes

    @property
    def spent(self) -> bool:
        return self.nodes < 0


class _BadValue(Exception):
    """Raised while building a value; turned into a ReadError with the path to `node`."""

    def __init__(self, node: Node, message: str):
        self.node = node
        self.message = message


def _key_text(key: Node) -> str:
    return str(key.value) if isinstance(key, ScalarNode) else "(complex key)"


def _record_id(record: Node | None) -> str | None:
    if isinstance(record, MappingNode):
        for key, value in record.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return None


class EvidenceLoader(Composer, SafeConstructor, Resolver, _EventSource):
    """PyYAML's safe loader with a composer that refuses copies and keeps to a budget.

    Composer comes before the parser class, so libyaml's own composer (which has no such checks) is not used.
    """

    def __init__(self, text: str, budget: Budget):
        _EventSource.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.budget = budget
        # (parent, index) for every node being composed, root first; index is a list position,
        # the key node of a mapping value, or None for a mapping key and for the root.
        self.stack: list[tuple[Node | None, Any]] = []

    def _refusal(self, mark: Any, message: str, extra: tuple[str, ...] = ()) -> ReadError:
        path: list[int | str] = []
        for _parent, index in self.stack[1:]:
            if index is None:  # inside a mapping key
                break
            path.append(index if isinstance(index, int) else _key_text(index))
        record = self.stack[2][0] if len(self.stack) > 2 and isinstance(self.stack[1][0], SequenceNode) else None
        return ReadError(message, line=mark.line + 1, path=(*path, *extra), record_id=_record_id(record),
                         field="(whole file)")

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        stack = self.stack
        stack.append((parent, index))
        try:
            # one cheap test per node; the reason is worked out only when something is refused
            if (event.anchor is not None or len(stack) > MAX_DEPTH or self.budget.nodes <= 0
                    or (len(stack) == 2 and isinstance(index, int) and index >= MAX_RECORDS)):
                raise self._refused(event, parent)
            self.budget.nodes -= 1
            node = super().compose_node(parent, index)
            if index is None and parent is not None and node.tag == MERGE_TAG:
                raise self._refusal(node.start_mark, "'<<' is a merge key; evidence files do not use merge keys: "
                                    "write each field out", extra=("<<",))
            return node
        finally:
            stack.pop()

    def _refused(self, event: Any, parent: Node | None) -> ReadError:
        mark = event.start_mark
        if isinstance(event, AliasEvent):  # an alias event carries the name it points to as its anchor
            return self._refusal(mark, f"'*{event.anchor}' is an alias (a copy of another value); evidence files "
                                 "do not use aliases: write the value out")
        if event.anchor is not None:
            return self._refusal(mark, f"'&{event.anchor}' is an anchor; evidence files do not use anchors or "
                                 "aliases: remove it")
        if len(self.stack) > MAX_DEPTH:
            return self._refusal(mark, f"nested more than {MAX_DEPTH} levels deep")
        if self.budget.nodes <= 0:
            self.budget.nodes = -1  # spent: the files after this one are not read
            return self._refusal(mark, f"the evidence files hold more than {self.budget.limit:,} values in all, "
                                 "the limit")
        return self._refusal(mark, f"more than {MAX_RECORDS:,} records in one file")

    # ------------------------------------------------------------------ building values

    def get_single_data(self) -> Any:
        root = self.get_single_node()
        if root is None:
            return None
        try:
            return self.construct_document(root)
        except _BadValue as exc:
            raise _located(root, exc.node, exc.message) from None
        except ConstructorError as exc:  # PyYAML's own, raised outside one value (e.g. a list as a key)
            raise _located(root, _node_at(root, exc.problem_mark), exc.problem or "cannot be read") from None

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _BadValue:
            raise
        except ConstructorError as exc:
            raise _BadValue(node, exc.problem or "cannot be read") from None
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. "!!int abc"
            raise _BadValue(node, f"'{node.tag.rsplit(':', 1)[-1]}' value that cannot be read ({exc})") from None

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        try:
            mapping = super().construct_mapping(node, deep)
        except ConstructorError as exc:  # a list or mapping used as a key
            raise _BadValue(node, exc.problem or "cannot be read") from None
        if len(mapping) < len(node.value):  # YAML keeps the last of two equal keys: a figure would change silently
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise _BadValue(key_node, f"'{key}' is given twice here; only one may be given")
                seen.add(key)
        return mapping

    def _check_length(self, node: Node) -> None:
        if len(str(node.value)) > MAX_NUMBER_CHARS:
            raise _BadValue(node, f"a number more than {MAX_NUMBER_CHARS} characters long")

    def construct_evidence_int(self, node: Node) -> int:
        self._check_length(node)
        value = SafeConstructor.construct_yaml_int(self, node)
        if abs(value) > MAX_NUMBER:
            raise _BadValue(node, f"number too large (evidence numbers are at most {MAX_NUMBER:,})")
        return value

    def construct_evidence_float(self, node: Node) -> float:
        self._check_length(node)
        value = SafeConstructor.construct_yaml_float(self, node)
        if not math.isfinite(value):
            raise _BadValue(node, "not a finite number (infinite, too large, or not a number)")
        if abs(value) > MAX_NUMBER:
            raise _BadValue(node, f"number too large (evidence numbers are at most {MAX_NUMBER:,})")
        return value

    def construct_evidence_timestamp(self, node: Node) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, OverflowError) as exc:
            raise _BadValue(node, f"'{node.value}' is not a date on the calendar ({exc})") from None


EvidenceLoader.add_constructor("tag:yaml.org,2002:int", EvidenceLoader.construct_evidence_int)
EvidenceLoader.add_constructor("tag:yaml.org,2002:float", EvidenceLoader.construct_evidence_float)
EvidenceLoader.add_constructor("tag:yaml.org,2002:timestamp", EvidenceLoader.construct_evidence_timestamp)


def _walk(root: Node):
    """Every node with its path from the root, parents before children."""
    todo: list[tuple[Node, tuple[int | str, ...]]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        yield node, path
        if isinstance(node, SequenceNode):
            todo += [(child, (*path, i)) for i, child in enumerate(node.value)]
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                todo += [(key, (*path, _key_text(key))), (value, (*path, _key_text(key)))]


def _node_at(root: Node, mark: Any) -> Node | None:
    """The deepest node that starts where a mark points."""
    if mark is None:
        return None
    best: tuple[int, Node] | None = None
    for node, path in _walk(root):
        if (node.start_mark.line, node.start_mark.column) == (mark.line, mark.column):
            if best is None or len(path) >= best[0]:
                best = (len(path), node)
    return best[1] if best else None


def _located(root: Node, target: Node | None, message: str) -> ReadError:
    if target is None:
        return ReadError(message, field="(whole file)")
    path = next((p for node, p in _walk(root) if node is target), ())
    record = root.value[path[0]] if isinstance(root, SequenceNode) and path else None
    return ReadError(message, line=target.start_mark.line + 1, path=path, record_id=_record_id(record),
                     field="(whole file)")


def _syntax_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or "cannot be read"
    context = getattr(exc, "context", None)
    return f"not valid YAML: {problem}" + (f" ({context})" if context else "")


def loads(text: str, budget: Budget | None = None) -> Any:
    """The value of one YAML document, or ReadError."""
    loader = None
    try:
        loader = EvidenceLoader(text, budget or Budget())
        return loader.get_single_data()
    except ReadError:
        raise
    except yaml.MarkedYAMLError as exc:  # the parser or composer: syntax
        mark = exc.problem_mark or exc.context_mark
        raise ReadError(_syntax_message(exc), line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.encode("utf-8", "replace")[: exc.position].count(b"\n") + 1
        raise ReadError(f"character U+{exc.character:04X} is not allowed in YAML", line=line, field="(text)") from None
    except UnicodeError:  # a lone surrogate: text decoded from a file's bytes never has one
        raise ReadError("the text is not valid Unicode", field="(text)") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_file(path: Path, budget: Budget | None = None) -> Any:
    """Read one evidence file: at most MAX_FILE_BYTES of UTF-8 YAML. ReadError names what is wrong."""
    try:
        if not path.exists():
            raise ReadError(f"file is missing from {path.parent}", field="(file)")
        if not path.is_file():
            raise ReadError("is not a regular file", field="(file)")
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:  # unreadable, or a path the system refuses (too long, a NUL byte)
        raise ReadError(f"file cannot be read: {getattr(exc, 'strerror', None) or exc}", field="(file)") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"file is larger than {MAX_FILE_BYTES:,} bytes, the limit for one evidence file",
                        field="(file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(f"byte 0x{data[exc.start]:02X} is not UTF-8 text; save the file as UTF-8",
                        line=line, field="(text)") from None
    return loads(text, budget)
