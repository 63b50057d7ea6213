"""The strict reader's rules, shared by its two paths (``yamlsafe`` reference, ``yaml_fast``).

Resolution follows the YAML 1.2 core schema for booleans, integers, floats and null, not PyYAML's
YAML 1.1 defaults: ``NO``/``on``/``yes`` stay text, ``0123`` stays text (not octal 83), ``1_000``
stays text, dates stay text (validation decides what a date is). The table is keyed by first
character exactly as PyYAML's ``Resolver.add_implicit_resolver`` keys it, and tried in the same
order, so both paths resolve every plain scalar to the same tag.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 40
MAX_NODES = 100_000  # values in the document once aliases are expanded (a bundled file has ~500)
MAX_DIGITS = 100  # Python refuses int() of more than 4,300 digits; no answer needs 100

BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_MERGE = re.compile(r"^(?:<<)$")

# (tag, pattern, first characters), in the order they are registered with PyYAML.
IMPLICIT_RESOLVERS: tuple[tuple[str, re.Pattern[str], list[str]], ...] = (
    (BOOL_TAG, _BOOL, list("tTfF")),
    (INT_TAG, _INT, list("-+0123456789")),
    (FLOAT_TAG, _FLOAT, list("-+.0123456789")),
    (NULL_TAG, _NULL, ["~", "n", "N", ""]),
    (MERGE_TAG, _MERGE, ["<"]),
)

_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _rx, _first in IMPLICIT_RESOLVERS:
    for _ch in _first:
        _BY_FIRST.setdefault(_ch, []).append((_tag, _rx))


def plain_tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain (unquoted, untagged) scalar under these rules."""
    for tag, rx in _BY_FIRST.get(value[:1], ()):
        if rx.match(value):
            return tag
    return STR_TAG


# PyYAML's SafeConstructor.inf_value / nan_value, computed the same way.
_INF = 1e300
while _INF != _INF * _INF:
    _INF *= _INF
_NAN = -_INF / _INF


def construct_float(value: str) -> float:
    """Same steps as PyYAML's ``SafeConstructor.construct_yaml_float`` (sign, .inf, .nan)."""
    v = value.replace("_", "").lower()
    sign = -1 if v[0] == "-" else +1
    if v[0] in "+-":
        v = v[1:]
    if v == ".inf":
        return sign * _INF
    if v == ".nan":
        return _NAN
    return sign * float(v)


def construct_plain(tag: str, value: str) -> Any:
    """Python value of a resolved plain scalar (``int`` digit budget checked by the caller)."""
    if tag == STR_TAG:
        return value
    if tag == NULL_TAG:
        return None
    if tag == BOOL_TAG:
        return value.lower() == "true"
    if tag == INT_TAG:
        return int(value)
    if tag == FLOAT_TAG:
        return construct_float(value)
    raise ValueError(tag)  # merge keys never reach here (callers hand them to the reference)

