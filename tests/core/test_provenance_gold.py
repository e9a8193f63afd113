"""The gold set: a fictional story of nine revisions, each sentence's origin decided by hand."""

from tests.core.provenance_gold import GOLD, score

# The target, WikiWho's on its own gold standard.
TARGET = 0.95


def test_origins_on_the_hand_made_gold_set_are_at_least_95_percent_right():
    result = score(GOLD / "lessard-floods")
    assert result.sentences >= 100  # every sentence of all nine revisions is scored
    print(
        f"gold set: {result.first_right}/{result.sentences} first revisions right",
        *result.misses,
        sep="\n",
    )
    assert result.precision >= TARGET, result.misses
    assert result.last_precision >= TARGET, result.misses
