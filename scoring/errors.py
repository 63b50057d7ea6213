"""One error tree for the whole project.

Why: a committee member must never see a traceback. Every edge (the CLI, the app) catches
``HostwiseError`` and shows its plain-words message; anything else is a bug (the CLI exits 1
with a one-line message and a bug-report hint). Loaders collect *all* problems of a file before
raising, so errors carry a tuple of located ``Problem`` items rather than a single string::

    HostwiseError                 plain-words message, exit code 2 on the command line
    ├── ProblemsError             a tuple of located Problem(file, vendor, question/field, message)
    │   ├── QuestionnaireError    a vendor questionnaire (YAML) or a folder of them
    │   ├── CatalogueError        the question catalogue
    │   ├── LegalTimelineError    the legal timeline
    │   └── ScenarioError         a scenario: weights, gates, workload, lots, allocation rules
    └── InputError (ValueError)   a numeric input to a method (matrix, weights, samples, seed)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .i18n import ngettext
from .messages import render
from .text import printable

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One located problem: which file, which vendor, which question or field, and what is wrong.

    ``question`` holds a question id (``cert.hds``) or a field path (``prices[2].currency``,
    ``sources.S3.date``, ``line 12``); ``vendor`` is empty when the file could not be read far
    enough to know it.
    """

    file: str
    vendor: str
    question: str
    message: str

    def line(self) -> str:
        """Render as ``file: vendor: question: message`` (the CLI contract), the message in the
        reader's language (``messages.render``; ``as_dict``, the JSON, keeps the English).
        Every field may come from outside (file names, vendor ids, YAML keys, quoted values), so
        each is escaped for a terminal (escaping is idempotent: an already safe problem is
        unchanged)."""
        return (f"{printable(self.file, 1000)}: {printable(self.vendor or '-', 200)}: "
                f"{printable(self.question or '-', 300)}: "
                f"{printable(render(self.message), 4000)}")

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "vendor": self.vendor,
            "question": self.question,
            "message": self.message,
        }


class HostwiseError(Exception):
    """Base of every error the project raises on purpose (bad input, impossible request)."""


class ProblemsError(HostwiseError):
    """An error that carries one or more located problems."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = summary or ngettext("{n} problem found", "{n} problems found", n).format(n=n)
        super().__init__(head + "\n" + "\n".join(p.line() for p in self.problems))


class QuestionnaireError(ProblemsError):
    """A vendor questionnaire or a folder of them could not be loaded."""


class CatalogueError(ProblemsError):
    """The question catalogue itself is invalid (a project bug or a bad custom catalogue)."""


class LegalTimelineError(ProblemsError):
    """The legal timeline file is invalid."""


class ScenarioError(ProblemsError):
    """A scenario file is invalid or names offers / criteria that do not exist."""


class InputError(HostwiseError, ValueError):
    """Invalid numeric input to a method (weights, matrices, bounds). A ``ValueError`` too, so
    numeric callers can catch it the usual way, and a ``HostwiseError`` so edges show it in
    plain words."""


def validation_problems(exc: ValidationError, file: str) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into located problems (field path, message)."""
    return [Problem(file, "", ".".join(str(x) for x in e["loc"]), e["msg"])
            for e in exc.errors()]


def validated(model: type[M], doc: object, file: str, error: type[ProblemsError],
              rules: Callable[[M, str], list[Problem]] | None = None) -> M:
    """``doc`` read as a ``model``, or ``error`` carrying every located problem at once: the
    schema's (pydantic: field path, message), else the ``rules``' own, which run only on a
    well-formed document (a rule may rely on the schema). One road for every loader, so a bad
    file always says all that is wrong, located, and never a traceback."""
    try:
        obj = model.model_validate(doc)
    except ValidationError as exc:
        raise error(validation_problems(exc, file)) from None
    problems = rules(obj, file) if rules is not None else []
    if problems:
        raise error(problems)
    return obj
