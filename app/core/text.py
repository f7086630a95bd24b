"""The one text normaliser: what search indexes and what it looks for go through the same steps.

Arabic is written with optional diacritics, several forms of alef and hamza, tatweel, and clitics
glued to the word (والمفاوضات = "and the negotiations"); English inflects ("negotiations"). Both
sides of a search — the stored text and the query — are reduced to the same terms here, so the
database backends only ever compare plain terms and behave alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from unidecode import unidecode

_REMOVED = re.compile(
    "[\u064b-\u065f\u0670\u0640"  # harakat, superscript alef, tatweel
    "\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"  # bidi and zero-width controls
)
_FOLDED = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_MAX_PASSES = 5
_WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')


def normalize(text: str) -> str:
    """NFKC; Arabic diacritics, tatweel and invisible controls removed; letter variants folded;
    Eastern digits made ASCII; Latin case-folded. Idempotent."""
    # Each step can expose work for another (removing a mark lets an accent compose; case
    # folding decomposes ǰ), so passes repeat until one changes nothing; each ends on NFKC, as
    # Unicode's NFKC_Casefold does (bounded, should some input never settle).
    for _ in range(_MAX_PASSES):
        folded = _REMOVED.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLDED)
        result = unicodedata.normalize("NFKC", folded.casefold())
        if result == text:
            break
        text = result
    return text


def _strip_clitics(word: str) -> str:
    """و/ف, then ب/ك/ل, then ال (or the contracted لل) — each only if enough of a word is left."""
    if word[0] in "وف" and len(word) - 1 >= 3:
        word = word[1:]
    if word.startswith("لل") and len(word) - 2 >= 2:
        return word[2:]
    if word[0] in "بكل" and len(word) - 1 >= 3:
        word = word[1:]
    if word.startswith("ال") and len(word) - 2 >= 2:
        word = word[2:]
    return word


@lru_cache(maxsize=1)
def _english() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


# Words repeat a great deal (place and actor names, "clash", "truce"); the pure-Python
# stemmer dominated imports before its answers were remembered.
@lru_cache(maxsize=100_000)
def _term(word: str) -> str:
    if _ARABIC.search(word):
        return _strip_clitics(word)
    if word.isdigit():
        return word
    return str(_english().stemWord(word))


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order: normalised words, Arabic clitics stripped, English
    words stemmed."""
    return list(_remembered_terms(text) if len(text) <= _SHORT else _terms(text))


def _terms(text: str) -> tuple[str, ...]:
    return tuple(_term(word) for word in _WORD.findall(normalize(text)))


# Short texts repeat too: every event an actor or a place is in holds its names (indexing an
# import of 10,000 events spent 0.6 s on terms, 0.25 s with these remembered). Long texts
# rarely repeat, and remembering them would let this grow to gigabytes.
_SHORT = 200
_remembered_terms = lru_cache(maxsize=20_000)(_terms)


def prefix_term(word: str) -> str:
    """What a half-typed word can still match in the index: Arabic as typed (clitics aside);
    Latin cut back to what its stem and its typed letters share ("negotia" and "negotiations"
    both reach "negoti"), as the word may not be finished."""
    word = normalize(word)
    term = _term(word)
    if _ARABIC.search(word) or word.isdigit() or len(word) <= 4:
        return term
    shorter = word[:-2]
    shared = next((i for i, (a, b) in enumerate(zip(term, shorter, strict=False)) if a != b), None)
    return term[:shared] if shared is not None else term[: len(shorter)]


def typed_prefix(text: str) -> tuple[tuple[str, ...], str] | None:
    """(the finished words' terms, the prefix of the word being typed) of a suggestion box's
    text, or None if it has no word yet."""
    words = _WORD.findall(normalize(text))
    if not words:
        return None
    return tuple(_term(w) for w in words[:-1]), prefix_term(words[-1])


class EmptyQuery(ValueError):
    """A query with nothing to look for (empty, punctuation or diacritics only, or only -terms)."""


@dataclass(frozen=True)
class SearchQuery:
    """What to find: every `include` phrase and none of the `exclude` ones (phrases of terms).

    A one-term phrase typed as a plain word may also be matched loosely, by near spellings and
    longer words, when no record holds it as typed (app.search.loose); `quoted` lists the
    one-word phrases typed in quotes, which match exactly."""

    include: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]
    quoted: tuple[str, ...] = ()
    # (word, the terms it may also match): filled in by the search, never by the parser.
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The terms typed as plain words (not in quotes), each once, in order."""
        plain = (p[0] for p in self.include if len(p) == 1 and p[0] not in self.quoted)
        return tuple(dict.fromkeys(plain))


def parse_query(q: str) -> SearchQuery:
    """Words, "quoted phrases" and -exclusions; operator characters are only text."""
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    quoted: list[str] = []
    for quoted_minus, phrase, word_minus, word in _QUERY_PART.findall(q):
        found = [tuple(terms(phrase))] if phrase else [(term,) for term in terms(word)]
        target = exclude if (quoted_minus or word_minus) else include
        target.extend(part for part in found if part)
        if phrase and target is include and len(found[0]) == 1:
            quoted.append(found[0][0])
    if not include:
        raise EmptyQuery("The query has no words to search for.")
    return SearchQuery(include=tuple(include), exclude=tuple(exclude), quoted=tuple(quoted))


_ARTICLE = re.compile(r"^(?:ال|al[- ]|el[- ])")
_NOT_CONSONANT = re.compile(r"[^a-z]|[aeiouwy]")


def skeleton(name: str) -> str:
    """A consonant key shared by spellings of a name across scripts: حفتر, Haftar and Hifter
    all give "hftr"."""
    latin = unidecode(_ARTICLE.sub("", normalize(name).strip())).lower()
    return _NOT_CONSONANT.sub("", latin).removesuffix("h")
