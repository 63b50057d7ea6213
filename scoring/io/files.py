"""Reading one input file safely, and hashing its content, for every loader (questionnaires,
scenarios, the catalogue, the legal timeline).

``read_input`` opens first and asks questions after, on the open descriptor (no check-then-use
race): only a regular file is read (a FIFO would block ``read`` forever, a device like
``/dev/zero`` never ends), its size is checked with ``fstat`` before reading, and at most
``limit + 1`` bytes are read whatever ``fstat`` said (``/proc`` files report size 0). The open is
``O_NONBLOCK`` so that opening a FIFO does not wait for a writer (POSIX ``open(2)``).

``canonical_sha256`` is the content hash used in audit trails and result hashes: the same
questionnaire saved on Windows (CRLF line endings) or with a UTF-8 byte-order mark is the same
content, and must not change a committee's result hash.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from ..i18n import N_
from ..messages import Msg, word


class InputFileError(OSError):
    """A file that cannot or must not be read; ``strerror`` says why in plain words.

    An ``OSError`` so that loaders which already report ``exc.strerror`` need no new code.
    """

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def kind_of(mode: int) -> str:
    """Plain-words kind of a file from its ``st_mode``."""
    for test, name in _KINDS:
        if test(mode):
            return word(name)
    return word(N_("a regular file") if stat.S_ISREG(mode) else N_("a special file"))


def _open_error(exc: OSError) -> InputFileError:
    if exc.errno == errno.ENOENT:
        return InputFileError("no such file")
    if exc.errno == errno.ELOOP:
        return InputFileError("a symbolic link that loops or is not followed here; not read")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputFileError("permission denied")
    if exc.errno == errno.ENXIO:
        return InputFileError("a socket or device without a reader, not a regular file; not read")
    if exc.errno == errno.EISDIR:
        return InputFileError("a folder, not a file")
    return InputFileError(f"cannot read: {exc.strerror or exc}")


def read_input(path: str | Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises ``InputFileError`` (an ``OSError``) naming what is wrong: missing, not a regular file
    (and which kind), too large (before reading it), unreadable. ``follow_links=False`` refuses
    a symbolic link at the last path component (``O_NOFOLLOW``), for entries of a folder that
    were checked not to be links.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _open_error(exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError(Msg(N_("{kind}, not a regular file; not read"),
                                     kind=kind_of(st.st_mode)))
        if st.st_size > limit:
            raise InputFileError(_too_big(st.st_size, limit))
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            except BlockingIOError:  # pragma: no cover - regular files never block
                break
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise InputFileError(_too_big(got, limit, at_least=True))
        return b"".join(chunks)
    except InputFileError:
        raise
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    shown = limit if at_least else size
    return f"file is {more}{shown:,} bytes; the limit is {limit:,} bytes"


def canonical_bytes(data: bytes) -> bytes:
    """The content as hashed: no UTF-8 byte-order mark, every line ending written ``\\n``
    (CRLF and a lone CR are both line breaks in YAML 1.1 §5.4, so the document is the same)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r" in data:  # 0x0D never occurs inside a multi-byte UTF-8 sequence
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def canonical_sha256(data: bytes) -> str:
    """SHA-256 (hex) of ``canonical_bytes(data)``: the content hash of an input file."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()
