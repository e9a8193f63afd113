"""A parsed document stored without the text its verbatim upload already holds.

The rule: a block whose text appears in the upload, at or shortly after where the block before
it ended, is stored as [kind, label, gap, length] (the text is upload[start:start + length],
start = where the block before ended + gap); any other block keeps its text:
[kind, label, text]. Gaps and lengths, not offsets: a paragraph added at the top shifts every
offset but no gap, so a revision's skeleton differs from the one before in its edited blocks
only, and its zstd delta (articles/core/deltas.py) stays small. `dress` puts the texts back;
`strip` checks that it does before returning.

Plain Python, on Document.to_stored()'s JSON shape.
"""

from __future__ import annotations

from typing import Any

# How far past where the block before ended a block's text is looked for: past a page's
# chrome or a long markup run between two blocks, the text is stored instead (a few bytes
# more in one skeleton, never a wrong text).
SEARCH_AHEAD = 4_096


class SkeletonMismatch(Exception):
    """A skeleton does not dress into the document it was made from."""


def strip(stored: dict[str, Any], upload: str) -> dict[str, Any]:
    """`stored` with each block's text replaced by where the upload holds it."""
    cursor, blocks = 0, []
    for kind, label, text in stored.get("blocks", ()):
        at = upload.find(text, cursor, cursor + len(text) + SEARCH_AHEAD) if text else -1
        if at < 0:
            blocks.append([kind, label, text])
            continue
        blocks.append([kind, label, at - cursor, len(text)])
        cursor = at + len(text)
    skeleton = {**stored, "blocks": blocks}
    if dress(skeleton, upload) != stored:
        raise SkeletonMismatch("a skeleton does not dress into its document")
    return skeleton


def dress(skeleton: dict[str, Any], upload: str) -> dict[str, Any]:
    """The document `strip` made the skeleton of."""
    cursor, blocks = 0, []
    for block in skeleton.get("blocks", ()):
        if len(block) == 4:
            kind, label, gap, length = block
            start = cursor + gap
            cursor = start + length
            blocks.append([kind, label, upload[start:cursor]])
        else:
            blocks.append(list(block))
    return {**skeleton, "blocks": blocks}
