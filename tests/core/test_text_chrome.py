"""Text of other shapes: newsletters, bylines, footers, and pastes that are only chrome.

Every line here is invented. The rules under test are general (the vocabulary of sign-up
prompts, share rows and newsletter footers), so the fixtures use names no rule mentions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.core.document import Document, ParseError
from articles.core.parsing import parse_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsing"
HEADLINE = "Ferry crews in fictional Port Averly return to work"
SENTENCE = "Crews on the invented Skerra line went back to work on Monday after a deal on pay."


def texts(document: Document) -> list[str]:
    return [document.headline or "", document.dek or ""] + [b.text for b in document.blocks]


@pytest.fixture(scope="module")
def newsletter() -> Document:
    return parse_article((FIXTURES / "harbour_briefing_newsletter.txt").read_bytes())


def test_newsletter_headline_is_the_story_not_its_byline(newsletter: Document) -> None:
    assert newsletter.headline == (
        "Ferry crews in fictional Port Averly return to work after a two-day strike"
    )
    assert newsletter.publisher == "The Harbour Briefing"
    assert newsletter.dek is not None and newsletter.dek.startswith("Good morning. Crews")


def test_newsletter_body_keeps_its_structure(newsletter: Document) -> None:
    assert [(block.kind, block.label) for block in newsletter.blocks] == [
        ("paragraph", "Why it matters"),
        ("paragraph", "Driving the news"),
        ("bullet", "Driving the news"),
        ("bullet", "Driving the news"),
        ("paragraph", "What's next"),
    ]


@pytest.mark.parametrize(
    "chrome",
    ["View in browser", "By Rosa Imrie", "6 min read", "Share on", "forwarded", "receiving",
     "Unsubscribe", "Manage preferences", "Quay Street", "©", "All rights reserved"],
)  # fmt: skip
def test_newsletter_chrome_is_dropped(newsletter: Document, chrome: str) -> None:
    assert not any(chrome in text for text in texts(newsletter))


@pytest.mark.parametrize(
    "byline",
    [
        "By Rosa Imrie | March 9, 2032",
        "By Rosa Imrie and Tam Okafor · 6 min read",
        "Tuesday, March 9, 2032",
        "9 March 2032, 10:04 GMT",
        "Published 3 hours ago",
        "Updated: 9 March 2032",
        "March 9, 2032 at 6:02 a.m.",
        "2032-03-09",
    ],
)
def test_bylines_and_datelines_are_never_headlines(byline: str) -> None:
    document = parse_article(f"{byline}\n\n{HEADLINE}\n\n{SENTENCE}")
    assert document.headline == HEADLINE
    assert byline not in texts(document)


@pytest.mark.parametrize(
    "chrome",
    [
        "Share on Twitter | Share on Facebook | Email",
        "Share this story",
        "Subscribe to the Harbour Briefing",
        "Unsubscribe | Manage preferences",
        "Update your email preferences",
        "View this email in your browser",
        "Having trouble viewing this email?",
        "The Harbour Briefing, 14 Quay Street, Port Averly PA1 2BC",
        "Harbour Media, PO Box 4471, Lindqvar",
        "© 2032 Harbour Media Ltd",
        "Copyright 2032 Harbour Media. All rights reserved.",
        "Terms of use · Cookie policy",
        "You are receiving this email because you signed up on our site.",
        "Follow us on Instagram",
        "Published 2 days ago",
    ],
)
def test_share_subscribe_footer_lines_are_chrome(chrome: str) -> None:
    document = parse_article(f"{HEADLINE}\n\n{SENTENCE}\n\n{chrome}\n\nThe ferry runs again.")
    assert chrome not in texts(document)
    assert document.blocks[-1].text == "The ferry runs again."


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the islanders' newsletter rose by a third this year.",
        "Police sealed off 14 Quay Street, where the fire began, on Monday night.",
        "The union says it will share the deal with its members on Friday.",
        "Copyright lawyers for the ferry company wrote to the union last week.",
        "By Tuesday the harbour board had agreed to meet the crews again.",
    ],
)
def test_article_lines_that_use_chrome_words_are_kept(line: str) -> None:
    document = parse_article(f"{HEADLINE}\n\n{SENTENCE}\n\n{line}")
    assert line in texts(document)


# --- The wipe guard: a paste of only chrome is no article -------------------------------------

DESK_PASTE = """Newsgrove
Try it free for 14 days
Most read on Newsgrove today
Sign up for our morning briefing
Already a subscriber? Log in
Get the Newsgrove app
Unlimited access to 7,000+ titles
Cancel anytime
Terms of use · Cookie policy
© 2032 Newsgrove Ltd"""

THIRTEEN_LINES = """Try it free for 30 days
Most popular right now
Subscribe for unlimited access
Terms of use · Cookie policy
Your daily digest, curated by our editors
Join 40,000 readers who start their day with us
Stories picked for you
Read anywhere, on any device.
Listen to this article
Save 50% on your first year
Gift this article to a friend
Continue with Google
Privacy notice"""

# Paywall, consent and newsletter-platform furniture, phrased as yet other sites phrase it.
OTHER_SITES = """Sign in to Newsgrove
Create your free account to keep reading
You have 2 free articles left this month
Become a member today
Support our journalism
Already registered?
Download on the App Store
Recommended for you
Trending
Advertisement
Your privacy choices
Do not sell my personal information
Skip to main content
Back to top
More from Newsgrove
Home | News | Sport | Weather
Newsgrove is reader-supported.
Get the best of Newsgrove in your inbox every morning.
Thanks for reading! Subscribe for free to receive new posts.
Keep reading with a 7-day free trial
Upgrade to paid
Like this post? Share it with a friend.
Read in app"""

CHROME_LINES = [*DESK_PASTE.splitlines(), *THIRTEEN_LINES.splitlines(), *OTHER_SITES.splitlines()]


@pytest.mark.parametrize(
    "paste", [DESK_PASTE, THIRTEEN_LINES, OTHER_SITES], ids=["desk-paste", "13-lines", "others"]
)
@pytest.mark.parametrize("separator", ["\n", "\n\n"], ids=["lines", "paragraphs"])
def test_a_paste_of_chrome_is_no_article_whatever_headline_it_seems_to_have(
    paste: str, separator: str
) -> None:
    with pytest.raises(ParseError, match=r"^no article text found$"):
        parse_article(paste.replace("\n", separator))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(CHROME_LINES), min_size=1, max_size=14),
    st.sampled_from(["\n", "\n\n"]),
)
def test_any_mix_of_chrome_lines_is_no_article(lines: list[str], separator: str) -> None:
    with pytest.raises(ParseError, match=r"^no article text found$"):
        parse_article(separator.join(lines))


def test_chrome_around_an_article_is_dropped_and_the_article_kept() -> None:
    document = parse_article(
        f"{DESK_PASTE}\n\n{HEADLINE}\n\n{SENTENCE}\n\n{THIRTEEN_LINES}\n\n{OTHER_SITES}"
    )
    assert document.headline == HEADLINE
    assert document.dek == SENTENCE
    assert document.blocks == ()
