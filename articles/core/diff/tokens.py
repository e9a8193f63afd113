"""Tokens: what counts as a word, which words are figures, and one code point per token.

A token is a word, a number kept whole ("100,000", "$4.5", "3.2%", "1990s"), a date
("March 7"), an abbreviation ("U.S.") or a mark on its own; a piece is a token with the
whitespace around it, so pieces join back to the exact text. A figure is a token that is a
number or a date (`is_figure`): the only tokens the figure list reports.

Each distinct token of a diff gets one code point (`code_points`, the one allocator), so a text
becomes a short str that rapidfuzz compares whole at C speed: diff-match-patch's
diff_linesToChars, one level down. The block alignment codes whole blocks the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain, islice

from rapidfuzz.distance import Indel

from articles.core.document import Block

_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_TOKEN = (
    rf"\b(?:{_MONTHS})\.? \d{{1,2}}\b(?![.,:]\d)"  # "March 7": a date stays one token
    r"|[$€£¥]?\d+(?:[.,:]\d+)*(?:%|[^\W\d_]+)?"  # "100,000", "$4.5", "3.2", "100%", "1990s"
    r"|(?:[^\W\d_]\.){2,}"  # "U.S.", "a.m."
    r"|\w+(?:['’-]\w+)*"  # "don't", "well-known", "COVID-19"
    r"|[^\w\s]"  # any other mark on its own: quotes, commas, dashes
)
_PIECE = re.compile(rf"\s*(?:{_TOKEN})\s*")
_FIGURE = re.compile(rf"[$€£¥]?\d|(?:{_MONTHS})\.? \d")
# A chunk that may hold the month of a date ("March 7" is one token across a space).
_MONTH_END = re.compile(rf"(?:{_MONTHS})\.?$")
_MARKS = frozenset(",.;:!?")  # after a word, each is a token of its own
_BYTE = [bytes((n,)) for n in range(256)]  # a piece length as one byte


def tokenize(text: str) -> list[str]:
    """The word-level tokens of a text: numbers and abbreviations whole, whitespace dropped."""
    return [piece.strip() for piece in pieces(text)]


def pieces(text: str) -> list[str]:
    """The text's tokens with the whitespace around them: they join back to the text."""
    found = _PIECE.findall(text)
    return found if found or not text else [text]  # whitespace-only text: one blank piece


Opcodes = list[tuple[str, int, int, int, int]]  # (tag, i1, i2, j1, j2), as difflib has them


def opcodes(a: str, b: str) -> Opcodes:
    """How code string a becomes b: rapidfuzz's Indel.opcodes, a longest common subsequence."""
    return Indel.opcodes(a, b).as_list()  # type: ignore[return-value]  # tuples at run time


def is_figure(token: str) -> bool:
    """Whether a token is a figure: a number (after a currency sign, if any) or a date."""
    return _FIGURE.match(token) is not None


def code_points() -> Iterator[str]:
    """The allocator: distinct codes in order, each one character from U+0100 on, skipping the
    surrogates (1,111,808 in all). Below U+0100 is left free, so "\\0" can stand for "no token"
    or "no block". An iterator at C speed: a page's new words each take the next one."""
    return map(chr, chain(range(0x100, 0xD800), range(0xE000, 0x110000)))


_FIRST_CODES = ""  # first_codes' cache, shared by all diffs
_FIRST_CODES_KEPT = 1 << 16


def first_codes(n: int) -> str:
    """The allocator's first n codes as one string (the first 65,536 made once)."""
    global _FIRST_CODES
    if n > len(_FIRST_CODES):
        codes = "".join(islice(code_points(), max(n, 1024)))
        if n > _FIRST_CODES_KEPT:
            return codes
        _FIRST_CODES = codes
    return _FIRST_CODES[:n]


class Codec:
    """Gives each distinct token of one diff its code point, and keeps the figures' codes.

    Most texts are words split by single spaces. For those, each whitespace-separated chunk
    ("said," or "harbour") is looked up whole: its code (one code point per token in it) and its
    pieces' lengths are cached, so encoding a text is one split and one join at C speed. Other
    texts (irregular spacing, a possible date such as "March 7", which spans a space) go through
    the token regex piece by piece. Both ways give exactly the pieces `pieces` gives (pinned by
    test_texts_encode_to_the_same_pieces_as_the_token_regex).
    """

    __slots__ = ("_by_piece", "_by_token", "_chunk_code", "_chunk_lens", "_next_code", "figures")

    def __init__(self) -> None:
        self._next_code = code_points().__next__
        self.figures: set[str] = set()  # the codes of figures: only runs holding one are read
        self._by_piece: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._chunk_code: dict[str, str] = {}
        # Piece lengths, one space after, as bytes: offsets are summed from one joined string.
        self._chunk_lens: dict[str, bytes] = {}

    def code(self, token: str, figure: bool | None = None) -> str:
        """The token's code, given on first sight. `figure`: is_figure(token), when known."""
        code = self._by_token.get(token)
        if code is None:
            code = self._by_token[token] = self._next_code()
            if is_figure(token) if figure is None else figure:
                self.figures.add(code)
        return code

    def encode_text(self, text: str) -> tuple[str, bool]:
        """The text's code string, and whether it took the chunk path."""
        chunks = text.split()
        if " ".join(chunks) == text:
            try:
                return "".join(map(self._chunk_code.__getitem__, chunks)), True
            except KeyError:  # some chunk is new
                found = self._encode_chunks(chunks)
                if found is not None:
                    return found, True
        return self.encode(pieces(text)), False

    def offsets(self, text: str) -> list[int]:
        """Where each piece of a chunk-path text starts, and its end (the text's length)."""
        offsets = [0, *accumulate(b"".join(map(self._chunk_lens.__getitem__, text.split())))]
        offsets[-1] = len(text)  # the last chunk has no space after it
        return offsets

    def _encode_chunks(self, chunks: list[str]) -> str | None:
        """The code string of single-spaced chunks, or None if one must take the regex path."""
        known, code, chunk_lens = self._chunk_code, self.code, self._chunk_lens
        by_token = self._by_token
        codes = []
        for chunk in chunks:
            found = known.get(chunk)
            if found is None:
                if len(chunk) > 254:  # piece lengths must fit a byte: the regex path takes it
                    return None
                # A word (or a number) alone is one token, as the regex finds it, unless it may
                # start a date ("March 7" spans a space: the regex must see the whole text).
                if chunk.isalpha() or chunk.isdecimal():
                    if not chunk.islower() and _MONTH_END.search(chunk):
                        return None
                    found = by_token.get(chunk)
                    if found is None:  # `code`, inlined: most words of an edited block are new
                        found = by_token[chunk] = self._next_code()
                        if not chunk.isalpha():  # is_figure without the regex: a number is one
                            self.figures.add(found)
                    known[chunk] = found
                    chunk_lens[chunk] = _BYTE[len(chunk) + 1]
                elif _MONTH_END.search(chunk):
                    return None
                elif chunk[-1] in _MARKS and chunk[:-1].isalpha():  # "said,": a word, a mark
                    word = chunk[:-1]
                    mark = chunk[-1]
                    found = (by_token.get(word) or code(word, False)) + (
                        by_token.get(mark) or code(mark, False)
                    )
                    known[chunk] = found
                    chunk_lens[chunk] = bytes((len(word), 2))
                else:
                    tokens = _PIECE.findall(chunk)  # no whitespace in a chunk: pieces are tokens
                    found = known[chunk] = "".join([code(token) for token in tokens])
                    lens = [len(token) for token in tokens]
                    lens[-1] += 1
                    chunk_lens[chunk] = bytes(lens)
            codes.append(found)
        return "".join(codes)

    def encode(self, text_pieces: list[str]) -> str:
        """The code string of a text's pieces (their spacing never changes a code)."""
        try:
            return "".join(map(self._by_piece.__getitem__, text_pieces))  # all seen before
        except KeyError:  # some piece is new
            get, by_piece, code = self._by_piece.get, self._by_piece, self.code
            out = []
            for piece in text_pieces:
                found = get(piece)
                if found is None:
                    found = by_piece[piece] = code(piece.strip())
                out.append(found)
            return "".join(out)


class Text:
    """A text's encoding, computed once and only for texts that need pairing or a word diff;
    where its pieces start is worked out only for texts that get a word diff."""

    __slots__ = ("_codec", "_offsets", "enc", "text")

    def __init__(self, text: str, codec: Codec) -> None:
        self.text = text
        # Not the chunks themselves: kept for every leftover block of a page, they outweighed
        # the page (a str object per word); offsets split the text again, at C speed.
        self.enc, by_chunks = codec.encode_text(text)
        self._codec = codec if by_chunks else None
        self._offsets: list[int] | None = None

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:
            if self._codec is not None:
                self._offsets = self._codec.offsets(self.text)
            else:
                self._offsets = [0, *accumulate(map(len, pieces(self.text)))]
        return self._offsets

    def piece(self, k: int) -> str:
        offsets = self.offsets
        return self.text[offsets[k] : offsets[k + 1]]

    def pieces(self, start: int, stop: int) -> list[str]:
        return [self.piece(k) for k in range(max(start, 0), min(stop, len(self.enc)))]


class BlockTexts:
    """The blocks' Texts, made when pairing or a word diff first asks for one, and dropped once
    the block is diffed: pairing is over by then, and big pages need the memory."""

    __slots__ = ("_new", "_new_blocks", "_old", "_old_blocks", "codec")

    def __init__(self, old: Sequence[Block], new: Sequence[Block], codec: Codec) -> None:
        self._old_blocks, self._new_blocks, self.codec = old, new, codec
        self._old: dict[int, Text] = {}
        self._new: dict[int, Text] = {}

    def old(self, i: int) -> Text:
        found = self._old.get(i)
        if found is None:
            found = self._old[i] = Text(self._old_blocks[i].text, self.codec)
        return found

    def new(self, j: int) -> Text:
        found = self._new.get(j)
        if found is None:
            found = self._new[j] = Text(self._new_blocks[j].text, self.codec)
        return found

    def forget(self, i: int, j: int) -> None:
        self._old.pop(i, None)
        self._new.pop(j, None)
