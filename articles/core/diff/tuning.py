"""Every threshold, budget and word list the diff engine decides by, each with its reason.

The engine reads them as `tuning.NAME` when it runs, so a test patches a budget here. Past a
budget the engine matches more coarsely and says so: DocumentDiff.coarse and .notes.
"""

# The pairing rule (pairing.pairs_as_changed): an old and a new block are one block, edited,
# only when their longest common subsequence of tokens covers at least this share of the
# longer one. Below it, readers get confetti: a few surviving words ("the", "said") stranded
# among marks. Removed + added reads better.
SIMILARITY_THRESHOLD = 0.5

# Old x new block pairs scored in one stretch between two in-place blocks (pairing, step 4).
# Past it the stretch's blocks are paired by position within their section.
MAX_GAP_COMPARISONS = 2_500

# Leftover old x new block pairs scored across sections for moved-and-edited blocks (step 5).
# Past it no such pair is looked for.
MAX_CROSS_COMPARISONS = 40_000

# Tokens per block above which a block is compared whole, never word by word: the word diff's
# opcodes table is len x len bits.
MAX_BLOCK_TOKENS = 5_000

# Old x new blocks above which blocks are aligned by a longest chain of exact matches instead
# of a longest common subsequence, whose backtracking table is len x len bits (5 MB here).
MAX_BLOCK_TABLE = 40_000_000

# Blocks per page above which the alignment takes the chain too: each block needs a code point
# of its own, and there are 1,111,808 (tokens.code_points); this is a round bound below that.
MAX_BLOCK_CODES = 1_000_000

# Longest section the fast path walks to find a moved block's section. Past it, the full
# layout's passes over every block cost less than walking it for each block moved within its
# label.
MAX_SECTION_WALK = 64

# Minor words. Kept alone between two edits, one is folded into them (the confetti rule,
# words.edits); and none names a figure ("drones: 410 → 460", not "the: 410 → 460").
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from",
     "with", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its",
     "this", "that", "these", "those", "than", "then", "about", "over", "up", "down", "out",
     "into", "per", "some", "more", "less", "least", "most", "under", "since", "after",
     "before", "while", "said", "says", "say"]
)  # fmt: skip

# Figure labels (labels.py). A label is at most this many words of the noun phrase after the
# number ("people displaced" adds the participle to it): enough for "Korvan soldiers", short
# enough to stay a label in a list.
LABEL_WORDS = 2
# How far back a number with no noun after it looks for the word that names it ("rose to 44%"),
# and how far past "of" a share looks for the possessive before its noun ("of last week's").
LABEL_LOOKBACK = 4
# Skipped between "of" and the counted noun: "78% of the drones".
DETERMINERS = frozenset(["the", "a", "an", "its", "their", "his", "her", "our", "all", "those",
                         "these", "this", "that", "last", "next"])  # fmt: skip
# Skipped right after a number: "96 more missiles" counts missiles.
NUMBER_ADJECTIVES = frozenset(["more", "other", "additional", "further", "extra", "new"])
# Words between the noun and its participle in a passive or perfect: "people have been displaced".
AUXILIARIES = frozenset(["was", "were", "is", "are", "be", "been", "being", "has", "have",
                         "had", "reportedly", "now", "already", "also", "since"])  # fmt: skip
# Participles that do not end in -ed.
PARTICIPLES = frozenset(["hurt", "hit", "shot", "struck", "taken", "held", "lost", "left",
                         "driven", "fled", "seen", "sent", "built", "made", "found", "caught",
                         "slain", "freed", "born", "torn", "thrown"])  # fmt: skip
# Words that end a noun phrase and never name a figure: the stop words, with the conjunctions,
# pronouns, prepositions and verbs of saying that follow numbers in news copy ("52 wounded
# when", "40 buses for the sick").
FUNCTION_WORDS = STOPWORDS | frozenset(
    ["when", "where", "who", "whom", "whose", "which", "what", "why", "how", "because", "if",
     "though", "although", "during", "until", "across", "near", "against", "between",
     "through", "toward", "towards", "around", "within", "without", "among", "amid", "via",
     "not", "no", "nor", "so", "yet", "he", "she", "they", "we", "i", "you", "them", "him",
     "us", "will", "would", "could", "should", "may", "might", "can", "must", "do", "does",
     "did", "told", "added", "according", "each", "every", "both", "either", "neither",
     "including", "last", "ago", "earlier", "later", "today", "yesterday", "tomorrow",
     "there", "here", "also", "only", "just", "even", "still", "already", "now", "overnight",
     "tonight", "daily", "again", "far", "instead", "alone"]
)  # fmt: skip

# Significance (significance.py): how far a changed word may be from the old one and still be a
# spelling fix. A typo is one or two letters off in a long word ("recieve", "negotations"); in a
# word of fewer than SPELLING_SHORT_WORD letters one letter makes another word ("not" / "now"),
# so there only two neighbouring letters swapped ("teh") count. One edit per this many letters.
SPELLING_EDITS = 2
SPELLING_LETTERS_PER_EDIT = 4
SPELLING_SHORT_WORD = 5

# Words that never change by a spelling fix, lower case: what a date, a quantity or a negation
# says turns on one letter ("June" / "July", "million" / "billion", "never" / "ever").
DATE_WORDS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon",
     "evening", "night", "overnight", "noon", "midnight", "week", "weekend", "month", "year",
     "am", "pm", "gmt", "utc", "earlier", "later"]
)  # fmt: skip
QUANTITY_WORDS = frozenset(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand",
     "thousands", "million", "millions", "billion", "billions", "trillion", "dozen", "dozens",
     "half", "quarter", "third", "first", "second", "percent", "per", "cent", "double", "triple",
     "all", "none", "most", "few", "many", "several", "some", "every", "each", "both"]
)  # fmt: skip
NEGATION_WORDS = frozenset(
    ["no", "not", "never", "none", "nor", "neither", "nobody", "nothing", "nowhere", "without",
     "cannot", "unless", "against", "deny", "denies", "denied"]
)  # fmt: skip
PROTECTED_WORDS = DATE_WORDS | QUANTITY_WORDS | NEGATION_WORDS
