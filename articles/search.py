"""The search index, kept and queried (the rules are in articles/core/search.py).

Kept: `Story.publish` calls `index_published` and `Revision.retract` calls `rebuild`, inside
their own transaction, so the index never shows a revision that was not stored or one that was
retracted; `reparse` rebuilds every story's. Only the index's own tables are read in SQL here:
documents come through `Revision.document()`.

Queried: PostgreSQL matches the stored tsvector columns (GIN) with websearch_to_tsquery and
ranks with ts_rank_cd; SQLite matches its FTS5 tables and ranks with bm25. Each group is the
best RESULTS_PER_GROUP stories, each with a highlighted snippet; in the earlier group a story
shows its latest removal that matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from articles.core.document import Document
from articles.core.search import (
    RESULTS_PER_GROUP,
    START,
    STOP,
    Removed,
    Snippet,
    live_text,
    parse_query,
    passages,
    read_marks,
    removals,
    track_removals,
)
from articles.models import RemovedPassage, SearchText, Story

# In the SQL below, as literals: the headline counts most, then the dek, then the body (SQLite's
# bm25 weights 10, 4, 1; PostgreSQL's setweight classes A, B, C in migration 0008), and
# PostgreSQL's text search configuration is 'english', as in migration 0008.
# A snippet is about this many words around the matches.
SNIPPET_WORDS = 24


# --- keeping the index -----------------------------------------------------------------------


def index_published(
    story: Story, document: Document, number: int, previous: tuple[int, Document] | None
) -> None:
    """Revision `number` (`document`) became live after `previous` (its number and document)."""
    headline, dek, body = live_text(document)
    SearchText.objects.update_or_create(
        story=story, defaults={"headline": headline, "dek": dek, "body": body}
    )
    current = passages(document)
    old = passages(previous[1]) if previous else None
    stored = story.removed_passages.filter(key__in=list(current)).values_list("key", flat=True)
    already = {key: Removed("", 0, 0) for key in stored}
    gone, back = track_removals(already, old, previous[0] if previous else 0, current, number)
    if back:
        story.removed_passages.filter(key__in=list(back)).delete()
    _store(story, gone, replace=True)


def rebuild(story: Story) -> None:
    """Make the story's index again from its live revisions, in order."""
    SearchText.objects.filter(story=story).delete()
    story.removed_passages.all().delete()
    history = [(revision.number, revision.document()) for revision in story.revisions.live().walk()]
    if not history:
        return  # nothing live: nothing of the story is searchable
    headline, dek, body = live_text(history[-1][1])
    SearchText.objects.create(story=story, headline=headline, dek=dek, body=body)
    _store(story, removals(history), replace=False)


def _store(story: Story, removed: dict[str, Removed], *, replace: bool) -> None:
    if not removed:
        return
    if replace:
        story.removed_passages.filter(key__in=list(removed)).delete()
    RemovedPassage.objects.bulk_create(
        RemovedPassage(
            story=story,
            key=key,
            text=passage.text,
            last_seen=passage.last_seen,
            removed_in=passage.removed_in,
        )
        for key, passage in removed.items()
    )


# --- searching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    story: Story
    snippet: Snippet
    last_seen: int | None = None  # for a removed passage: the last revision with it
    removed_in: int | None = None  # and the one that removed it

    @property
    def snippet_html(self) -> SafeString:
        """The snippet with its matches in <mark>, every piece of text escaped."""
        text, pieces, at = self.snippet.text, [], 0
        for start, end in self.snippet.highlights:
            pieces += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
            at = end
        pieces.append(escape(text[at:]))
        return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped


@dataclass(frozen=True)
class Results:
    query: str
    live: list[Hit]
    earlier: list[Hit]


def search(text: str) -> Results:
    query = parse_query(text)
    if not query.searchable:
        return Results(query.text, [], [])
    if connection.vendor == "postgresql":
        live, earlier = _postgresql(query.text)
    elif connection.vendor == "sqlite":
        live, earlier = _sqlite(query.fts5())
    else:
        live, earlier = [], []
    stories = Story.objects.in_bulk([row[0] for row in live + earlier])
    return Results(
        query.text,
        [Hit(stories[row[0]], read_marks(row[1])) for row in live],
        [Hit(stories[row[0]], read_marks(row[1]), row[2], row[3]) for row in earlier],
    )


def _postgresql(text: str) -> tuple[list[tuple], list[tuple]]:
    """Three statements, each reading a story's live vector at most once: every live match
    with its rank (a common word matches most stories: the earlier group skips them by id,
    without matching their live text again), the best ones' snippets (from the first line, a
    headline, dek or block, that matches on its own; ts_headline over the whole body cost
    1.4 ms a story), then the earlier group:
    of each other story, its latest matching removal, and only those few are ranked. The
    tsquery is written inline, not in a CTE, so that the planner can use the GIN indexes."""
    options = (
        f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, '
        f'MinWords={SNIPPET_WORDS // 2}, MaxFragments=2, FragmentDelimiter=" … "'
    )
    args: dict[str, str | int | list[int]] = {"q": text, "options": options, "n": RESULTS_PER_GROUP}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT story_id, ts_rank_cd(vector, websearch_to_tsquery('english', %(q)s))
            FROM articles_searchtext WHERE vector @@ websearch_to_tsquery('english', %(q)s)
            """,
            args,
        )
        ranked = sorted(cursor.fetchall(), key=lambda row: (-row[1], -row[0]))
        best = [story for story, _ in ranked[:RESULTS_PER_GROUP]]
        cursor.execute(
            """
            SELECT story_id, ts_headline('english', coalesce(
                    (SELECT line FROM unnest(string_to_array(
                        headline || E'\n' || dek || E'\n' || body, E'\n')) AS line
                    WHERE to_tsvector('english', line) @@ websearch_to_tsquery('english', %(q)s)
                    LIMIT 1),
                    headline || E'\n' || dek || E'\n' || body),
                websearch_to_tsquery('english', %(q)s), %(options)s)
            FROM articles_searchtext WHERE story_id = ANY(%(best)s)
            """,
            {**args, "best": best},
        )
        snippets = dict(cursor.fetchall())
        live = [(story, snippets[story]) for story in best]
        # The stories whose live text does not match, by id: when a common word matches most
        # stories the planner reads the few others' passages by story instead of every match.
        cursor.execute("SELECT story_id FROM articles_searchtext")
        matched = {story for story, _ in ranked}
        others = [story for (story,) in cursor.fetchall() if story not in matched]
        cursor.execute(
            """
            SELECT story_id, ts_headline('english', text, websearch_to_tsquery('english', %(q)s),
                %(options)s), last_seen, removed_in
            FROM (
                SELECT *, ts_rank_cd(vector, websearch_to_tsquery('english', %(q)s)) AS rank
                FROM (
                    SELECT DISTINCT ON (story_id) story_id, text, vector, last_seen, removed_in
                    FROM articles_removedpassage
                    WHERE vector @@ websearch_to_tsquery('english', %(q)s)
                        AND story_id = ANY(%(others)s)
                    ORDER BY story_id, removed_in DESC, id DESC
                ) latest
                ORDER BY rank DESC, story_id DESC LIMIT %(n)s
            ) top
            ORDER BY rank DESC, story_id DESC
            """,
            {**args, "others": others},
        )
        return live, cursor.fetchall()


def _sqlite(expression: str) -> tuple[list[tuple], list[tuple]]:
    marks: list[str | int] = [START, STOP, " … ", SNIPPET_WORDS]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.story_id, snippet(articles_searchtext_fts, -1, %s, %s, %s, %s)
            FROM articles_searchtext_fts JOIN articles_searchtext t
                ON t.id = articles_searchtext_fts.rowid
            WHERE articles_searchtext_fts MATCH %s
            ORDER BY bm25(articles_searchtext_fts, 10.0, 4.0, 1.0), t.story_id DESC LIMIT %s
            """,
            [*marks, expression, RESULTS_PER_GROUP],
        )
        live = cursor.fetchall()
        cursor.execute(
            """
            WITH matching AS (
                SELECT t.story_id FROM articles_searchtext_fts
                JOIN articles_searchtext t ON t.id = articles_searchtext_fts.rowid
                WHERE articles_searchtext_fts MATCH %s
            ),
            found AS (
                SELECT p.story_id, p.last_seen, p.removed_in,
                    snippet(articles_removedpassage_fts, 0, %s, %s, %s, %s) AS snippet,
                    bm25(articles_removedpassage_fts) AS rank
                FROM articles_removedpassage_fts JOIN articles_removedpassage p
                    ON p.id = articles_removedpassage_fts.rowid
                WHERE articles_removedpassage_fts MATCH %s
                    AND p.story_id NOT IN (SELECT story_id FROM matching)
            ),
            best AS (
                SELECT *, row_number() OVER (
                    PARTITION BY story_id ORDER BY removed_in DESC, rank) AS n
                FROM found
            )
            SELECT story_id, snippet, last_seen, removed_in FROM best WHERE n = 1
            ORDER BY rank, story_id DESC LIMIT %s
            """,
            [expression, *marks, expression, RESULTS_PER_GROUP],
        )
        return live, cursor.fetchall()
