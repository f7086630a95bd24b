"""Search backends: the same question asked of SQLite FTS5 or of PostgreSQL full-text search.

Both index the terms app.core.text makes, so each backend only has to find documents holding
every wanted phrase and none of the excluded ones; which one runs is decided when a statement is
compiled for its database, so domain code builds one statement for both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Double,
    Select,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement

from app.core.text import SearchQuery
from app.models import SearchDocument
from app.search.vocabulary import TRIGRAMS, VOCABULARY, each

FTS = table("search_fts")
_KEYS_FTS = table("search_fts_keys")


class SearchBackend(Protocol):
    def matching(self, kind: str, query: SearchQuery) -> Select[Any]:
        """The ids of records of `kind` whose text has every include phrase and no exclude."""

    def ranked(self, kind: str, query: SearchQuery) -> Select[Any]:
        """Matching ids with a relevance score (higher is better)."""

    def starting(self, kind: str, words: tuple[str, ...], prefix: str) -> Select[Any]:
        """Ids of records holding every term in `words` and a term starting with `prefix`."""

    def near_names(self, kind: str, key: str) -> Select[Any]:
        """Ids of records with a name skeleton sharing trigrams with `key` (fuzzy candidates)."""

    def common(self, session: Session, query: SearchQuery) -> bool:
        """Whether so many records match that a page in timeline order is best found by
        walking the timeline index and checking each event, not by sorting every match."""

    def held(self, session: Session, kind: str, terms: Collection[str]) -> set[str]:
        """Which of `terms` some record of `kind` holds, asked in one statement (each term is
        one lookup in the full-text index, stopping at its first holder)."""

    def containing(self, kind: str, word: str) -> Select[Any]:
        """Listed terms of `kind` (app.search.vocabulary) containing `word` (3 letters or more)."""


# Terms hold only letters and digits (app.core.text), so quoting them cannot be escaped from.
COMMON_MATCHES = 5000


def _fts5_phrase(phrase: tuple[str, ...]) -> str:
    return '"' + " ".join(phrase) + '"'


def _tsquery_phrase(phrase: tuple[str, ...]) -> str:
    return "(" + " <-> ".join(f"'{term}'" for term in phrase) + ")"


def _included(
    query: SearchQuery, spell: Callable[[tuple[str, ...]], str], either: str
) -> list[str]:
    """Each include phrase in a backend's syntax; a word with alternatives matches any of them."""
    alternatives = dict(query.alternatives)
    return [
        "(" + either.join(spell((term,)) for term in (phrase[0], *alternatives[phrase[0]])) + ")"
        if len(phrase) == 1 and phrase[0] in alternatives
        else spell(phrase)
        for phrase in query.include
    ]


def trigrams(key: str) -> list[str]:
    """The three-letter pieces of a name skeleton (letters a-z only, so safe to quote)."""
    return sorted({key[i : i + 3] for i in range(len(key) - 2)})


def _containing(kind: str, key: str) -> Select[Any]:
    """Too short for trigrams: a plain substring scan of the (few) documents of `kind`."""
    return select(SearchDocument.record_id).where(
        SearchDocument.kind == kind, SearchDocument.keys.contains(key)
    )


class SqliteSearch:
    """FTS5 over the terms (search_fts), and an FTS5 trigram table over name skeletons."""

    @staticmethod
    def expression(query: SearchQuery) -> str:
        include = " AND ".join(_included(query, _fts5_phrase, " OR "))
        exclude = "".join(f" NOT {_fts5_phrase(phrase)}" for phrase in query.exclude)
        return f"({include}){exclude}"

    @staticmethod
    def _matched(kind: str, expression: str, *columns: Any) -> Select[Any]:
        return (
            select(SearchDocument.record_id, *columns)
            .select_from(SearchDocument)
            .join(FTS, literal_column("search_fts.rowid") == SearchDocument.id)
            .where(
                SearchDocument.kind == kind,
                text("search_fts MATCH :fts_query").bindparams(fts_query=expression),
            )
        )

    def matching(self, kind: str, query: SearchQuery) -> Select[Any]:
        return self._matched(kind, self.expression(query))

    def ranked(self, kind: str, query: SearchQuery) -> Select[Any]:
        score: Any = (-literal_column("bm25(search_fts)")).label("score")
        return self._matched(kind, self.expression(query), score)

    def starting(self, kind: str, words: tuple[str, ...], prefix: str) -> Select[Any]:
        phrases = [_fts5_phrase((word,)) for word in words]
        return self._matched(kind, " AND ".join([*phrases, _fts5_phrase((prefix,)) + " *"]))

    def common(self, session: Session, query: SearchQuery) -> bool:
        # Counting in FTS5 alone is cheap (18 ms for 80,000 of a million documents, measured);
        # sorting that many matches for a page of 50 is not (0.33 s, against 0.09 s walking).
        count = session.scalar(
            text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :fts_query"),
            {"fts_query": self.expression(query)},
        )
        return (count or 0) > COMMON_MATCHES

    def held(self, session: Session, kind: str, terms: Collection[str]) -> set[str]:
        phrases = {_fts5_phrase((term,)): term for term in terms}
        phrase = each(session, sorted(phrases))
        holder = (
            select(SearchDocument.id)
            .join(FTS, literal_column("search_fts.rowid") == SearchDocument.id)
            .where(SearchDocument.kind == kind, literal_column("search_fts").op("MATCH")(phrase))
        )
        return {phrases[found] for found in session.scalars(select(phrase).where(holder.exists()))}

    def containing(self, kind: str, word: str) -> Select[Any]:
        # The trigram tokenizer finds a quoted word anywhere inside a term.
        match = text("search_fts_vocabulary_trigrams MATCH :word")
        found: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(TRIGRAMS)
            .where(match.bindparams(word=_fts5_phrase((word,))))
        )
        return select(VOCABULARY.c.term).where(
            VOCABULARY.c.kind == kind, VOCABULARY.c.id.in_(found)
        )

    def near_names(self, kind: str, key: str) -> Select[Any]:
        if len(key) < 3:
            return _containing(kind, key)
        expression = " OR ".join(_fts5_phrase((t,)) for t in trigrams(key))
        return (
            select(SearchDocument.record_id)
            .join(_KEYS_FTS, literal_column("search_fts_keys.rowid") == SearchDocument.id)
            .where(
                SearchDocument.kind == kind,
                text("search_fts_keys MATCH :keys_query").bindparams(keys_query=expression),
            )
        )


# The vector is stored (migration 0013), never recomputed per row; 'simple' inline.
_VECTOR: ColumnElement[Any] = literal_column("search_documents.search_fts_vector")


class PostgresSearch:
    """A GIN index on each document's stored tsvector ('simple' configuration), and pg_trgm on
    the name skeletons."""

    def common(self, session: Session, query: SearchQuery) -> bool:
        # The planner walks the timeline index by itself when it pays, except that an OR of a
        # word's rare alternatives looks common to it: those are counted (see TextMatch).
        if not query.alternatives:
            return False
        matches = self.matching("event", query).limit(COMMON_MATCHES + 1).subquery()
        return (session.scalar(select(func.count()).select_from(matches)) or 0) > COMMON_MATCHES

    @staticmethod
    def expression(query: SearchQuery) -> str:
        include = " & ".join(_included(query, _tsquery_phrase, " | "))
        exclude = "".join(f" & !{_tsquery_phrase(phrase)}" for phrase in query.exclude)
        return include + exclude

    @staticmethod
    def _matched(
        kind: str, expression: str | ColumnElement[Any], ranked: bool = False
    ) -> Select[Any]:
        tsquery = func.to_tsquery(literal_column("'simple'"), expression)
        # ts_rank is a real; as a double it survives the trip through a cursor exactly.
        score = [cast(func.ts_rank(_VECTOR, tsquery), Double).label("score")] if ranked else []
        return select(SearchDocument.record_id, *score).where(
            SearchDocument.kind == kind, _VECTOR.op("@@")(tsquery)
        )

    def holding(self, query: SearchQuery) -> ColumnElement[bool]:
        """The search document in the statement holds `query`."""
        tsquery = func.to_tsquery(literal_column("'simple'"), self.expression(query))
        return _VECTOR.op("@@")(tsquery)

    def matching(self, kind: str, query: SearchQuery) -> Select[Any]:
        return self._matched(kind, self.expression(query))

    def ranked(self, kind: str, query: SearchQuery) -> Select[Any]:
        return self._matched(kind, self.expression(query), ranked=True)

    def starting(self, kind: str, words: tuple[str, ...], prefix: str) -> Select[Any]:
        phrases = [_tsquery_phrase((word,)) for word in words]
        return self._matched(kind, " & ".join([*phrases, f"'{prefix}':*"]))

    def held(self, session: Session, kind: str, terms: Collection[str]) -> set[str]:
        queries = {_tsquery_phrase((term,)): term for term in terms}
        query = each(session, sorted(queries))
        holder = self._matched(kind, query)
        return {queries[found] for found in session.scalars(select(query).where(holder.exists()))}

    @staticmethod
    def containing(kind: str, word: str) -> Select[Any]:
        # Answered by the trigram GIN index (terms hold only letters and digits: no wildcards).
        return select(VOCABULARY.c.term).where(
            VOCABULARY.c.kind == kind, VOCABULARY.c.term.like(f"%{word}%")
        )

    def near_names(self, kind: str, key: str) -> Select[Any]:
        if len(key) < 3:
            return _containing(kind, key)
        # Each LIKE is answered by the trigram GIN index; together, any shared trigram.
        return select(SearchDocument.record_id).where(
            SearchDocument.kind == kind,
            or_(*(SearchDocument.keys.like(f"%{t}%") for t in trigrams(key))),
        )


POSTGRES = PostgresSearch()
BACKENDS: dict[str, SearchBackend] = {"sqlite": SqliteSearch(), "postgresql": POSTGRES}


class TextMatch(ColumnElement[bool]):
    """`id_column` is the id of a record of `kind` matching `query`, on whichever database the
    statement is compiled for."""

    # The terms are inlined into the backend's query text, so the statement cannot be cached
    # under a key that ignores them. (The search hook relies on this: a statement with a key
    # holds no text match; app.search.loose.give_alternatives.)
    inherit_cache = False

    def __init__(
        self,
        id_column: Any,
        kind: str,
        query: SearchQuery,
        *,
        common: bool = False,
        joined: bool = False,
    ) -> None:
        """`common`: the query matches many records; see `SearchBackend.common`. `joined`: the
        statement joins each record's search document, whose vector PostgreSQL tests in place
        (app.events.filters.TextWalk)."""
        self.id_column, self.kind, self.query = id_column, kind, query
        self.common, self.joined = common, joined

    def asking(self, query: SearchQuery) -> TextMatch:
        """The same match asking `query` instead (its words' alternatives, app.search.loose)."""
        return TextMatch(self.id_column, self.kind, query, common=self.common, joined=self.joined)


@compiles(TextMatch)
def _compile_text_match(element: TextMatch, compiler: Any, **kw: Any) -> str:
    if element.joined and compiler.dialect.name == "postgresql":
        return str(compiler.process(POSTGRES.holding(element.query), **kw))
    backend = BACKENDS[compiler.dialect.name]
    matches = backend.matching(element.kind, element.query)
    if compiler.dialect.name == "postgresql" and element.query.alternatives and not element.common:
        # The planner takes an OR of rare words for a common one and walks the whole timeline
        # checking each event (1.5 s for 106 matches of 100,000 events); from an array, the
        # few matches are looked up by id (6 ms).
        ids = compiler.process(element.id_column, **kw)
        return f"{ids} = ANY(ARRAY({compiler.process(matches, **kw)}))"
    clause: ClauseElement = element.id_column.in_(matches)
    sql = str(compiler.process(clause, **kw))
    if element.common and compiler.dialect.name == "sqlite":
        # SQLite's unary + keeps the planner from looking events up by id from the matches
        # (then sorting them all): it walks the timeline index and checks each event instead.
        sql = "+" + sql
    return sql
