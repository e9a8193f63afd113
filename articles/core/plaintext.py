"""A parsed Document written back as plain text, for an editor to edit in place.

The rule: the text is what a desk would paste, and parsing it gives the same Document (its
headline, dek, publisher, category and blocks): the publisher and the section above the
headline, one line each; the headline; the dek; then every block as a paragraph of its own,
separated by blank lines so that no two are joined — a section's first line led by its
`Label:` (a bare `Label:` line when the section opens with anything but a paragraph), bullets
led by `•`, notes by their own `Editor's note:` lead, captions and credits as they read.

Some documents of an HTML page have no such text: a section heading that is not a phrase the
text parser reads as a label ("Russia's invasion of Ukraine:"), a figure caption without a
photo credit, a first paragraph under no label that is not the dek. `round_trips` says whether
a document is one of them, so that the desk can say so rather than change it silently.
"""

from __future__ import annotations

from articles.core.document import Block, Document, ParseError
from articles.core.parsing import parse_article

BULLET = "•"


def document_text(document: Document) -> str:
    """The document as plain text that parses back to it (see the module's rule)."""
    paragraphs = [line for line in (document.publisher, document.category) if line]
    if document.headline:
        paragraphs.append(document.headline)
    if document.dek:
        paragraphs.append(document.dek)
    paragraphs.extend(_block_lines(document.blocks))
    return "\n\n".join(paragraphs) + "\n"


def _block_lines(blocks: tuple[Block, ...]) -> list[str]:
    lines: list[str] = []
    label: str | None = None
    for block in blocks:
        if block.kind == "note":  # its label is its own lead; the section goes on past it
            lines.append(f"{block.label}: {block.text}")
            continue
        opens_section = block.label is not None and block.label != label
        label = block.label
        if opens_section and block.kind == "paragraph":
            lines.append(f"{label}: {block.text}")
            continue
        if opens_section:
            lines.append(f"{label}:")
        lines.append(f"{BULLET} {block.text}" if block.kind == "bullet" else block.text)
    return lines


def round_trips(document: Document) -> bool:
    """Whether the parser reads document_text(document) back as the same document."""
    try:
        return parse_article(document_text(document)) == document
    except ParseError:  # nothing of it reads as an article
        return False
