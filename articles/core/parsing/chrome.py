"""Chrome: the lines a site, an aggregator or a newsletter wraps around the article.

The rule: a short line is chrome when it is a prompt to sign up, log in, subscribe, try, join or
download (by its vocabulary, or as an imperative call to action), a share or follow row, a
newsletter's view-in-browser, unsubscribe or manage-preferences line, a postal address, a
copyright line, a relative or "updated" time stamp, or a menu row made only of such items; and
everything after the article's last substantial line from the first "Related stories"- or "Most
read"-style heading on is chrome too. Bylines and datelines are found here as well: they are
dropped under the headline and are never a headline. The vocabulary is of the trade (aggregator,
paywall and newsletter furniture), never of one site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from articles.core.parsing.classify import NOTE_RE, is_structural, split_label
from articles.core.parsing.lines import Line
from articles.core.parsing.thresholds import (
    MAX_BYLINE_PART_WORDS,
    MAX_CHROME_WORDS,
    MAX_FOOTER_LINE_WORDS,
    MAX_HARD_STOP_WORDS,
    MAX_MENU_ITEM_WORDS,
    MAX_PROMPT_WORD_SHARE,
    MIN_ARTICLE_SENTENCE_WORDS,
    MIN_ARTICLE_TEXT_WORDS,
    MIN_MENU_ITEMS,
    MIN_SENTENCE_WORDS,
    SUBSTANTIAL_WORDS,
)

# Chrome by its opening words (matched at the start: cheap to rule out).
_CHROME_START_RE = re.compile(
    r"""(?:
        sign[ -]?(?:in|up|out)\b | log[ -]?(?:in|out)\b | subscribe\b | register\s(?:now|for\sfree)
      | start\s(?:reading|your\s(?:free\s)?trial)\b | continue\sreading\b | read\smore$
      | read\sthe\sfull\s(?:story|article)\b | (?:download|get)\s(?:the|our)\s(?:\w+\s)?app\b
      | download\snow\b | advertisement$ | sponsored(?:\scontent)?$
      | share\s(?:this(?:\sarticle|\sstory|\spage)?|on\s\w+|via\s\w+)$
      | (?:related|top|more|trending|popular|latest)\s(?:stories|articles|news|content|reads)\b
        (?![^\n]*[.!?]$)
      | our\spicks\b | editors['’]?\spicks\b | recommended(?:\sfor\syou|\sreading|\sstories)?$
      | most\s(?:read|popular|viewed|shared|commented)\b
      | newsletters?$ | free\strial\b
      | already\s(?:a\s(?:member|subscriber)|subscribed|registered|have\san\saccount)\b
      | (?:\d+|one|two|three|five|seven|ten|fourteen|thirty)[-\s]days?\sfree\b
      | (?:accept|manage|reject)\s(?:all\s)?cookies\b | we\suse\scookies\b
      | one\s(?:app|subscription|membership)(?:\.|\s(?:that|for|to)\b|$)
      | get\sall\syour\snews\b | read\snews\sfrom\b
      | \d[\d,]*(?:\+|['’]s)\s(?:of\s)?(?:(?:premium|trusted|global)\s)*
        (?:titles|sources|publishers|publications)\b
      | follow\sus\b | skip\sto\s(?:main\s)?content\b | (?:click|tap)\shere\b
      | (?:advertise|privacy(?:\spolicy|\snotice)?|terms(?:\sof\s(?:use|service))?
        |cookie\s(?:policy|settings|preferences)|contact\sus|about\sus|help|faqs?)$
      | listen\sto\s(?:this|the)\s(?:article|story)\b | print(?:\sthis)?(?:\sarticle|\spage)?$
      | copy\slink$ | (?:\d+\s)?comments?$ | view\s(?:\d+\s)?comments\b
      | (?:image|photo|video)\s(?:source|copyright|credit)s?\b
      | create\s(?:a\s)?(?:free\s)?account\b | cancel\sany\s?time\b | no\scredit\scard\b
      | trending$ | back\sto\stop$ | (?:your\s)?privacy\s(?:choices|settings)$ | do\snot\ssell\b
      | upgrade\sto\s(?:paid|premium|pro)\b | keep\sreading\b | explore\smore$
      | become\sa\s(?:paid\s)?(?:member|subscriber|supporter|patron)\b
      | support\s(?:our|independent|quality)\s(?:\w+\s)?(?:journalism|reporting|work)\b
      | more\sfrom\s[\w\s'’&.-]{1,40}$
      | you\s(?:have|['’]ve)\s(?:\d+|one|two|three|no)\s(?:free\s)?(?:articles?|stories)\s
        (?:left|remaining)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Chrome by words anywhere in a short line. The one leading \b is factored out: searched as
# separate "\b..." alternatives the pattern took four times as long on the 600 KB bench page.
_CHROME_ANYWHERE_RE = re.compile(
    r"""\b(?:
        (?:sign|log)[ -]?(?:in|up)\s(?:here|now|for\sfree|to\s(?:keep\s)?(?:read|continu))
      | subscribe\s(?:now|today|for|to\s(?:read|continue|our))\b
      | curated\s(?:specifically\s)?for\syou\b | premium\stitles\b
      | app\sstore\b | google\splay\b | unlimited\s(?:digital\s)?access\b
      | try\s(?:it|us)\s(?:free|for\sfree)\b | unsubscribe\b
      | view\s(?:this\s(?:email|newsletter|message)\s)?(?:in|on)\s(?:your\s|a\s)?(?:web\s)?browser\b
      | (?:having\s)?trouble\sviewing\b | view\s(?:it\s)?(?:online|as\sa\sweb\spage)\b
      | (?:manage|update|change)\s(?:your\s)?(?:email\s|newsletter\s|subscription\s)?
        (?:preferences|subscriptions?|settings)\b
      | email\spreferences\b | you\s(?:are|were|['’]re)\sreceiving\sthis\b
      | forward(?:ed)?\s(?:this\s(?:email\s)?)?to\sa\sfriend\b
      | was\sthis\s(?:email\s)?forwarded\b
      | all\srights\sreserved\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Calls to action: a short line opening with one of these verbs, with another word of the
# prompts' vocabulary in it ("Join 2 million readers", "Try it free for 30 days").
_CALL_TO_ACTION_VERBS = frozenset(
    {
        "claim",
        "continue",
        "create",
        "discover",
        "download",
        "explore",
        "follow",
        "get",
        "gift",
        "install",
        "join",
        "listen",
        "read",
        "register",
        "save",
        "share",
        "sign",
        "start",
        "subscribe",
        "try",
        "unlock",
        "upgrade",
    }
)
# Words of sign-up prompts, paywalls, "most read" rails and newsletter footers. News sentences
# use a few of them ("subscribers", "next week"); prompts are made of them.
PROMPT_WORDS = frozenset(
    [
        "access",
        "account",
        "ad",
        "ads",
        "anytime",
        "anywhere",
        "app",
        "apple",
        "apps",
        "article",
        "audio",
        "award",
        "become",
        "best",
        "briefing",
        "browser",
        "cancel",
        "click",
        "cookie",
        "cookies",
        "curated",
        "daily",
        "day",
        "days",
        "deal",
        "delivered",
        "device",
        "devices",
        "digest",
        "discount",
        "download",
        "email",
        "emails",
        "exclusive",
        "facebook",
        "free",
        "friend",
        "get",
        "gift",
        "google",
        "inbox",
        "instagram",
        "join",
        "journalism",
        "just",
        "latest",
        "linkedin",
        "listen",
        "log",
        "login",
        "member",
        "members",
        "membership",
        "month",
        "monthly",
        "more",
        "most",
        "newsletter",
        "newsletters",
        "now",
        "offer",
        "offers",
        "offline",
        "only",
        "our",
        "paid",
        "picked",
        "picks",
        "podcast",
        "podcasts",
        "popular",
        "post",
        "posts",
        "preferences",
        "premium",
        "privacy",
        "publishers",
        "read",
        "reader",
        "readers",
        "reading",
        "recommended",
        "register",
        "save",
        "share",
        "sign",
        "signup",
        "start",
        "subscribe",
        "subscribed",
        "subscriber",
        "subscribers",
        "subscription",
        "subscriptions",
        "support",
        "supported",
        "tap",
        "terms",
        "thanks",
        "titles",
        "today",
        "top",
        "trending",
        "trial",
        "trusted",
        "try",
        "twitter",
        "unlimited",
        "unlock",
        "unsubscribe",
        "upgrade",
        "us",
        "week",
        "weekly",
        "whatsapp",
        "winning",
        "you",
        "your",
        "youtube",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Items of a share row or footer menu that are only a verb or a network's name.
_MENU_ITEMS = frozenset(
    [
        "email",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "reddit",
        "pinterest",
        "telegram",
        "print",
        "save",
        "share",
        "tweet",
        "comments",
        "comment",
        "flipboard",
        "messenger",
        "bluesky",
        "threads",
        "mastodon",
        "instagram",
        "youtube",
        "tiktok",
    ]
)
_MENU_SEPARATOR_RE = re.compile(r"\s+[|·•/]\s+|\s+[-–—]\s+(?=\S)")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATE_RE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)"
# A time stamp: an "Updated"-like word and/or pieces of dates and times, nothing else.
_STAMP_RE = re.compile(
    rf"""^(?P<prefix>(?:last\s|first\s)?(?:updated|published|posted|modified)\b:?)?
        (?:[\s,.:/|·–-]*\b(?:\d{{1,4}}(?:st|nd|rd|th)?|{_MONTH}|{_WEEKDAY}|{_UNIT}|ago|on|at
          |an?|about|today|yesterday|(?:a|p)\.?m\.?|(?-i:[A-Z]{{2,5}}))\b)*[\s.]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_READING_TIME_RE = re.compile(r"^\d+\s?min(?:ute)?s?\s(?:read|listen)$", re.IGNORECASE)
# A byline: "By Ana Vell", "By Ana Vell and Tomas Reyl, Staff writers".
_BY_RE = re.compile(r"^(?-i:By\s+[A-Z])")


# A postal address: a numbered street, a PO box or a suite, in a line of comma-separated parts.
_ADDRESS_RE = re.compile(
    r"""\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){0,4}
        (?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Way|Drive|Dr|Square|Sq|Place|Pl
          |Court|Ct|Quay|Terrace|Parkway|Pkwy|Highway|Hwy|Row|Wharf|Plaza|Broadway)\b
      | \bP\.?\s?O\.?\s+Box\s+\d+ | \b(?:Suite|Floor|Unit)\s+\d+""",
    re.VERBOSE,
)
_COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)\s|copyright\s+(?:©|\(c\)|\d{4}))", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!…][\"'”’»)\]]*$")
# A contributor's bio line: "Ana Vell is a political reporter based in Lindqvar."
_BIO_RE = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s){1,3}(?:is|was)\s(?:a|an|the)\s(?:[\w-]+\s){0,4}?"
    r"(?:reporter|correspondent|editor|writer|columnist|journalist|contributor|producer"
    r"|photographer|critic|analyst)\b"
)
_MAX_BIO_WORDS = 40

# Where the page resumes after the article: everything from here on is chrome.
_HARD_STOP_RE = re.compile(
    r"""^(?:(?:sign\s?up|subscribe|log\s?in)\sto\s(?:keep\s)?(?:read|continu)
      | related\s(?:stories|articles|coverage|content|reading|links|topics)
      | more\s(?:stories|from|on\sthis) | top\sstories | our\spicks | editors['’]?\spicks
      | recommended(?:\sfor\syou|\sreading|\sstories)?$ | read\snext | up\snext
      | you\s(?:may|might)\salso\slike | most\s(?:read|popular|viewed|shared|commented)
      | trending(?:\snow|\sstories)?$ | comments?$ | \d+\scomments?$
      | join\sthe\s(?:conversation|discussion) | (?:leave|post|add)\sa\scomment
      | (?:sponsored|promoted)\s(?:stories|content|links) | around\sthe\sweb | see\salso$
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def _prompt_words(text: str) -> tuple[int, int, str]:
    """(words, words of the prompts' vocabulary, the first word), all lower case."""
    words = _WORD_RE.findall(text.lower())
    return len(words), sum(word in PROMPT_WORDS for word in words), words[0] if words else ""


def _is_call_to_action(text: str) -> bool:
    opening = text[: text.find(" ")].lower() if " " in text else text.lower()
    if opening.strip(".,:;!?\"'“‘") not in _CALL_TO_ACTION_VERBS:
        return False  # most lines: no need to count their words
    _, prompts, first = _prompt_words(text)
    return first in _CALL_TO_ACTION_VERBS and prompts - (first in PROMPT_WORDS) >= 1


def is_article_text(text: str) -> bool:
    """Prose of the article: a sentence or a long line that is not a prompt to sign up."""
    total, prompts, _ = _prompt_words(text)
    words = len(text.split())
    if words < MIN_ARTICLE_TEXT_WORDS and not (
        words >= MIN_ARTICLE_SENTENCE_WORDS and _SENTENCE_END_RE.search(text)
    ):
        return False
    if total and prompts / total >= MAX_PROMPT_WORD_SHARE:
        return False
    return not _is_call_to_action(text)


def is_stamp(text: str) -> bool:
    """A time stamp that is page furniture wherever it stands: "Updated 3 hours ago",
    "Published", "5 min read" (a bare date or time is a dateline: see is_byline)."""
    match = _STAMP_RE.match(text)
    if match is None:
        return _READING_TIME_RE.match(text) is not None
    return bool(match.group("prefix")) or "ago" in text.lower()


def _is_dateline(text: str) -> bool:
    return _STAMP_RE.match(text) is not None and bool(
        _TIME_RE.search(text) or _DATE_RE.search(text)
    )


def _is_byline_part(part: str) -> bool:
    return len(part.split()) <= MAX_BYLINE_PART_WORDS and (
        _BY_RE.match(part) is not None or is_stamp(part) or _is_dateline(part)
    )


def is_byline(text: str) -> bool:
    """A byline or dateline, or a row of them: "By Ana Vell · March 9, 2031 · 5 min read"."""
    return _is_byline_part(text) or all(map(_is_byline_part, _MENU_SEPARATOR_RE.split(text)))


def _is_footer_line(line: Line) -> bool:
    if line.words > MAX_FOOTER_LINE_WORDS:
        return False
    text = line.text
    if _COPYRIGHT_RE.match(text):
        return True
    # An address has parts ("Harbour Media, 4 Quay Street, Port Averly") and is no sentence.
    return (
        text.count(",") >= 1
        and _SENTENCE_END_RE.search(text) is None
        and _ADDRESS_RE.search(text) is not None
    )


def _is_chrome_phrase(text: str) -> bool:
    return (
        _CHROME_START_RE.match(text) is not None
        or _CHROME_ANYWHERE_RE.search(text) is not None
        or _is_call_to_action(text)
        or (len(text.split()) <= MAX_BYLINE_PART_WORDS and is_stamp(text))
    )


def _is_menu_row(text: str) -> bool:
    """ "Share on X | Share on Facebook | Email", "Terms of use · Cookie policy", and a row of
    three or more section names ("Home | News | Sport | Weather")."""
    items = [item.strip() for item in _MENU_SEPARATOR_RE.split(text)]
    if len(items) < 2:
        return False
    if all(item.lower() in _MENU_ITEMS or _is_chrome_phrase(item) for item in items):
        return True
    return len(items) >= MIN_MENU_ITEMS and all(
        len(item.split()) <= MAX_MENU_ITEM_WORDS and item[:1].isupper() and item[-1:].isalnum()
        for item in items
    )


def is_chrome(line: Line) -> bool:
    if line.hint == "headline":
        return False
    if line.words > MAX_CHROME_WORDS:
        return _is_footer_line(line) or (line.words <= _MAX_BIO_WORDS and _is_bio(line.text))
    text = line.text
    return (
        _is_chrome_phrase(text)
        or _is_footer_line(line)
        or _is_menu_row(text)
        or text.lower() in _MENU_ITEMS
        or _is_bio(text)
    )


def _is_bio(text: str) -> bool:
    # "is"/"was" among the first four words first: the pattern itself is dear on every line.
    opening = text.split(None, 4)[1:4]
    return ("is" in opening or "was" in opening) and _BIO_RE.match(text) is not None


def is_hard_stop(line: Line) -> bool:
    return (
        line.words <= MAX_HARD_STOP_WORDS
        and split_label(line.text) is None
        and _HARD_STOP_RE.match(line.text) is not None
    )


def is_body_like(line: Line) -> bool:
    """A line that can only be article body: it ends the headline area."""
    if line.words >= SUBSTANTIAL_WORDS:
        return True
    if line.words >= MIN_SENTENCE_WORDS and _SENTENCE_END_RE.search(line.text):
        return True
    if line.hint in ("heading", "bullet", "caption") or line.strong_label:
        return True
    return line.hint != "headline" and is_structural(line.text)


def is_substantial(line: Line) -> bool:
    """Real article text, which a trailing chrome run never contains."""
    return (
        line.words >= SUBSTANTIAL_WORDS
        or split_label(line.text) is not None
        or NOTE_RE.match(line.text) is not None
    )


def _trailing_stop(lines: Sequence[Line], body_like: Sequence[bool]) -> int:
    """Index where the trailing chrome run starts (len(lines) when there is none)."""
    first_body = next((i for i, like in enumerate(body_like) if like), len(lines))
    last_substantial = next(
        (i for i in range(len(lines) - 1, -1, -1) if is_substantial(lines[i])), -1
    )
    start = max(first_body, last_substantial) + 1
    return next((i for i in range(start, len(lines)) if is_hard_stop(lines[i])), len(lines))


def _in_link_lists(lines: Sequence[Line]) -> set[int]:
    """Runs of two or more list items that are each just a link: "read more" boxes and menus."""
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, Line("")]):
        if line.hint == "bullet" and line.is_link_only:
            run.append(i)
            continue
        if len(run) >= 2:
            found.update(run)
        run = []
    return found


def drop_chrome(lines: Sequence[Line]) -> tuple[list[Line], list[bool], int]:
    """The lines without chrome, whether each is body-like, and how many lines were dropped."""
    body_like = [is_body_like(line) for line in lines]
    stop = _trailing_stop(lines, body_like)
    link_lists = _in_link_lists(lines) if any(line.links for line in lines) else set()
    kept = [i for i in range(stop) if i not in link_lists and not is_chrome(lines[i])]
    return [lines[i] for i in kept], [body_like[i] for i in kept], len(lines) - len(kept)
