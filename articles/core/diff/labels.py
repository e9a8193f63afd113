"""What a figure counts: its label is the noun phrase the number quantifies in its sentence.

Rule, on a sentence's tokens around the figure (`figure_label`):
  1. a share ("78%", "3 in 10", "half") counts what comes after "of", past the determiners and
     the possessive before the noun: "78% of last week's drones" counts drones;
  2. the noun phrase is the words right after the number, up to LABEL_WORDS of them, ending at
     the first function word or mark: "410 drones and 96 missiles", "52 wounded when";
  3. a passive or perfect verb right after the phrase says what happened to what is counted,
     and joins the label: "102,000 people have been displaced" is "people displaced", "78% of
     last week's drones were intercepted" is "drones intercepted";
  4. with no noun after it, a number is named by the nearest content word before it ("turnout
     rose to 44%": "rose"), never by a function word.
A date, a clock time, an ordinal or a bare year counts nothing (`counts_something`): it is
listed when it changes, but not as a figure added or removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from articles.core.diff import tuning
from articles.core.diff.tokens import is_figure, tokenize

_COUNT_START = frozenset("0123456789$€£¥")
# A text without any of those counts nothing: it is not tokenized at all (most blocks added or
# removed in a live update carry no figure).
_MAY_COUNT = re.compile(r"[0-9$€£¥]")
_WORDLIKE = re.compile(r"[^\W\d_][\w'’.-]*")
_SHARE = re.compile(r"\d+(?:[.,]\d+)?%")
_DATE = re.compile(r"[^\W\d_]")  # a date token starts with its month
_CLOCK_OR_ORDINAL = re.compile(
    r"\d{1,2}(?::\d\d)?(?:am|pm|a\.m\.|p\.m\.|h)|\d+(?:st|nd|rd|th)", re.I
)
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_POSSESSIVE = re.compile(r".+['’]s?$")


def figure_label(tokens: Sequence[str], at: int) -> str:
    """The words naming what the figure tokens[at] counts ("" when nothing names it)."""
    start = _noun_start(tokens, at)
    phrase = _phrase(tokens, start)
    if phrase:
        participle = _participle_after(tokens, start + len(phrase))
        return " ".join([*phrase, participle] if participle else phrase)
    for word in reversed(tokens[max(at - tuning.LABEL_LOOKBACK, 0) : at]):
        if _is_content_word(word):
            return word
    return ""


def figures_in(text: str, tokens: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The figures of a text that count something, as (label, value), in reading order.
    `tokens`: tokenize(text), when the caller has them."""
    if tokens is None:
        if not _MAY_COUNT.search(text):
            return []
        tokens = tokenize(text)
    # Only a token opening with a digit or a currency sign can count something (a date opens
    # with its month): the rest are not matched against the figure pattern at all.
    return [
        (figure_label(tokens, k), token)
        for k, token in enumerate(tokens)
        if token[:1] in _COUNT_START and is_figure(token) and counts_something(tokens, k)
    ]


def counts_something(tokens: Sequence[str], at: int) -> bool:
    """Is tokens[at] a count or a measure, rather than a date, a time, an ordinal or a year?"""
    token = tokens[at].lstrip("$€£¥")
    if _DATE.match(token) or _CLOCK_OR_ORDINAL.fullmatch(token):
        return False
    if _YEAR.fullmatch(token):
        # "in 1961" is a year; "2000 people" a count.
        return bool(_phrase(tokens, at + 1))
    return True


def _noun_start(tokens: Sequence[str], at: int) -> int:
    """Where the counted noun phrase starts: right after the number, or, after a share, past
    "of", its determiners and a possessive ("78% of last week's drones")."""
    j = at + 1
    if j < len(tokens) and tokens[j].lower() in ("percent", "per"):
        j += 2 if tokens[j].lower() == "per" else 1  # "per cent"
    share = _SHARE.fullmatch(tokens[at]) is not None or j > at + 1
    if share and j < len(tokens) and tokens[j].lower() == "of":
        j += 1
        window = tokens[j : j + tuning.LABEL_LOOKBACK]
        possessives = [k for k, word in enumerate(window) if _POSSESSIVE.fullmatch(word)]
        if possessives:
            j += possessives[-1] + 1
        while j < len(tokens) and tokens[j].lower() in tuning.DETERMINERS:
            j += 1
    if j + 1 < len(tokens) and tokens[j] == "-":
        j += 1  # a measure: "a 30-kilometre buffer zone"
    while j < len(tokens) and tokens[j].lower() in tuning.NUMBER_ADJECTIVES:
        j += 1  # "96 more missiles", "about 40 other buses"
    return j


def _phrase(tokens: Sequence[str], start: int) -> list[str]:
    phrase: list[str] = []
    for word in tokens[start : start + tuning.LABEL_WORDS]:
        if not _is_content_word(word):
            break
        phrase.append(word)
    return phrase


def _participle_after(tokens: Sequence[str], k: int) -> str:
    """The participle of "were intercepted", "have been displaced" after the phrase, if any."""
    auxiliaries = 0
    while k < len(tokens) and tokens[k].lower() in tuning.AUXILIARIES:
        k += 1
        auxiliaries += 1
    if not auxiliaries or k >= len(tokens):
        return ""
    word = tokens[k]
    lower = word.lower()
    if _WORDLIKE.fullmatch(word) and (lower.endswith("ed") or lower in tuning.PARTICIPLES):
        return word
    return ""


def _is_content_word(word: str) -> bool:
    return _WORDLIKE.fullmatch(word) is not None and word.lower() not in tuning.FUNCTION_WORDS
