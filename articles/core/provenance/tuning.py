"""Every threshold of provenance, with its reason. Read as `tuning.NAME` when it runs, so a test
patches one here."""

# A sentence of a new revision left unmatched by its exact text continues a sentence of the
# revision before (the same sentence, edited: "first reported in 1, last changed in 3") when
# the longest common subsequence of their tokens covers at least this share of both
# (rapidfuzz Indel normalized similarity). The diff engine's pairing threshold for blocks is
# 0.5; a sentence is short, so one changed figure or name already costs it a tenth: 0.6 keeps
# "410 drones" -> "460 drones" one sentence and two different sentences sharing their "said"
# and commas apart.
SIMILARITY_THRESHOLD = 0.6

# Unmatched new x unmatched old sentences compared in one go (the token phase). Past it each new
# sentence is compared only with the old sentences under the same section label: a revision
# that rewrites everything costs that much, not its square.
MAX_FUZZY_PAIRS = 250_000

# Abbreviations after which a full stop does not end a sentence ("Gen. Solvek", "No. 4").
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "cpl", "adm",
     "gov", "sen", "rep", "pres", "amb", "st", "mt", "ft", "no", "nos", "vs", "etc", "inc",
     "ltd", "co", "corp", "jr", "sr", "rev", "hon", "dept", "approx", "est", "fig",
     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)  # fmt: skip

# Sentences whose tokens a process keeps (matching._tokens): a 600 KB page has about 7,000; a
# bound, not a policy.
TOKENS_KEPT = 16_384
