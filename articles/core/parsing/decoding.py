"""Bytes to text.

The rule: an upload is text in an encoding we can name — its byte-order mark's, UTF-8, the
charset an HTML page declares, else windows-1252 (latin-1 as the last resort), with a warning
when we had to guess — and it never holds a NUL character or mostly control characters: that
is a binary file, and NUL is also what no database text column accepts.
"""

from __future__ import annotations

import codecs
import math
import re

from articles.core.document import ParseError
from articles.core.parsing.thresholds import (
    BINARY_CONTROL_SHARE,
    CHARSET_SNIFF_BYTES,
    MB,
)

CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_DECLARED_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# The HTML standard reads these labels as windows-1252, a superset of both.
_WINDOWS_1252_LABELS = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})


def _format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        # Round up so that an over-limit file never displays as the limit itself.
        shown = f"{math.ceil(size * 10 / MB) / 10:.1f} MB" if size >= MB else _format_size(size)
        raise ParseError(f"file is too large ({shown}; the limit is {_format_size(max_bytes)})")


def _declared_charset(raw: bytes) -> str | None:
    """The Python codec of the charset an HTML page declares, if it declares a known one."""
    match = _DECLARED_CHARSET_RE.search(raw[:CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii", "replace")).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_LABELS else name


def _decode(raw: bytes) -> tuple[str, list[str]]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ParseError("not a valid UTF-16 text file") from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw)
    if declared is not None and declared != "utf-8":
        try:
            return raw.decode(declared), []
        except UnicodeDecodeError:
            pass  # declared wrongly: guess as for any other file
    try:
        return raw.decode("cp1252"), ["decoded as windows-1252: the file is not valid UTF-8"]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), ["decoded as latin-1: the file is not valid UTF-8"]


def to_text(data: object, max_bytes: int) -> tuple[str, list[str]]:
    """The upload as text, and the warnings decoding it gave; raises ParseError."""
    warnings: list[str] = []
    if isinstance(data, str):
        check_size(len(data.encode("utf-8", "surrogatepass")), max_bytes)
        text = _SURROGATE_RE.sub("\ufffd", data)
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        check_size(len(raw), max_bytes)
        text, warnings = _decode(raw)
        # Binary files without NUL bytes still decode (latin-1 accepts anything): count controls.
        if len(CONTROL_RE.findall(text)) > BINARY_CONTROL_SHARE * len(text):
            raise ParseError("not a text file")
    else:
        raise ParseError("expected text or bytes")
    if "\x00" in text:
        raise ParseError("not a text file (it holds NUL characters)")
    return text, warnings
