"""The story in its origins view: every sentence wrapped with when it was first reported.

Markup contract: each sentence is
  <span class="origin age-A" data-first="N" data-last="M">TEXT<a class="origin-mark" href="…">
  <span aria-hidden="true">N</span><span class="vh">first reported …</span></a></span>
where N is the revision that first reported it and M the one that last changed it; the link
goes to the comparison that introduced the sentence (or to revision N when nothing came
before it); the visually hidden text gives screen readers both revisions with their times;
the visible number is the age marker, so colour (age-new, age-recent, age-older) is never the
only signal. Sections, labels and bullets are laid out as on the plain story page; every piece
of text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from articles.core.document import Block, sections
from articles.core.provenance import Origin
from articles.core.render.markup import escape

# The age classes: reported in the revision shown, in one of the RECENT revisions before it,
# or earlier.
RECENT = 2


def origins_markup(
    blocks: Sequence[Block],
    origins: Sequence[Sequence[Origin]],
    *,
    live: Sequence[int],
    when: Callable[[int], str],
    link: Callable[[int], str],
) -> str:
    """The article body: `live` the live revision numbers up to the one shown (ascending),
    `when(n)` revision n's time as text, `link(n)` the address of what introduced revision n."""
    rank = {number: len(live) - 1 - k for k, number in enumerate(live)}
    by_block = {id(block): k for k, block in enumerate(blocks)}
    out: list[str] = []
    marks: dict[tuple[int, int], tuple[str, str]] = {}

    def sentences(block: Block) -> str:
        pieces = []
        for origin in origins[by_block[id(block)]]:
            text = block.text[origin.start : origin.end]
            core = text.rstrip()
            mark = marks.get((origin.first, origin.last))
            if mark is None:
                mark = marks[origin.first, origin.last] = _mark(origin, rank, when, link)
            pieces.append(f"{mark[0]}{escape(core)}{mark[1]}{text[len(core) :]}")
        return "".join(pieces)

    for section in sections(tuple(blocks)):
        out.append('<section class="section">')
        for p, part in enumerate(section.parts):
            label = ""
            if p == 0 and section.label:
                label = f'<strong class="label">{escape(section.label)}:</strong> '
            if part.kind == "bullet":
                if label:
                    out.append(f'<p class="section-label">{label}</p>')
                items = "".join(f"<li>{sentences(block)}</li>" for block in part.blocks)
                out.append(f'<ul class="bullets">{items}</ul>')
            else:
                block = part.blocks[0]
                out.append(f'<p class="block {block.kind}">{label}{sentences(block)}</p>')
        out.append("</section>")
    return "\n".join(out)


def _mark(
    origin: Origin, rank: dict[int, int], when: Callable[[int], str], link: Callable[[int], str]
) -> tuple[str, str]:
    """The markup before and after a sentence with this first and last revision."""
    age = rank.get(origin.first, len(rank))
    kind = "new" if age == 0 else "recent" if age <= RECENT else "older"
    said = f"first reported in revision {origin.first}, {when(origin.first)}"
    if origin.last != origin.first:
        said += f"; last changed in revision {origin.last}, {when(origin.last)}"
    before = (
        f'<span class="origin age-{kind}" data-first="{origin.first}" data-last="{origin.last}">'
    )
    after = (
        f'<a class="origin-mark" href="{escape(link(origin.first))}">'
        f'<span aria-hidden="true">{origin.first}</span><span class="vh"> ({escape(said)})</span>'
        "</a></span>"
    )
    return before, after
