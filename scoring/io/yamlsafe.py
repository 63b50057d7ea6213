"""Strict, bounded YAML reading for files that come from outside (vendors, scenarios, timelines).

Why not plain ``yaml.safe_load``? It is safe against code execution but still:
- guesses types the YAML 1.1 way: ``NO`` (Norway) becomes ``False``, ``0123`` becomes 83,
  ``on``/``yes`` become booleans, ``2019-02-30`` raises deep inside the parser (bad-inputs.md §8);
- silently keeps the last of two duplicate keys, which loses data (§7);
- expands alias bombs ("billion laughs") into shared references that explode when walked (§9),
  and accepts recursive aliases (``a: &a [*a]``) that make any later walk recurse forever;
- recurses without bound on deep nesting (§10);
- lets explicit tags (``!!int xyz``, ``!!timestamp 2019-02-30``) and raw control characters escape
  as ValueError / KeyError / ReaderError instead of a located problem.

This loader resolves only ``true``/``false``, decimal integers and plain decimal floats; dates stay
strings so validation (not YAML) decides what is a date; duplicate keys, aliases beyond a small
budget, documents whose alias-expanded size or depth exceeds a fixed budget, recursive aliases,
and nesting beyond a fixed depth are reported as located problems. Text is decoded as
strict UTF-8 (a UTF-8 BOM is tolerated) and every string is normalised to Unicode NFC.

Two paths, one answer. This module's pure-Python loader is the reference: it alone writes error
messages. When PyYAML was built with libyaml (``yaml.__with_libyaml__``), ``load_yaml`` first
tries ``yaml_fast.load_fast``: libyaml scans and parses, and a small Python builder turns its
event stream into data, applying the same resolution rules; it takes only the plain subset
(no tags, anchors, aliases or merge keys; within the depth and size budgets) and hands anything
else, and every error, to the reference loader. So the fast path can only be faster, never
more lenient or differently worded (tests/test_yaml_paths.py compares both on the bundled data,
the bad-input corpus and fuzzed text).
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.reader import ReaderError

from .yaml_fast import BAIL, HAVE_LIBYAML, load_fast
from .yaml_rules import IMPLICIT_RESOLVERS, MAX_DEPTH, MAX_DIGITS, MAX_NODES, MERGE_TAG

MAX_ALIASES = 50


class YamlReadError(Exception):
    """Raised with a list of (location, message) pairs when a document cannot be read."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{loc}: {msg}" for loc, msg in problems))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with strict implicit typing, duplicate-key detection and bomb limits."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_problems: list[tuple[str, str]] = []
        self._aliases = 0
        self._depth = 0
        self.last_mark: Any = None  # start of the node being constructed (for value errors)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        self.last_mark = node.start_mark
        return super().construct_object(node, deep=deep)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"line {mark.line + 1}: more than {MAX_ALIASES} aliases (*ref); "
                    "refusing a possible alias bomb"
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"line {mark.line + 1}: nesting deeper than {MAX_DEPTH} levels"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *base` is flattened by SafeConstructor
                continue
            try:
                key = self.construct_object(key_node, deep=deep)
                hash(key)
                if isinstance(key, str):  # keys equal after NFC would merge in _normalise
                    key = unicodedata.normalize("NFC", key)
            except TypeError:
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicate_problems.append(
                    (
                        f"line {line}",
                        f"duplicate key {key!r} (first at line {seen[key]}); "
                        "YAML would silently keep only the last one - remove one of them",
                    )
                )
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> int:
        value = self.construct_scalar(node)
        if isinstance(value, str) and sum(c.isdigit() for c in value) > MAX_DIGITS:
            raise ConstructorError(
                None, None, f"a number with more than {MAX_DIGITS} digits", node.start_mark
            )
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


# Replace PyYAML's YAML 1.1 implicit resolvers with strict ones.
_StrictLoader.yaml_implicit_resolvers = {}
for _tag, _rx, _first in IMPLICIT_RESOLVERS:
    _StrictLoader.add_implicit_resolver(_tag, _rx, _first)


def decode_text(data: bytes, max_bytes: int) -> str:
    """Decode bytes as strict UTF-8 text, refusing what is clearly not a YAML text file.

    Raises ``YamlReadError`` with a plain-words reason (size, binary type, encoding, NUL bytes).
    """
    if len(data) > max_bytes:
        raise YamlReadError(
            [("file", f"file is {len(data):,} bytes; the limit is {max_bytes:,} bytes")]
        )
    if not data.strip():
        raise YamlReadError([("file", "file is empty")])
    magic = {
        b"PK\x03\x04": "a zip container (an Excel .xlsx or similar), not YAML",
        b"%PDF": "a PDF document, not YAML",
        b"\xd0\xcf\x11\xe0": "a legacy Office (OLE) file, not YAML",
    }
    for head, what in magic.items():
        if data.startswith(head):
            raise YamlReadError([("file", f"this file is {what}")])
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's BOM
        raise YamlReadError([("file", "file is UTF-32 encoded; save it as UTF-8")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlReadError([("file", "file is UTF-16 encoded; save it as UTF-8")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        pos = data.index(b"\x00")
        raise YamlReadError([("file", f"NUL byte at offset {pos}: this is not a text file"
                              + _wide_hint(data))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlReadError(
            [
                (
                    f"line {line}",
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                    "save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
                )
            ]
        ) from None
    return text


def _wide_hint(data: bytes) -> str:
    """Name UTF-16 / UTF-32 without a byte-order mark by its NUL pattern (ASCII-heavy text)."""
    head = data[:4]
    if len(head) == 4 and head[1:] == b"\x00\x00\x00" and head[0]:
        return " (it looks UTF-32 encoded; save it as UTF-8)"
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return " (it looks UTF-32 encoded; save it as UTF-8)"
    if len(head) >= 2 and (head[1] == 0) != (head[0] == 0):
        return " (it looks UTF-16 encoded; save it as UTF-8)"
    return ""


class _ExpansionError(Exception):
    def __init__(self, node: Node, message: str) -> None:
        self.line = node.start_mark.line + 1
        super().__init__(message)


def _check_expansion(root: Node) -> None:
    """Refuse recursive aliases, and documents too big or too deep once aliases are expanded.

    The alias count alone does not bound the expanded size (45 aliases, three per level, expand
    to 3**16 values), and every later walk of the data sees the expanded tree. Each node is
    visited once (memoised), so this costs as much as the composed document, not its expansion.
    """
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
    active: set[int] = set()

    def visit(node: Node, depth: int, parent: Node) -> tuple[int, int]:
        key = id(node)
        if key in active:
            raise _ExpansionError(node, "recursive alias: an anchor (&name) refers to itself")
        if key not in memo:
            if depth > MAX_DEPTH:
                raise _ExpansionError(node, f"nesting deeper than {MAX_DEPTH} levels "
                                      "(counting what aliases expand to)")
            active.add(key)
            if isinstance(node, SequenceNode):
                children: list[Node] = list(node.value)
            elif isinstance(node, MappingNode):
                children = [n for pair in node.value for n in pair]
            else:
                children = []
            size, height = 1, 0
            for child in children:
                c_size, c_height = visit(child, depth + 1, node)
                size += c_size
                height = max(height, c_height + 1)
                if size > MAX_NODES:
                    raise _ExpansionError(
                        node, f"the document expands to more than {MAX_NODES:,} values "
                        "(aliases *ref copy their anchor); refusing a possible alias bomb"
                    )
            active.discard(key)
            memo[key] = (size, height)
        size, height = memo[key]
        if depth + height > MAX_DEPTH:  # an alias (in ``parent``) to a deep anchor
            raise _ExpansionError(parent, f"nesting deeper than {MAX_DEPTH} levels "
                                  "(counting what aliases expand to)")
        return size, height

    visit(root, 1, root)


Backend = Literal["auto", "c", "python"]


def load_yaml(data: bytes, max_bytes: int = 1_048_576, backend: Backend = "auto") -> Any:
    """Parse one YAML document from bytes, strictly; return plain Python data, NFC-normalised.

    Raises ``YamlReadError`` listing every problem found (duplicate keys are all reported).
    ``backend`` is for tests and benchmarks: ``"python"`` forces the reference loader, ``"c"``
    (or ``"auto"`` when libyaml is present) tries the libyaml path first; results are the same.
    """
    text = decode_text(data, max_bytes)
    if backend != "python" and HAVE_LIBYAML:
        doc = load_fast(text)
        if doc is not BAIL:
            return doc
    return load_python(text)


def load_python(text: str) -> Any:
    """The reference loader over decoded text (pure Python, PyYAML's SafeLoader made strict)."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node)
        doc = loader.construct_document(node) if node is not None else None
    except _ExpansionError as exc:
        raise YamlReadError([(f"line {exc.line}", str(exc))]) from None
    except ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        char = exc.character if isinstance(exc.character, int) else 0
        code = f"\\x{char:02x}" if char < 0x100 else f"U+{char:04X}"
        raise YamlReadError(
            [(f"line {line}", f"contains a control or non-printable character ({code}) that "
              "YAML does not allow; remove it")]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "file"
        what = (exc.problem or str(exc)).strip()
        if "constructor for the tag" in what:
            what = f"{what}: tags like !!python/object are not allowed"
        raise YamlReadError([(where, f"YAML syntax: {what}")]) from None
    except yaml.YAMLError as exc:
        raise YamlReadError([("file", str(exc))]) from None
    except RecursionError:
        raise YamlReadError([("file", "nesting too deep")]) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        # Only explicit tags get here (``!!int xyz``, an empty ``!!int``, ``!!bool maybe``,
        # ``!!timestamp 2019-02-30``, ``!!set x``): implicit resolution yields well-formed values.
        mark = loader.last_mark if loader is not None else None
        where = f"line {mark.line + 1}" if mark is not None else "file"
        detail = str(exc).strip() or type(exc).__name__
        raise YamlReadError(
            [(where, f"value cannot be read with its explicit !!tag ({detail[:120]}); remove "
              "the tag and write a plain value")]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.duplicate_problems:
        raise YamlReadError(loader.duplicate_problems)
    return _normalise(doc)


def _normalise(obj: Any) -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, dict):
        return {_normalise(k): _normalise(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_normalise(v) for v in obj]
    return obj
