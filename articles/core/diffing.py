"""The diff engine: what changed between two revisions, block by block and word by word.

Matcher: rapidfuzz Indel.opcodes over token strings (one code point per token) — on the 371
paragraph pairs of the pathological bench pair it took 1.3 ms where difflib.SequenceMatcher took
35.6 ms on the same tokens (27x), and as a true longest-common-subsequence it kept 1% more words
as unchanged. LCSseq.normalized_similarity (same C core) scores candidate pairs.

How it works, cheapest first:
1. blocks with identical text are matched by hashing (never word-diffed);
2. sections (runs of blocks under one label) are paired by label, occurrence and shared blocks;
3. matched blocks on the longest in-order chain within paired sections stay in place (`equal`);
   the other matched blocks are `moved`;
4. leftover blocks between two in-place anchors are paired by similarity (`changed`), then
   leftovers anywhere are paired across sections (`moved`, carrying their word changes);
5. the rest are `added` / `removed`. Past a work budget the pairing gets coarser and says so.
Steps 1-3 look at every block; in the usual revision (same sections, blocks edited, added,
removed or moved here and there) a fast path reaches the same result reading the pages side by
side at C speed, and looks at the blocks between the runs of identical blocks only.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, count, repeat
from operator import add, ge, itemgetter, ne
from typing import Literal, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Indel, LCSseq

from articles.core.document import Block, Document

ENGINE_VERSION = 2
_label_of = itemgetter(1)  # Block fields, fetched at C speed over whole pages
_text_of = itemgetter(2)

OpKind = Literal["equal", "added", "removed", "changed", "moved"]
WordKind = Literal["equal", "insert", "delete", "replace"]
TextKind = Literal["equal", "added", "removed", "changed"]

# Pair an old and a new block as one "changed" block only when their longest common run of
# tokens covers at least half of the longer block. Below that, readers get confetti: a few
# surviving words ("the", "said") stranded among marks. Removed + added reads better.
SIMILARITY_THRESHOLD = 0.5
# Work budgets. Past them matching gets coarser, and diff.coarse / diff.notes say so.
# Block pairs scored in one stretch between two in-place anchors (else: pair by position).
MAX_GAP_COMPARISONS = 2_500
# Leftover old x new block pairs scored across sections to find moved-and-edited blocks.
MAX_CROSS_COMPARISONS = 40_000
# Tokens per block above which no word-level diff is made (the opcodes table is len x len bits).
MAX_BLOCK_TOKENS = 5_000
# Old x new blocks above which blocks are aligned by a longest chain of exact matches instead of
# a longest common subsequence (whose backtracking table is len x len bits: 5 MB at this size).
MAX_BLOCK_TABLE = 40_000_000
_MAX_CODES = 1_000_000

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
# A piece is a token with the whitespace around it, so pieces join back to the exact text.
_PIECE = re.compile(rf"\s*(?:{_TOKEN})\s*")
# A chunk that may hold the month of a date ("March 7" is one token across a space).
_MONTH_END = re.compile(rf"(?:{_MONTHS})\.?$")
_FIGURE = re.compile(rf"[$€£¥]?\d|(?:{_MONTHS})\.? \d")
_DIGIT = re.compile(r"\d")
_MARKS = frozenset(",.;:!?")  # after a word, each is a token of its own
_BYTE = [bytes((n,)) for n in range(256)]  # a piece length as one byte
_WORDLIKE = re.compile(r"[^\W\d_][\w'’.-]*")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "than",
        "then",
        "about",
        "over",
        "up",
        "down",
        "out",
        "into",
        "per",
        "some",
        "more",
        "less",
        "least",
        "most",
        "over",
        "under",
        "since",
        "after",
        "before",
        "while",
        "said",
        "says",
        "say",
    ]
)


def tokenize(text: str) -> list[str]:
    """The word-level tokens of a text: numbers and abbreviations whole, whitespace dropped."""
    return [piece.strip() for piece in _pieces(text)]


def _pieces(text: str) -> list[str]:
    pieces = _PIECE.findall(text)
    return pieces if pieces or not text else [text]  # whitespace-only text: one blank piece


class WordOp(NamedTuple):
    """One run of tokens. `old`/`new` are the exact text on each side, trailing space included.
    A named tuple: a heavily edited page makes thousands of them."""

    kind: WordKind
    old: str
    new: str


_EQUAL, _INSERT, _DELETE, _REPLACE = range(4)
_WORD_KINDS: tuple[WordKind, ...] = ("equal", "insert", "delete", "replace")


class WordOps(Sequence[WordOp]):
    """A block's word ops, kept as a kind byte per op and where each op starts in the old and
    the new text (a few bytes per op instead of a tuple and two strings: on a heavily edited
    page the ops outweighed the page). WordOp tuples are made as they are read."""

    __slots__ = ("_kinds", "_new", "_new_cuts", "_old", "_old_cuts")

    def __init__(self, old: str, new: str, kinds: bytes, old_cuts: array, new_cuts: array):
        self._old, self._new, self._kinds = old, new, kinds
        self._old_cuts, self._new_cuts = old_cuts, new_cuts  # one more than ops: the ends

    @property
    def old_text(self) -> str:
        """The whole old text the ops spell out."""
        return self._old

    @property
    def new_text(self) -> str:
        return self._new

    def __len__(self) -> int:
        return len(self._kinds)

    def __iter__(self) -> Iterator[WordOp]:
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        make = WordOp._make
        for k, kind in enumerate(self._kinds):
            yield make((_WORD_KINDS[kind], old[oc[k] : oc[k + 1]], new[nc[k] : nc[k + 1]]))

    def plain(self) -> Iterator[tuple[WordKind, str, str]]:
        """The ops as plain (kind, old, new) tuples: cheaper to make than WordOps."""
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        for k, kind in enumerate(self._kinds):
            yield _WORD_KINDS[kind], old[oc[k] : oc[k + 1]], new[nc[k] : nc[k + 1]]

    def edited_words(self) -> tuple[int, int]:
        """Words (as str.split counts them) on the old and the new side of the edits."""
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        removed = added = 0
        for k in compress(range(len(self._kinds)), self._kinds):  # _EQUAL is 0: edits only
            removed += len(old[oc[k] : oc[k + 1]].split())
            added += len(new[nc[k] : nc[k + 1]].split())
        return removed, added

    def __getitem__(self, k):  # type: ignore[override]
        ops = tuple(self)
        return ops[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WordOps | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"WordOps({tuple(self)!r})"

    def __reduce__(self) -> tuple:
        return WordOps, (self._old, self._new, self._kinds, self._old_cuts, self._new_cuts)


def plain_words(words: Sequence[WordOp]) -> Iterable[tuple[WordKind, str, str]]:
    """Word ops as (kind, old, new) tuples, for loops that read many of them."""
    return words.plain() if isinstance(words, WordOps) else words


@dataclass(frozen=True, slots=True)
class TextChange:
    """A headline, dek, publisher or category: old and new values with word ops when changed."""

    kind: TextKind
    old: str | None
    new: str | None
    words: tuple[WordOp, ...] = ()

    @property
    def changed(self) -> bool:
        return self.kind != "equal"


class BlockOp(NamedTuple):
    """One block in reading order. `words` is set when a paired block's text differs."""

    kind: OpKind
    old_index: int | None
    new_index: int | None
    old_block: Block | None
    new_block: Block | None
    words: Sequence[WordOp] = ()

    @property
    def anchor(self) -> str:
        """Stable id for navigation: the block's new position, or its old one if removed."""
        return f"b{self.new_index}" if self.new_index is not None else f"r{self.old_index}"

    @property
    def block(self) -> Block:
        """The block as the reader now sees it (the old one for removals)."""
        block = self.new_block or self.old_block
        assert block is not None
        return block

    @property
    def edited(self) -> bool:
        """Whether the text changed (a changed block, or a moved block that was also edited)."""
        return any(word.kind != "equal" for word in self.words)


class EqualRun(NamedTuple):
    """A run of blocks that stayed exactly as they were (kind, label and text), in one op:
    old blocks old_index.. and new blocks new_index.., `length` of each. Most of a live page is
    such runs, so the engine and the renderer handle them without one object per block."""

    kind: Literal["equal"]
    old_index: int
    new_index: int
    length: int
    blocks: tuple[Block, ...]  # the run's blocks (identical on both sides)

    @property
    def words(self) -> tuple[WordOp, ...]:
        return ()

    @property
    def edited(self) -> bool:
        return False


Op = BlockOp | EqualRun


@dataclass(frozen=True, slots=True)
class MovedOrigin:
    """Where a moved block used to stand: just before ops[before] (or at the end)."""

    before: int
    op: int  # index in ops of the moved block


@dataclass(frozen=True, slots=True)
class FigureChange:
    label: str | None
    context: str
    old: str
    new: str

    def __str__(self) -> str:
        change = f"{self.old} → {self.new}"
        return f"{self.context}: {change}" if self.context else change


@dataclass(frozen=True, slots=True)
class SectionSummary:
    label: str | None
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    text: str  # e.g. "1 figure changed, 1 bullet added", or "moved"


@dataclass(frozen=True, slots=True)
class Summary:
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    words_added: int
    words_removed: int
    headline_changed: bool
    dek_changed: bool
    sections: tuple[SectionSummary, ...]
    line: str


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    headline: TextChange
    dek: TextChange
    publisher: TextChange
    category: TextChange
    ops: tuple[Op, ...]
    moved_origins: tuple[MovedOrigin, ...]
    figures: tuple[FigureChange, ...]
    summary: Summary
    coarse: bool
    notes: tuple[str, ...]
    engine_version: int = ENGINE_VERSION

    @property
    def identical(self) -> bool:
        return self.summary.line == NO_CHANGES


NO_CHANGES = "No changes"


class _Codec:
    """Gives each distinct token one code point, so a block becomes a str rapidfuzz eats whole.

    Most texts are words split by single spaces. For those, each whitespace-separated chunk
    ("said," or "harbour") is looked up whole: its code (one code point per token in it) and its
    pieces' lengths are cached, so encoding a text is one split and one join at C speed. Other
    texts (irregular spacing, a possible date such as "March 7", which spans a space) go through
    the token regex piece by piece. Both ways give exactly the pieces `_pieces` gives.
    """

    __slots__ = ("_by_piece", "_by_token", "_chunk_code", "_chunk_lens", "digits")

    def __init__(self) -> None:
        self.digits: set[str] = set()  # codes of tokens with a digit: figures are looked for there
        self._by_piece: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._chunk_code: dict[str, str] = {}
        # Piece lengths, one space after, as bytes: offsets are summed from one joined string.
        self._chunk_lens: dict[str, bytes] = {}

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
        return self.encode(_pieces(text)), False

    def offsets(self, text: str) -> list[int]:
        """Where each piece of a chunk-path text starts, and its end (the text's length)."""
        offsets = [0, *accumulate(b"".join(map(self._chunk_lens.__getitem__, text.split())))]
        offsets[-1] = len(text)  # the last chunk has no space after it
        return offsets

    def _encode_chunks(self, chunks: list[str]) -> str | None:
        known, by_token, chunk_lens = self._chunk_code, self._by_token, self._chunk_lens
        codes = []
        for chunk in chunks:
            code = known.get(chunk)
            if code is None:
                if len(chunk) > 254:  # piece lengths must fit a byte: the regex path takes it
                    return None
                # A word (or a number) alone is one token, as the regex finds it, unless it may
                # start a date ("March 7" spans a space: the regex must see the whole text).
                if chunk.isalpha() or chunk.isdecimal():
                    if not chunk.islower() and _MONTH_END.search(chunk):
                        return None
                    code = by_token.get(chunk)
                    if code is None:  # _token, inlined: most words of an edited block are new
                        point = len(by_token) + 0x100
                        code = chr(point if point < 0xD800 else point + 0x800)
                        by_token[chunk] = code
                        if not chunk.isalpha():
                            self.digits.add(code)
                    known[chunk] = code
                    chunk_lens[chunk] = _BYTE[len(chunk) + 1]
                elif _MONTH_END.search(chunk):
                    return None
                elif chunk[-1] in _MARKS and chunk[:-1].isalpha():  # "said,": a word, a mark
                    word = chunk[:-1]
                    code = known[chunk] = (by_token.get(word) or self._token(word)) + (
                        by_token.get(chunk[-1]) or self._token(chunk[-1])
                    )
                    chunk_lens[chunk] = bytes((len(word), 2))
                else:
                    tokens = _PIECE.findall(chunk)  # no whitespace in a chunk: pieces are tokens
                    code = known[chunk] = "".join([self._token(token) for token in tokens])
                    lens = [len(token) for token in tokens]
                    lens[-1] += 1
                    chunk_lens[chunk] = bytes(lens)
            codes.append(code)
        return "".join(codes)

    def encode(self, pieces: list[str]) -> str:
        try:
            return "".join(map(self._by_piece.__getitem__, pieces))  # all seen before
        except KeyError:  # some piece is new
            get = self._by_piece.get
            return "".join([get(piece) or self._add(piece) for piece in pieces])

    def _add(self, piece: str) -> str:
        code = self._by_piece[piece] = self._token(piece.strip())  # spacing never differs
        return code

    def _token(self, token: str) -> str:
        code = self._by_token.get(token)
        if code is None:
            point = len(self._by_token) + 0x100
            code = chr(point if point < 0xD800 else point + 0x800)  # skip surrogates
            self._by_token[token] = code
            if _DIGIT.search(token):
                self.digits.add(code)
        return code


class _Text:
    """A text's encoding, computed once and only for texts that need pairing or a word diff;
    where its pieces start is worked out only for texts that get a word diff."""

    __slots__ = ("_codec", "_offsets", "enc", "text")

    def __init__(self, text: str, codec: _Codec) -> None:
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
                self._offsets = [0, *accumulate(map(len, _pieces(self.text)))]
        return self._offsets

    def piece(self, k: int) -> str:
        offsets = self.offsets
        return self.text[offsets[k] : offsets[k + 1]]

    def pieces(self, start: int, stop: int) -> list[str]:
        return [self.piece(k) for k in range(max(start, 0), min(stop, len(self.enc)))]


class _Differ:
    """State for one diff: the codec, figures found, and notes about coarser matching."""

    def __init__(self, old: Document, new: Document) -> None:
        self.old = old.blocks
        self.new = new.blocks
        self.codec = _Codec()
        self.figures: list[FigureChange] = []
        self.figure_only: set[int] = set()  # new indexes whose only edits are figures
        self.notes: list[str] = []
        self.block_figures_from = 0  # figures before this index are the headline's and dek's
        self._old_texts: dict[int, _Text] = {}
        self._new_texts: dict[int, _Text] = {}

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def old_text(self, i: int) -> _Text:
        found = self._old_texts.get(i)
        if found is None:
            found = self._old_texts[i] = _Text(self.old[i].text, self.codec)
        return found

    def new_text(self, j: int) -> _Text:
        found = self._new_texts.get(j)
        if found is None:
            found = self._new_texts[j] = _Text(self.new[j].text, self.codec)
        return found

    def forget(self, i: int, j: int) -> None:
        """Drop a diffed pair's tokens: pairing is over, and big pages need the memory."""
        self._old_texts.pop(i, None)
        self._new_texts.pop(j, None)

    def pairable(self, text: _Text) -> bool:
        if len(text.enc) > MAX_BLOCK_TOKENS:
            self.note(f"Blocks over {MAX_BLOCK_TOKENS} words are compared whole, not word by word.")
            return False
        return True

    # --- words -------------------------------------------------------------------------------

    def word_ops(self, a: _Text, b: _Text, label: str | None) -> tuple[Sequence[WordOp], bool]:
        """Word ops turning a into b, and whether every edit is a changed figure."""
        if a.enc == b.enc:
            return ((WordOp("equal", a.text, b.text),) if a.text != b.text else ()), False
        if len(a.enc) > MAX_BLOCK_TOKENS or len(b.enc) > MAX_BLOCK_TOKENS:
            return (WordOp("replace", a.text, b.text),), False
        at = a.text
        ao, bo = a.offsets, b.offsets
        kinds = bytearray()
        old_cuts, new_cuts = array("I"), array("I")
        figure_only = True
        # Touching edits become one, and so does a lone stopword or mark kept between two
        # edits, so a rewritten phrase reads as one change instead of confetti.
        codes = Indel.opcodes(a.enc, b.enc).as_list()
        last = len(codes) - 1
        edit: list[int] | None = None  # [i1, i2, j1, j2] of the edit being gathered
        for k, (tag, i1, i2, j1, j2) in enumerate(codes):
            if tag != "equal" or (
                i2 - i1 == 1 and 0 < k < last and _minor(at[ao[i1] : ao[i2]])
            ):  # opcodes never has two equal runs side by side: an inner one sits between edits
                if edit is None:
                    edit = [i1, i2, j1, j2]
                else:
                    edit[1], edit[3] = i2, j2
                continue
            if edit is not None:
                figure_only &= self._edit(kinds, a, b, *edit, label)
                old_cuts.append(ao[edit[0]])
                new_cuts.append(bo[edit[2]])
                edit = None
            kinds.append(_EQUAL)
            old_cuts.append(ao[i1])
            new_cuts.append(bo[j1])
        if edit is not None:
            figure_only &= self._edit(kinds, a, b, *edit, label)
            old_cuts.append(ao[edit[0]])
            new_cuts.append(bo[edit[2]])
        old_cuts.append(len(at))
        new_cuts.append(len(b.text))
        return WordOps(at, b.text, bytes(kinds), old_cuts, new_cuts), figure_only

    def _edit(
        self,
        kinds: bytearray,
        a: _Text,
        b: _Text,
        i1: int,
        i2: int,
        j1: int,
        j2: int,
        label: str | None,
    ) -> bool:
        """Add one edit's kind; True if all it does is change figures (recorded as it goes)."""
        if i1 == i2:
            kinds.append(_INSERT)
            return False
        if j1 == j2:
            kinds.append(_DELETE)
            return False
        kinds.append(_REPLACE)
        digits = self.codec.digits
        if not digits.isdisjoint(a.enc[i1:i2]) and not digits.isdisjoint(b.enc[j1:j2]):
            return self._figures(a, i1, i2, b, j1, j2, label)
        return False

    def _figures(
        self, a: _Text, i1: int, i2: int, b: _Text, j1: int, j2: int, label: str | None
    ) -> bool:
        """Record numbers swapped one-for-one in a replaced run; True if that is all it was."""
        old = [token for token in map(str.strip, a.pieces(i1, i2)) if _FIGURE.match(token)]
        new_at = [k for k in range(j1, j2) if _FIGURE.match(b.piece(k).strip())]
        if not old or len(old) != len(new_at):
            return False
        for token, k in zip(old, new_at, strict=True):
            self.figures.append(FigureChange(label, _context(b, k), token, b.piece(k).strip()))
        return len(old) == i2 - i1 and len(new_at) == j2 - j1

    def text_change(self, old: str | None, new: str | None, label: str | None) -> TextChange:
        if old == new:
            return TextChange("equal", old, new)
        if old is None or new is None:
            kind: TextKind = "added" if old is None else "removed"
            return TextChange(kind, old, new, (WordOp(kind_word(kind), old or "", new or ""),))
        words, _ = self.word_ops(_Text(old, self.codec), _Text(new, self.codec), label)
        edited = any(word.kind != "equal" for word in words)
        return TextChange("changed" if edited else "equal", old, new, tuple(words))


def kind_word(kind: TextKind) -> WordKind:
    return "insert" if kind == "added" else "delete"


def _context(text: _Text, at: int) -> str:
    """The noun-ish words naming a figure: up to two right after it, else the nearest before."""
    after = []
    for piece in text.pieces(at + 1, at + 3):
        word = piece.strip()
        if not _WORDLIKE.fullmatch(word) or word.lower() in _STOPWORDS:
            break
        after.append(word)
    if after:
        return " ".join(after)
    for piece in reversed(text.pieces(at - 4, at)):
        word = piece.strip()
        if _WORDLIKE.fullmatch(word) and word.lower() not in _STOPWORDS:
            return word
    return ""


def _minor(piece: str) -> bool:
    token = piece.strip()
    return token.lower() in _STOPWORDS or (len(token) == 1 and not token.isalnum())


# --- sections and block alignment -----------------------------------------------------------


def _columns(blocks: tuple[Block, ...]) -> tuple[tuple, tuple, tuple]:
    """Kinds, labels and texts of all blocks, in one pass over them."""
    return tuple(zip(*blocks, strict=True)) if blocks else ((), (), ())  # type: ignore[return-value]


def _sections(labels: Sequence[str | None]) -> tuple[list[int], list[str | None]]:
    """Section occurrence of each block, and each occurrence's label, from the blocks' labels
    (at C speed: a page has thousands of blocks)."""
    if not labels:
        return [], []
    starts = list(map(ne, labels[1:], labels))  # True where a new section starts
    of = [0, *accumulate(starts)]
    return of, [labels[0], *compress(labels[1:], starts)]


def _pair_sections(
    votes: dict[tuple[int, int], int], old_labels: list[str | None], new_labels: list[str | None]
) -> dict[int, int]:
    """New section occurrence -> old one: same label and most shared blocks first, then the
    rest of each label in order, then renamed sections that kept their blocks."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    if len(set(map(_first, votes))) == len(votes) == len(set(map(_second, votes))):
        ranked = list(votes)  # no section votes for two, none is voted for twice: any order
    else:  # _vote_rank's order, ties kept in vote order: one int per vote sorts fastest
        ranked = list(votes)
        top, span, many = max(votes.values()), len(new_labels) + len(old_labels), len(ranked)
        keys = [
            ((top - count) * span + abs(n - o)) * many + k
            for k, ((n, o), count) in enumerate(votes.items())
        ]
        ranked = [ranked[key % many] for key in sorted(keys)]
    for n, o in ranked:
        if new_labels[n] == old_labels[o] and n not in pairs and o not in taken:
            pairs[n] = o
            taken.add(o)
    if len(pairs) == len(new_labels) or len(taken) == len(old_labels):
        return pairs
    free_old: dict[str | None, list[int]] = {}
    for o, label in enumerate(old_labels):
        if o not in taken:
            free_old.setdefault(label, []).append(o)
    for n, label in enumerate(new_labels):
        queue = free_old.get(label)
        if n not in pairs and queue:
            pairs[n] = queue.pop(0)
            taken.add(pairs[n])
    for n, o in ranked:
        if n not in pairs and o not in taken:
            pairs[n] = o
            taken.add(o)
    return pairs


_first = itemgetter(0)
_second = itemgetter(1)


def _vote_rank(item: tuple[tuple[int, int], int]) -> tuple[int, int]:
    """Most shared blocks first; among equals, the pair whose positions differ least."""
    (n, o), count = item
    return -count, abs(n - o)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of (new, old) pairs whose old indexes rise with the new ones."""
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for k, (_, i) in enumerate(pairs):
        pos = len(tails) if not tails or i > tails[-1] else bisect_left(tails, i)
        back.append(tail_at[pos - 1] if pos else -1)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos] = i
            tail_at[pos] = k
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    return chain


_Sections = Sequence[int] | dict[int, object]  # a block's section, by block index


class _Layout(NamedTuple):
    """Where blocks stand before pairing: the spans of blocks kept in place, the section of each
    old block and the paired old section of each new block (`home`), and the blocks' labels
    (None: the equal spans hold identical blocks). The fast path tells sections apart only for
    the blocks off the equal spans, the only ones asked about."""

    spans: list[list]
    old_sec: _Sections
    home: _Sections
    labels: tuple[Sequence[str | None], Sequence[str | None]] | None


def _align(d: _Differ) -> tuple[list[Op], list[MovedOrigin]]:
    old, new = d.old, d.new
    spans, old_sec, home, labels = _fast_layout(d) or _full_layout(d)
    gaps = [span for span in spans if span[0] != "equal"]
    match = [-1] * len(new)  # new index -> old index
    used = bytearray(len(old))
    place: dict[int, int] = {}  # new index -> old index, for blocks changed in place
    moved: dict[int, int] = {}

    # 3. blocks off the subsequence whose exact text is elsewhere: moved
    lone_old = [i for _, i1, i2, _, _ in gaps for i in range(i1, i2)]
    lone_new = [j for _, _, _, j1, j2 in gaps for j in range(j1, j2)]
    if lone_old and lone_new:
        spare: dict[str, list[int]] = {}
        for i in lone_old:
            spare.setdefault(old[i].text, []).append(i)
        for j in lone_new:
            free = spare.get(new[j].text)
            if free:
                kind = new[j].kind
                same = [i for i in free if old[i].kind == kind]
                if same:  # prefer the copy in the block's own section
                    i = next((i for i in same if old_sec[i] == home[j]), same[0])
                    free.remove(i)
                    moved[j] = match[j] = i
                    used[i] = 1

    # 4. leftovers between the same two in-place blocks, in paired sections: changed in place
    for _, i1, i2, j1, j2 in gaps:
        olds = [i for i in range(i1, i2) if not used[i]]
        news = [j for j in range(j1, j2) if match[j] < 0]
        if olds and news:
            for i, j in _pair_gap(d, olds, news, old_sec, home):
                place[j] = match[j] = i
                used[i] = 1

    # 5. leftovers anywhere: moved and edited
    lone_old = [i for i in lone_old if not used[i]]
    lone_new = [j for j in lone_new if match[j] < 0]
    if lone_old and lone_new:
        for i, j in _pair_across(d, lone_old, lone_new):
            moved[j] = match[j] = i
            used[i] = 1

    return _ops_in_reading_order(d, spans, labels, match, place, moved, used)


def _full_layout(d: _Differ) -> _Layout:
    old, new = d.old, d.new
    old_kinds, old_block_labels, old_texts = _columns(old)
    new_kinds, new_block_labels, new_texts = _columns(new)
    old_sec, old_labels = _sections(old_block_labels)
    new_sec, new_labels = _sections(new_block_labels)

    # 1. exact matches by hash vote on which sections correspond (repeated texts do not vote)
    index = dict(zip(old_texts, range(len(old)), strict=True))
    found = list(map(index.get, new_texts, repeat(-1)))
    if len(index) < len(old):
        repeated = {text for text, n in Counter(old_texts).items() if n > 1}
        found = [-1 if text in repeated else i for text, i in zip(new_texts, found, strict=True)]
    sec_of = [*old_sec, -1]  # found == -1 votes for section -1, dropped below
    found_sec = list(map(sec_of.__getitem__, found))
    counted = Counter(zip(new_sec, found_sec, strict=True))
    votes = dict(compress(counted.items(), map(ge, map(_second, counted), repeat(0))))
    sec_pair = _pair_sections(votes, old_labels, new_labels)
    home_of = [sec_pair.get(s, -1) for s in range(len(new_labels))]
    home = list(map(home_of.__getitem__, new_sec))  # the old section each new block belongs to

    # 2. in place: the longest common subsequence of blocks, same kind and text, each in its
    # paired section; equal stretches of it become single runs
    if len(index) == len(old):  # no text repeats: key a block by its old index (or -1)
        kind_of = [*old_kinds, None]
        at = [  # one comprehension beats a chain of C maps here (measured)
            i if s == h and kind_of[i] == k else -1
            for i, s, h, k in zip(found, found_sec, home, new_kinds, strict=True)
        ]
        spans = _common(range(len(old)), at, unique=True)
    else:
        spans = _common(
            list(zip(old_sec, old_kinds, old_texts, strict=True)),
            list(zip(home, new_kinds, new_texts, strict=True)),
            unique=False,
        )
    return _Layout(spans, old_sec, home, (old_block_labels, new_block_labels))


def _fast_layout(d: _Differ) -> _Layout | None:
    """_full_layout's result for the usual revision, without its passes over every block.

    It holds when no text repeats, the sections (their labels, in order) are the same on both
    pages, and each exact match away from the blocks that stayed is outvoted by those: sections
    then pair one for one, in order, and the blocks kept in place are the runs of identical
    blocks that `_runs` finds. Only the blocks between those runs (few, in the usual revision)
    are looked at one by one. None when any of this does not hold: the full path decides."""
    old, new = d.old, d.new
    n, m = len(old), len(new)
    index = dict(zip(map(_text_of, old), range(n), strict=True))
    if not n or not m or len(index) < n:
        return None
    kept = _runs(old, new, index)
    spans: list[list] = []
    # Pairing compares the sections of blocks of one gap only (no text repeats), so a section
    # is told as (gap, count within it), and as 0 in a gap that lies within one section.
    old_sec: defaultdict[int, object] = defaultdict(int)
    home: defaultdict[int, object] = defaultdict(int)
    i0 = j0 = 0
    before: object = _START
    for j, stop, i in [*kept, (m, m, n)]:  # the last one closes the page
        if i0 < i or j0 < j:
            after = new[j].label if j < m else _END
            if len({before, after, *map(_label_of, old[i0:i]), *map(_label_of, new[j0:j])}) > 1:
                olds, old_labels = _gap_sections(old, i0, i, before, after)
                news, new_labels = _gap_sections(new, j0, j, before, after)
                if old_labels != new_labels:
                    return None  # sections added, dropped or renamed here
                old_sec.update(zip(range(i0, i), zip(repeat(len(spans)), olds), strict=True))
                home.update(zip(range(j0, j), zip(repeat(len(spans)), news), strict=True))
            spans.append(["gap", i0, i, j0, j])
        if j < m:
            i0, j0 = i + stop - j, stop
            spans.append(["equal", i, i0, j, stop])
            before = new[stop - 1].label
    lone = [j for span in spans if span[0] == "gap" for j in range(span[3], span[4])]
    if not _outvoted(old, new, index, kept, lone):
        return None
    return _Layout(spans, old_sec, home, None)


def _runs(
    old: tuple[Block, ...], new: tuple[Block, ...], index: dict[str, int]
) -> list[tuple[int, int, int]]:
    """Runs of identical blocks, rising on both pages, as (new start, new stop, old start). The
    pages are read side by side, compared at C speed. Where they differ, the old blocks up to
    the new block's copy are taken as gone if that copy lies further on and the next new block
    does not match the old one; else the new block is taken as added, edited or moved in."""
    n, m = len(old), len(new)
    runs: list[tuple[int, int, int]] = []
    olds, news = iter(old), iter(new)
    i = j = 0
    while True:
        olds.__setstate__(i)  # tuple iterators: moved in O(1)
        news.__setstate__(j)
        run = next(compress(count(), map(ne, olds, news)), min(n - i, m - j))
        if run:
            runs.append((j, j + run, i))
            i += run
            j += run
        if i == n or j == m:
            return runs
        block = new[j]
        at = index.get(block.text, -1)
        if at > i and block == old[at] and (j + 1 == m or new[j + 1] != old[i]):
            i = at
        else:
            j += 1


_START, _END = object(), object()  # the labels before and after a page: none is either


def _gap_sections(
    blocks: tuple[Block, ...], start: int, stop: int, before: object, after: object
) -> tuple[list[int], list[object]]:
    """Each block's section, counted from the one of `before` (the label of the block before
    the gap), and the labels where sections start, `after` (the label after the gap) included.
    """
    sections: list[int] = []
    labels = [before]
    for block in blocks[start:stop]:
        if block.label != labels[-1]:
            labels.append(block.label)
        sections.append(len(labels))
    if after != labels[-1]:
        labels.append(after)
    return sections, labels


def _outvoted(
    old: tuple[Block, ...],
    new: tuple[Block, ...],
    index: dict[str, int],
    kept: list[tuple[int, int, int]],
    lone: list[int],
) -> bool:
    """Whether the exact matches off the kept runs leave sections paired one for one, in order,
    as _pair_sections pairs them: a match under another label never pairs its sections; one
    under the same label must not outvote the kept blocks of either section (votes for a
    section itself win ties). A match in its own section, of its own kind, would stay in place
    on the full path: not a case for the fast path."""
    kept_at, kept_to, kept_from = zip(*kept, strict=True) if kept else ((), (), ())
    kept_old_to = [i + stop - j for j, stop, i in kept]
    votes: Counter[tuple[int, int]] = Counter()
    floors: dict[tuple[int, int], int] = {}
    for j in lone:
        i = index.get(new[j].text, -1)
        if i < 0 or new[j].label != old[i].label:
            continue
        here, there = _extent(new, j), _extent(old, i)
        if here is None or there is None:
            return False
        k = bisect_right(kept_to, here[0])  # the first kept run in this section, if any
        if k == len(kept) or kept_at[k] >= here[1]:
            return False  # no kept block votes for this section
        mapped = kept_from[k] + max(here[0], kept_at[k]) - kept_at[k]
        if there[0] <= mapped < there[1]:  # its own section
            if new[j].kind == old[i].kind:
                return False
            continue
        votes[here[0], there[0]] += 1
        floors[here[0], there[0]] = min(
            _overlap(kept_at, kept_to, *here), _overlap(kept_from, kept_old_to, *there)
        )
    return all(n <= floors[key] for key, n in votes.items())


# Longest section the fast path walks to find a moved block's section; past it the full path's
# passes over every block cost less than walking it for each block moved within its label.
_MAX_SECTION_WALK = 64


def _extent(blocks: tuple[Block, ...], k: int) -> tuple[int, int] | None:
    """Where the section of block k starts and stops; None past _MAX_SECTION_WALK blocks."""
    label = blocks[k].label
    start = k
    while start and blocks[start - 1].label == label:
        start -= 1
        if k - start >= _MAX_SECTION_WALK:
            return None
    stop = k + 1
    while stop < len(blocks) and blocks[stop].label == label:
        stop += 1
        if stop - start > _MAX_SECTION_WALK:
            return None
    return start, stop


def _overlap(starts: Sequence[int], stops: Sequence[int], lo: int, hi: int) -> int:
    """Blocks of the rising runs starts[k]..stops[k] that lie in lo..hi."""
    total = 0
    for k in range(bisect_right(stops, lo), len(starts)):
        if starts[k] >= hi:
            break
        total += min(hi, stops[k]) - max(lo, starts[k])
    return total


def _common(old_keys: Sequence, new_keys: Sequence, *, unique: bool) -> list[list]:
    """Opcode-like spans [tag, i1, i2, j1, j2] over blocks: "equal" for the stretches of a
    longest common subsequence of keys, "gap" for what lies between them. With `unique`, old
    keys are 0..n-1 and each new key is an old index or -1."""
    n = len(old_keys)
    if unique:
        rising = _rising_spans(new_keys, n)  # type: ignore[arg-type]
        if rising is not None:
            return rising
    if n * len(new_keys) <= MAX_BLOCK_TABLE and n < _MAX_CODES:
        if unique:
            a = _codes(n)
            b = "".join(map(f"{a}\0".__getitem__, new_keys))  # -1: "\0", in no old block
        else:
            codes = dict(zip(old_keys, _code_points(n), strict=True))  # repeated key: one code
            a = "".join(map(codes.__getitem__, old_keys))
            b = "".join(map(codes.get, new_keys, repeat("\0")))
        raw = Indel.opcodes(a, b).as_list()
    else:
        raw = _chain_spans(old_keys, new_keys)
    spans: list[list] = []
    for tag, i1, i2, j1, j2 in raw:
        if tag != "equal":
            tag = "gap"
        if spans and spans[-1][0] == tag and spans[-1][2] == i1 and spans[-1][4] == j1:
            spans[-1][2], spans[-1][4] = i2, j2
        elif i1 < i2 or j1 < j2:
            spans.append([tag, i1, i2, j1, j2])
    return spans


def _rising_spans(at: list[int], n: int) -> list[list] | None:
    """_common's spans for unique keys whose old indexes only rise along `at` (the usual case:
    blocks moved to another section are keyed -1). Every match then lies on the one longest
    common subsequence, so none is computed: equal stretches are read off where `at` steps by
    one. None when some index does not rise."""
    m = len(at)
    if not m:
        return [["gap", 0, n, 0, 0]] if n else []
    steps = map(ne, at[1:], map(add, at, repeat(1)))
    starts = [0, *compress(range(1, m), steps)]  # where at[j] is not at[j - 1] + 1
    spans: list[list] = []
    i0 = j0 = 0  # where the last equal stretch ended
    for start, stop in zip(starts, [*starts[1:], m], strict=True):
        i = at[start]
        if i < 0:  # no match; the stretch goes on only if old block 0 comes next
            start += 1
            if start == stop:
                continue
            i = 0
        if i < i0:
            return None
        if i0 < i or j0 < start:
            spans.append(["gap", i0, i, j0, start])
        i0, j0 = i + stop - start, stop
        spans.append(["equal", i, i0, start, stop])
    if i0 < n or j0 < m:
        spans.append(["gap", i0, n, j0, m])
    return spans


def _chain_spans(
    old_keys: list[tuple], new_keys: list[tuple]
) -> list[tuple[str, int, int, int, int]]:
    """For pages too big for the LCS table: each block takes the first free old block with its
    key, and the longest in-order chain of those matches stays in place (the engine's way
    before the LCS; the same result whenever no key repeats)."""
    free: dict[tuple, list[int]] = {}
    for i in range(len(old_keys) - 1, -1, -1):
        free.setdefault(old_keys[i], []).append(i)  # last first: pop() takes the first
    pairs = []
    for j, key in enumerate(new_keys):
        queue = free.get(key)
        if queue:
            pairs.append((j, queue.pop()))
    spans: list[tuple[str, int, int, int, int]] = []
    i0 = j0 = 0
    for j, i in _longest_chain(pairs):
        if i0 < i or j0 < j:
            spans.append(("gap", i0, i, j0, j))
        spans.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    spans.append(("gap", i0, len(old_keys), j0, len(new_keys)))
    return spans


_CODES = ""  # _codes' cache: the first code points, shared by all diffs


def _codes(n: int) -> str:
    """The first n code points of _code_points as one string."""
    global _CODES
    if n > len(_CODES):
        codes = "".join(_code_points(max(n, 1024)))
        if n > 1 << 16:
            return codes
        _CODES = codes
    return _CODES[:n]


def _code_points(n: int) -> Iterator[str]:
    """n distinct one-character codes, none below U+0100 and no surrogates."""
    if n <= 0xD800 - 0x100:
        return map(chr, range(0x100, 0x100 + n))
    return map(chr, chain(range(0x100, 0xD800), range(0xE000, 0xE000 + n - (0xD800 - 0x100))))


def _similar(d: _Differ, query: _Text, choices: dict[int, str]) -> int | None:
    if not choices or not d.pairable(query):
        return None
    best = process.extractOne(
        query.enc, choices, scorer=LCSseq.normalized_similarity, score_cutoff=SIMILARITY_THRESHOLD
    )
    return None if best is None else best[2]


def _pair_gap(
    d: _Differ, olds: list[int], news: list[int], old_sec: _Sections, home: _Sections
) -> list[tuple[int, int]]:
    """Pair leftover blocks of one stretch in order, each with its most similar old block."""
    if len(olds) * len(news) > MAX_GAP_COMPARISONS:
        d.note("Too many edited blocks in one stretch: blocks were paired by position.")
        return _pair_by_position(d, olds, news, old_sec, home)
    pairs: list[tuple[int, int]] = []
    start = 0
    for j in news:
        choices = {
            k: d.old_text(olds[k]).enc
            for k in range(start, len(olds))
            if old_sec[olds[k]] == home[j] and d.pairable(d.old_text(olds[k]))
        }
        k = _similar(d, d.new_text(j), choices)
        if k is not None:
            pairs.append((olds[k], j))
            start = k + 1
    return pairs


def _pair_by_position(
    d: _Differ, olds: list[int], news: list[int], old_sec: _Sections, home: _Sections
) -> list[tuple[int, int]]:
    by_section: dict[object, list[int]] = {}
    for i in olds:
        by_section.setdefault(old_sec[i], []).append(i)
    pairs: list[tuple[int, int]] = []
    for j in news:
        queue = by_section.get(home[j])
        if queue:
            i = queue.pop(0)
            a, b = d.old_text(i), d.new_text(j)
            if d.pairable(a) and d.pairable(b) and _score(a.enc, b.enc) >= SIMILARITY_THRESHOLD:
                pairs.append((i, j))
    return pairs


def _score(a: str, b: str) -> float:
    return LCSseq.normalized_similarity(a, b)


def _pair_across(d: _Differ, olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    if len(olds) * len(news) > MAX_CROSS_COMPARISONS:
        d.note("Too many unmatched blocks to look for edited blocks moved across sections.")
        return []
    choices = {i: d.old_text(i).enc for i in olds if d.pairable(d.old_text(i))}
    pairs: list[tuple[int, int]] = []
    for j in news:
        i = _similar(d, d.new_text(j), choices)
        if i is not None:
            pairs.append((i, j))
            del choices[i]
    return pairs


def _ops_in_reading_order(
    d: _Differ,
    spans: list[list],
    labels: tuple[Sequence[str | None], Sequence[str | None]] | None,
    match: list[int],
    place: dict[int, int],
    moved: dict[int, int],
    used: bytearray,
) -> tuple[list[Op], list[MovedOrigin]]:
    """New blocks in order; each old block that is gone or moved goes where it stood, i.e.
    before the first new block whose in-place partner comes after it. Equal stretches are one
    run each; only the gaps between them are walked block by block."""
    old, new = d.old, d.new
    where = {i: j for j, i in moved.items()}  # old index -> new index, for moved blocks
    ops: list[Op] = []
    origins: list[tuple[int, int]] = []  # (ops length, new index of the moved block)
    op_at: dict[int, int] = {}

    def flush(start: int, stop: int) -> None:
        for i in range(start, stop):
            if not used[i]:
                ops.append(BlockOp("removed", i, None, old[i], None))
            elif i in where:
                origins.append((len(ops), where[i]))

    for tag, i1, i2, j1, j2 in spans:
        if tag == "equal":
            same = labels is None or labels[0][i1:i2] == labels[1][j1:j2]
            _equal_ops(ops, d, i1, i2, j1, j2, same)
            continue
        anchors = [(j, place[j]) for j in range(j1, j2) if j in place]  # changed in place
        k = 0
        cursor = i1
        for j in range(j1, j2):
            block = new[j]
            i = match[j]
            if j in place:
                if cursor < i:
                    flush(cursor, i)
                cursor = max(cursor, i + 1)
                k += 1
                before = old[i]
                if before.text == block.text and before.kind == block.kind:
                    ops.append(BlockOp("equal", i, j, before, block))
                    continue
                words = _block_words(d, i, j)
                edited = before.kind != block.kind or any(w.kind != "equal" for w in words)
                ops.append(BlockOp("changed" if edited else "equal", i, j, before, block, words))
                continue
            stop = anchors[k][1] if k < len(anchors) else i2
            if cursor < stop:
                flush(cursor, stop)
                cursor = stop
            if i < 0:
                ops.append(BlockOp("added", None, j, None, block))
            else:
                op_at[j] = len(ops)
                words = _block_words(d, i, j) if old[i].text != block.text else ()
                ops.append(BlockOp("moved", i, j, old[i], block, words))
        if cursor < i2:
            flush(cursor, i2)
    return ops, [MovedOrigin(before, op_at[j]) for before, j in origins]


def _equal_ops(
    ops: list[Op], d: _Differ, i1: int, i2: int, j1: int, j2: int, same_labels: bool
) -> None:
    """One run for an equal stretch (same kind and text by construction); a block whose section
    was renamed (new label) stays a single equal op carrying both blocks."""
    blocks = d.new[j1:j2]
    if same_labels:
        ops.append(EqualRun("equal", i1, j1, i2 - i1, blocks))
        return
    old = d.old
    start = 0
    for k in range(i2 - i1):
        if old[i1 + k] != blocks[k]:
            if start < k:
                ops.append(EqualRun("equal", i1 + start, j1 + start, k - start, blocks[start:k]))
            ops.append(BlockOp("equal", i1 + k, j1 + k, old[i1 + k], blocks[k]))
            start = k + 1
    if start < i2 - i1:
        ops.append(EqualRun("equal", i1 + start, j1 + start, i2 - i1 - start, blocks[start:]))


def _block_words(d: _Differ, i: int, j: int) -> Sequence[WordOp]:
    found, figure_only = d.word_ops(d.old_text(i), d.new_text(j), d.new[j].label)
    if figure_only:
        d.figure_only.add(j)
    d.forget(i, j)
    return found


# --- summary --------------------------------------------------------------------------------

_PLURAL = {"paragraph": "paragraphs", "bullet": "bullets", "caption": "captions"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _PLURAL.get(noun, noun + 's')}"


def _words(text: str) -> int:
    return len(text.split())


def _edited_words(words: Sequence[WordOp]) -> tuple[int, int]:
    """Words removed and added by the edits among word ops."""
    if isinstance(words, WordOps):
        return words.edited_words()
    removed = added = 0
    for kind, old, new in words:
        if kind != "equal":
            removed += _words(old)
            added += _words(new)
    return removed, added


def _summarise(d: _Differ, ops: list[Op], texts: dict[str, TextChange]) -> Summary:
    totals = {"changed": 0, "added": 0, "removed": 0, "moved": 0}
    words_added = words_removed = 0
    per_label: dict[str | None, dict[str, dict[str, int]]] = {}
    settled: set[str | None] = set()  # labels with blocks that kept their place
    changes: list[BlockOp] = []
    for op in ops:
        if op.kind != "equal":
            changes.append(op)  # type: ignore[arg-type]
        elif type(op) is EqualRun:
            settled.update(map(_label_of, op.blocks))
        else:
            settled.add(op.block.label)
    for op in changes:
        block = op.block
        if op.kind == "changed":
            settled.add(block.label)
        totals[op.kind] += 1
        if op.kind == "added":
            words_added += _words(block.text)
        elif op.kind == "removed":
            words_removed += _words(block.text)
        if op.kind == "changed" and op.new_index in d.figure_only:
            continue  # told as changed figures
        kinds = per_label.setdefault(block.label, {}).setdefault(op.kind, {})
        kinds[block.kind] = kinds.get(block.kind, 0) + 1
    for words in [op.words for op in changes] + [change.words for change in texts.values()]:
        removed, added = _edited_words(words)
        words_removed += removed
        words_added += added
    figures_by_label: dict[str | None, int] = {}
    for figure in d.figures[d.block_figures_from :]:
        figures_by_label[figure.label] = figures_by_label.get(figure.label, 0) + 1

    wanted = set(per_label) | set(figures_by_label)
    labels = dict.fromkeys(label for op in changes if (label := op.block.label) in wanted)
    sections = [
        _section_summary(
            label, per_label.get(label, {}), figures_by_label.get(label, 0), label not in settled
        )
        for label in labels
    ]
    parts = [f"{name.capitalize()} changed" for name, change in texts.items() if change.changed]
    parts += [f"{s.label}: {s.text}" if s.label else s.text for s in sections]
    return Summary(
        changed=totals["changed"],
        added=totals["added"],
        removed=totals["removed"],
        moved=totals["moved"],
        figures=len(d.figures),
        words_added=words_added,
        words_removed=words_removed,
        headline_changed=texts["headline"].changed,
        dek_changed=texts["dek"].changed,
        sections=tuple(sections),
        line=" · ".join(parts) or NO_CHANGES,
    )


def _section_summary(
    label: str | None, kinds: dict[str, dict[str, int]], figures: int, uprooted: bool
) -> SectionSummary:
    """One section's changes in words; "moved" alone when no block of it kept its place."""
    counts = {kind: sum(by_kind.values()) for kind, by_kind in kinds.items()}
    whole_move = uprooted and "moved" in counts
    items = ["moved"] if whole_move else []
    if figures:
        items.append(_count(figures, "figure") + " changed")
    for change in ("changed", "added", "removed", "moved"):
        if change == "moved" and whole_move:
            break
        for kind, n in kinds.get(change, {}).items():
            items.append(f"{_count(n, kind)} {change}")
    return SectionSummary(
        label=label,
        changed=counts.get("changed", 0),
        added=counts.get("added", 0),
        removed=counts.get("removed", 0),
        moved=counts.get("moved", 0),
        figures=figures,
        text=", ".join(items),
    )


# --- public API -----------------------------------------------------------------------------


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """Everything that changed from old to new, blocks in new reading order."""
    d = _Differ(old, new)
    texts = {
        "headline": d.text_change(old.headline, new.headline, "Headline"),
        "dek": d.text_change(old.dek, new.dek, "Dek"),
        "publisher": _whole_change(old.publisher, new.publisher),
        "category": _whole_change(old.category, new.category),
    }
    d.block_figures_from = len(d.figures)
    ops, origins = _align(d)
    summary = _summarise(d, ops, texts)
    return DocumentDiff(
        headline=texts["headline"],
        dek=texts["dek"],
        publisher=texts["publisher"],
        category=texts["category"],
        ops=tuple(ops),
        moved_origins=tuple(origins),
        figures=tuple(d.figures),
        summary=summary,
        coarse=bool(d.notes),
        notes=tuple(d.notes),
    )


def _whole_change(old: str | None, new: str | None) -> TextChange:
    if old == new:
        return TextChange("equal", old, new)
    kind: TextKind = "added" if old is None else "removed" if new is None else "changed"
    word: WordKind = "insert" if old is None else "delete" if new is None else "replace"
    return TextChange(kind, old, new, (WordOp(word, old or "", new or ""),))


def apply_diff(old: Document, diff: DocumentDiff) -> Document:
    """Rebuild the new document from the old one and the diff's own content.

    Kept blocks are copied from `old` (by old_index); edited ones are rebuilt from their word
    ops, whose old sides must spell out the old text exactly; added ones come from the op.
    Raises ValueError if the diff does not fit `old`.
    """
    blocks: list[Block] = []
    for op in diff.ops:
        if type(op) is EqualRun:
            blocks.extend(old.blocks[op.old_index : op.old_index + op.length])
            continue
        if op.kind == "removed":
            continue
        assert op.new_block is not None
        if op.old_index is None:
            blocks.append(op.new_block)
            continue
        text = _rebuild(old.blocks[op.old_index].text, op.words)
        blocks.append(Block(kind=op.new_block.kind, label=op.new_block.label, text=text))
    return Document(
        headline=_apply_text(old.headline, diff.headline),
        dek=_apply_text(old.dek, diff.dek),
        publisher=_apply_text(old.publisher, diff.publisher),
        category=_apply_text(old.category, diff.category),
        blocks=tuple(blocks),
    )


def _rebuild(old_text: str, words: Sequence[WordOp]) -> str:
    if not words:
        return old_text
    if "".join(word.old for word in words) != old_text:
        raise ValueError("diff does not fit this document")
    return "".join(word.new for word in words)


def _apply_text(old: str | None, change: TextChange) -> str | None:
    if change.old != old:
        raise ValueError("diff does not fit this document")
    if change.new is None:
        return None
    return _rebuild(old or "", change.words)
