"""Every number the parser decides by, in one place, each with the reason for its value.

Word counts are whitespace-separated words of one normalised line.
"""

MB = 1024 * 1024

# --- Decoding ----------------------------------------------------------------------------------

# The default upload limit; the site passes its own (NEWSROOM_MAX_UPLOAD_BYTES).
DEFAULT_MAX_BYTES = 5 * MB
# latin-1 decodes any bytes at all: a "text" more than a quarter control characters is binary.
BINARY_CONTROL_SHARE = 0.25
# A page declares its charset in its first bytes (the HTML standard looks at 1,024; allow for
# long <head> preambles before the <meta>).
CHARSET_SNIFF_BYTES = 4096

# --- Lines and labels --------------------------------------------------------------------------

# A section label is a short phrase: "State of play:", "What they're saying:".
MAX_LABEL_CHARS = 60
# `<strong>Label:</strong>` marks a label whatever its wording, up to this length; longer bold
# runs are emphasis.
MAX_STRONG_LABEL_WORDS = 6
# "Crowds at the rally. Photo: A. Name": a credit tail longer than this is a sentence instead.
MAX_CAPTION_CREDIT_WORDS = 20

# A line whose text is this much link is a link, whatever words surround it ("Read: <a>…</a>").
LINK_ONLY_SHARE = 0.9

# A photo caption says who, what and where in a sentence or three (the longest of the 54 corpus
# pages: 34 words); a figure's text past this is a video's transcript or an embed (one there:
# 424 words).
MAX_CAPTION_WORDS = 80

# --- Chrome ------------------------------------------------------------------------------------

# Chrome prompts are short ("Sign up to keep reading"); a longer line holding the same words
# is article text ("Subscribers to the newsletter rose by a third").
MAX_CHROME_WORDS = 14
# Where the page resumes after the article ("Related stories", "Most read"): a heading.
MAX_HARD_STOP_WORDS = 10
# A row of section names ("Home | News | Sport | Weather") is a menu: three or more short items.
# Two ("Ukraine | Live") can be a headline's own.
MIN_MENU_ITEMS = 3
MAX_MENU_ITEM_WORDS = 3
# One piece of a byline or dateline ("By Ana Vell", "March 9, 2031", "5 min read").
MAX_BYLINE_PART_WORDS = 8
# A postal address or copyright line of a footer; a longer line is a sentence about one.
MAX_FOOTER_LINE_WORDS = 20
# A line this long is real article text, which a trailing run of chrome never holds.
SUBSTANTIAL_WORDS = 30

# --- Headline and metadata ---------------------------------------------------------------------

# A headline sits near the top; the cap also bounds the work on huge title-less uploads.
MAX_HEAD_LINES = 40
# Publisher and section names above the headline: "Coastline Wire", "World".
MAX_METADATA_WORDS = 3
MAX_METADATA_CHARS = 40
MAX_METADATA_RUN = 4
# A line of at least this many words that ends a sentence can only be body text.
MIN_SENTENCE_WORDS = 8
# The wipe guard: the body must hold one line of prose that is not a prompt: a sentence of at
# least this many words ("Ferries run again.") or a line at least MIN_ARTICLE_TEXT_WORDS long
# (a news sentence that says who did what where is longer; sign-up, "most read" and footer
# lines are 2 to 7 words, and unpunctuated).
MIN_ARTICLE_SENTENCE_WORDS = 3
MIN_ARTICLE_TEXT_WORDS = 8
# ...and a prompt is a line whose words are mostly the vocabulary of sign-up prompts: "Get
# unlimited access to award-winning journalism for just $1 a week" is 7 of 12 such words; an
# article sentence that mentions subscribers or a newsletter has one or two in ten.
MAX_PROMPT_WORD_SHARE = 0.3

# --- HTML --------------------------------------------------------------------------------------

# Whether an upload is HTML is decided on its start: a page's markup begins early, and text
# that mentions three closing tags in its first 100,000 characters is markup too.
HTML_SNIFF_CHARS = 100_000
# libxml2 stops reading (silently, the rest of the page lost) at 256 levels of nesting. No real
# page comes near it: the deepest of the 54 publisher pages of the fidelity corpus nests 29.
MAX_HTML_DEPTH = 255
# Main-content selection by trafilatura costs ~40 µs an element: beyond this many (seven times
# the largest of the 54 corpus pages, 2,902) a page is hostile or generated, and the parser's
# own landmark rules, linear and ten times cheaper, select the article instead.
SELECTOR_MAX_ELEMENTS = 20_000
# Matching our lines against the text trafilatura kept: a line this many tokens long is
# matched anywhere in that text; a shorter one ("World", "Share") only against a line of its
# own that it makes at least SHORT_LINE_SHARE of, so that a menu word never matches prose.
LONG_LINE_TOKENS = 8
SHORT_LINE_SHARE = 0.5
