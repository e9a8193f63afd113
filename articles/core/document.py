"""The structured article that the parser produces and the diff engine consumes."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal, NamedTuple

BlockKind = Literal["paragraph", "bullet", "caption", "credit", "note"]
BLOCK_KINDS: tuple[BlockKind, ...] = ("paragraph", "bullet", "caption", "credit", "note")


class Block(NamedTuple):
    """One block of an article. A named tuple: a stored 600 KB page has thousands of them, and
    building tuples is several times cheaper than building frozen dataclasses."""

    kind: BlockKind
    label: str | None  # the section label the block sits under; None before the first label
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "text": self.text}


class Link(NamedTuple):
    """A link in the body: characters start..end of block number `block` point to href.

    Kept beside the blocks, not in them: a block is the (kind, label, text) the diff engine
    compares, and a link is shown on the reading page, not diffed."""

    block: int
    start: int
    end: int
    href: str  # http or https only (the parser keeps no other scheme)


@dataclass(frozen=True, slots=True)
class Document:
    headline: str | None
    dek: str | None
    publisher: str | None = None
    category: str | None = None
    blocks: tuple[Block, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # Not compared, like warnings: equality is what the diff engine sees (the text).
    links: tuple[Link, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape: exactly these keys, in this order."""
        return {
            "headline": self.headline,
            "dek": self.dek,
            "publisher": self.publisher,
            "category": self.category,
            "blocks": [block.to_dict() for block in self.blocks],
            "warnings": list(self.warnings),
        }

    def to_stored(self) -> dict[str, Any]:
        """The shape kept in the database: to_dict's, with each block a [kind, label, text]
        array (a 600 KB page, 3,774 blocks, loads in half the time of one object per block),
        and the links as [block, start, end, href] arrays."""
        return {
            **self.to_dict(),
            "blocks": [list(block) for block in self.blocks],
            "links": [list(link) for link in self.links],
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Document:
        # Lenient about missing keys: `reparse` must be able to read what it comes to replace.
        return cls(
            headline=data.get("headline"),
            dek=data.get("dek"),
            publisher=data.get("publisher"),
            category=data.get("category"),
            # tuple.__new__ at C speed: Block(...) is a Python-level call per block.
            blocks=tuple(map(tuple.__new__, repeat(Block), data.get("blocks", ()))),
            warnings=tuple(data.get("warnings", ())),
            links=tuple(map(tuple.__new__, repeat(Link), data.get("links", ()))),
        )

    def word_count(self) -> int:
        parts = [self.headline or "", self.dek or ""] + [b.text for b in self.blocks]
        return sum(len(part.split()) for part in parts)


class ParseError(ValueError):
    """The one error the parser raises: a clear, one-line reason for bad input."""


@dataclass(frozen=True, slots=True)
class Part:
    """A run of blocks rendered together: consecutive bullets form one list."""

    kind: BlockKind
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Section:
    label: str | None
    parts: tuple[Part, ...]


class LinkedText(str):
    """A block's text with its links, for reading pages: equal to the plain text, and shown as
    HTML through the `__html__` protocol that Django's autoescaping (and markupsafe) honour.
    Every piece of text is escaped; only http(s) targets become links."""

    links: tuple[Link, ...]

    def __new__(cls, text: str, links: Iterable[Link]) -> LinkedText:
        linked = super().__new__(cls, text)
        linked.links = tuple(sorted(links, key=lambda link: link.start))
        return linked

    def __html__(self) -> str:
        pieces: list[str] = []
        done = 0
        for link in self.links:
            if link.start < done or not link.href.startswith(("http://", "https://")):
                continue  # overlapping or unsafe: its text stays plain
            pieces.append(html.escape(self[done : link.start]))
            pieces.append(
                f'<a href="{html.escape(link.href)}" rel="nofollow noopener">'
                f"{html.escape(self[link.start : link.end])}</a>"
            )
            done = link.end
        pieces.append(html.escape(self[done:]))
        return "".join(pieces)


def sections(blocks: tuple[Block, ...], links: tuple[Link, ...] = ()) -> list[Section]:
    """Group blocks for reading: a new section wherever the label changes. A block with links
    gets its text as a LinkedText, so that the page shows them."""
    if links:
        by_block: dict[int, list[Link]] = {}
        for link in links:
            by_block.setdefault(link.block, []).append(link)
        blocks = tuple(
            block._replace(text=LinkedText(block.text, by_block[index]))
            if index in by_block
            else block
            for index, block in enumerate(blocks)
        )
    grouped: list[Section] = []
    parts: list[Part] = []
    label: str | None = None
    for index, block in enumerate(blocks):
        if index and block.label != label:
            grouped.append(Section(label, tuple(parts)))
            parts = []
        label = block.label
        if parts and block.kind == "bullet" and parts[-1].kind == "bullet":
            parts[-1] = Part("bullet", (*parts[-1].blocks, block))
        else:
            parts.append(Part(block.kind, (block,)))
    if parts:
        grouped.append(Section(label, tuple(parts)))
    return grouped
