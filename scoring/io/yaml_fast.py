"""The libyaml path of the strict reader: C scanning and parsing, a small Python builder.

Profiling showed 80-85 % of an evaluation in PyYAML's pure-Python scanner. libyaml (PyYAML's C
extension, ``yaml.__with_libyaml__``) emits the same event stream about 20 times faster. Its own
composer (``CSafeLoader``) cannot be used as it is: it recurses in C without a depth limit (a
1 MiB file of ``[`` would exhaust the C stack), counts no aliases and keeps duplicate keys. So we
take only the *events* from libyaml and build the data here, iteratively, with the budgets of
the reference loader.

This path is deliberately partial. It returns ``BAIL`` (and the reference loader in ``yamlsafe``
takes over, writing the exact same messages as without libyaml) on: any libyaml error, an
explicit tag, an anchor or alias, a merge key, a duplicate key (also after NFC), a non-text
mapping key that is not a plain scalar value, an integer near the digit budget, nesting or size
near the budgets, or a second document. What it returns is what the reference returns.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .yaml_rules import (
    INT_TAG,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_NODES,
    MERGE_TAG,
    STR_TAG,
    construct_plain,
    plain_tag,
)

HAVE_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
BAIL: Any = object()  # "not for this path": the reference loader decides


# Characters on which libyaml's scanner and PyYAML's pure-Python scanner disagree (found by the
# differential fuzzing in tests/test_yaml_paths.py): tabs (libyaml allows them in more places),
# a byte-order mark after the start, the Unicode line breaks NEL, LS, PS, and a comment glued
# to a block scalar header (``|#``: libyaml reads a comment, PyYAML refuses the header).
_SCANNERS_DIFFER = re.compile(r"[\t\ufeff\x85\u2028\u2029]|[|>][-+0-9]*#")


class _Bail(Exception):
    pass


def _nfc(s: str) -> str:
    return s if s.isascii() else unicodedata.normalize("NFC", s)


def _scalar(ev: Any, in_flow: bool) -> Any:
    if ev.tag is not None or ev.anchor is not None:
        raise _Bail
    value: str = ev.value
    if in_flow and ev.implicit[0] and "?" in value:
        raise _Bail  # PyYAML ends a plain scalar at "?" inside [...] / {...}; libyaml does not
    if not ev.implicit[0]:  # quoted or block scalar: text (the resolver's own test)
        return _nfc(value)
    tag = plain_tag(value)
    if tag == STR_TAG:
        return _nfc(value)
    if tag == MERGE_TAG or (tag == INT_TAG and len(value) > MAX_DIGITS):
        raise _Bail
    return construct_plain(tag, value)


def _build(parser: Any) -> Any:
    """Data of the one document whose first node event is next; ``_Bail`` when unsure."""
    # Each frame: [container, pending key or nokey, is a flow collection]
    stack: list[list[Any]] = []
    nodes = 0
    flow = 0  # open flow collections ([...] / {...}) around the next event
    result: Any = None
    nokey = _Bail  # a sentinel that is never a key
    get = parser.get_event
    while True:
        ev = get()
        kind = type(ev)
        if kind is ScalarEvent:
            value = _scalar(ev, flow > 0)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if ev.tag is not None or ev.anchor is not None or len(stack) >= MAX_DEPTH - 2:
                raise _Bail
            nodes += 1
            flow += bool(ev.flow_style)
            stack.append([{} if kind is MappingStartEvent else [], nokey, bool(ev.flow_style)])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            flow -= frame[2]
            value = frame[0]
        else:  # AliasEvent, or anything unexpected
            raise _Bail
        if kind is ScalarEvent:
            nodes += 1
        if nodes > MAX_NODES - 2:
            raise _Bail
        if not stack:
            result = value
            break
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is nokey:
            if kind is not ScalarEvent or value in container:
                raise _Bail  # a collection as a key, or a duplicate key
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = nokey
    return result


def load_fast(text: str) -> Any:
    """Data of ``text`` through libyaml, or ``BAIL`` when the reference loader must decide."""
    if _SCANNERS_DIFFER.search(text):
        return BAIL
    parser = yaml.CBaseLoader(text)  # only its C parser is used: get_event()
    try:
        parser.get_event()  # StreamStart
        if isinstance(parser.peek_event(), StreamEndEvent):
            return None
        parser.get_event()  # DocumentStart
        doc = _build(parser)
        parser.get_event()  # DocumentEnd
        if not isinstance(parser.get_event(), StreamEndEvent):
            return BAIL  # a second document
        return doc
    except (_Bail, yaml.YAMLError, RecursionError, ValueError, TypeError):
        return BAIL
    finally:
        parser.dispose()
