"""argparse's own words ("usage:", "options", "the following arguments are required") in the
language of the run (issue 19: every word of the command line in French under
``HOSTWISE_LANG=fr``).

Why this way. argparse looks each of its words up with ``gettext.gettext`` (and ``ngettext``),
which it imports into its own module at start (``from gettext import gettext as _, ngettext``;
the CPython argparse howto, "How to translate the argparse output", calls them translatable
through gettext). The documented route, a compiled ``.mo`` for gettext's global domain bound
with ``gettext.bindtextdomain``/``textdomain``, does not fit Hostwise:

* gettext picks the language from ``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG``, not from
  ``HOSTWISE_LANG``, so the CLI would have to rewrite the process environment (inherited by
  every child process) to choose it;
* the domain and the language are process-wide, while Hostwise's language is a context
  variable (``scoring.i18n``): a test or a script calling ``main`` in English and in French in
  one process would get whichever was set last;
* it needs a binary ``.mo`` on disk, and the project keeps none (``scoring.i18n`` reads the
  ``.po``), and a second catalogue for translators to keep in step with the first.

So argparse's lookups are routed through ``scoring.i18n`` instead: the msgids below are
ordinary entries of ``hostwise.po`` (extracted, checked and translated with every other word),
and ``argparse_words`` rebinds the two names argparse calls, ``argparse._`` and
``argparse.ngettext``, to ``scoring.i18n._``/``ngettext`` *only while a Hostwise parser is
built, formats its help or parses*, then puts gettext's functions back. This is the one
private-attribute hook of the command line, and it is the last resort the brief allows: there
is no public argparse parameter for its words, and overriding each method that builds a message
would copy argparse's code. It is safe for other argparse users in the process: in English
``scoring.i18n._`` returns the message unchanged, as gettext does without a catalogue. A test
(``tests/test_cli_help_french.py``) fails if a future argparse stops calling those two names.

argparse appends the colon of a group title itself ("options:"), so the French titles end with
a no-break space in the catalogue ("options\u00a0" gives "options :", French typography).

Every public entry of ``Parser`` (building, help, usage, parsing, errors) takes the hook, so a
sub-parser (argparse creates them with the parent's class) speaks the same language whoever
calls it: ``main``, a test walking every ``--help``, a documentation script.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from ..i18n import N_, _, ngettext

# The words argparse 3.11 can show a user of ``hostwise`` (Lib/argparse.py), marked for
# extraction so that they are in the catalogue; argparse itself passes them to ``_``. (Its one
# plural, "expected %s argument(s)", is only for an integer ``nargs``, which no command has.)
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


@contextlib.contextmanager
def argparse_words() -> Iterator[None]:
    """argparse's words through ``scoring.i18n`` for the duration of the block (see the module
    docstring for why this hook and not a gettext domain). Re-entrant: an inner block restores
    what the outer one set."""
    saved = (vars(argparse).get("_"), vars(argparse).get("ngettext"))
    vars(argparse)["_"] = _
    vars(argparse)["ngettext"] = ngettext
    try:
        yield
    finally:
        vars(argparse)["_"], vars(argparse)["ngettext"] = saved


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words follow the language of the run. Only the public
    entry points are wrapped; what argparse does inside them is unchanged (exit code 2 and
    one ``prog: error: ...`` line after the usage on bad arguments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with argparse_words():  # the group titles and the -h help are set here
            super().__init__(*args, **kwargs)

    def format_usage(self) -> str:
        with argparse_words():
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_words():
            return super().format_help()

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: Any = None) -> Any:
        with argparse_words():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: Any = None) -> Any:
        with argparse_words():
            return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        with argparse_words():
            super().error(message)
