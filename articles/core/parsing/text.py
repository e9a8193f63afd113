"""Plain text to lines.

The rule: blank lines separate paragraphs, and so does a line break, except where a paragraph
was hard-wrapped: the previous line stops mid-sentence and this one carries on (it starts in
lower case, or the previous line ends with a comma and this one is no bullet, label or note).
"""

from __future__ import annotations

import re

from articles.core.parsing.classify import is_structural
from articles.core.parsing.lines import Line

_OPEN_END_RE = re.compile(r"[^.!?…:;\"'”’»)\]]$")


def _continues(previous: str, line: str) -> bool:
    """Hard-wrapped text: the previous line stops mid-sentence and this one carries on."""
    if _OPEN_END_RE.search(previous) is None:
        return False
    return line[0].islower() or (previous.endswith(",") and not is_structural(line))


def text_lines(text: str) -> list[Line]:
    groups: list[list[str]] = []
    blank = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            blank = True
            continue
        if not blank and _continues(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
        blank = False
    return [Line(" ".join(group)) for group in groups]
