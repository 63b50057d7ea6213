"""The input edge: everything that reads bytes from outside and turns them into checked data.

- ``files``: ``read_input`` (regular files only, size-checked before reading) and content hashes;
- ``yamlsafe`` (+ ``yaml_rules``, ``yaml_fast``): the strict, bounded YAML reader (libyaml when
  present, the pure-Python reference otherwise, same results);
- ``text``: what a text field may contain, and ``printable`` for showing outside text safely;
- ``values``: one answer value against its question (dates, numbers, countries...), and dates
  of year, month or day precision (``parse_partial_date``);
- ``questionnaire`` (+ ``answers``): one questionnaire file -> ``Offer``;
- ``identity``: NFKC identities, TR39 look-alikes, duplicates, era vs folder;
- ``offers``: an offer set from files and folders, atomically, cached by content.
"""

from __future__ import annotations

from .files import InputFileError, canonical_sha256, read_input
from .identity import duplicate_problems, norm_id, skeleton
from .offers import answer_counts, load_offers, other_product_counts, parse_cached
from .questionnaire import MAX_FILE_BYTES, MAX_FILES, parse_questionnaire
from .text import TextRules, printable, text_problems
from .values import check_value, parse_date, parse_partial_date
from .yamlsafe import YamlReadError, decode_text, load_yaml

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "InputFileError",
    "TextRules",
    "YamlReadError",
    "answer_counts",
    "canonical_sha256",
    "check_value",
    "decode_text",
    "duplicate_problems",
    "load_offers",
    "load_yaml",
    "norm_id",
    "other_product_counts",
    "parse_cached",
    "parse_date",
    "parse_partial_date",
    "parse_questionnaire",
    "printable",
    "read_input",
    "skeleton",
    "text_problems",
]
