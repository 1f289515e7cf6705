"""Words, stop words and French stems: the Python side of the index (used as is on SQLite,
and to read queries on both databases). PostgreSQL stems with its own `french_stem`, the
same Snowball algorithm."""

import re
import threading
from functools import lru_cache

import snowballstemmer

from ..text import normalize_for_search

WORD = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})

# PostgreSQL's french.stop (the Snowball list), accents removed as unaccent removes them.
STOP_WORDS = frozenset(
    normalize_for_search(
        "au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même "
        "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te "
        "tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant "
        "étante étants étantes suis es est sommes êtes sont serai seras sera serons serez "
        "seront serais serait serions seriez seraient étais était étions étiez étaient fus "
        "fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions "
        "fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont "
        "aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais "
        "avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient "
        "eusse eusses eût eussions eussiez eussent"
    ).split()
)

# A snowball stemmer keeps the word it works on in itself: one per thread (gunicorn's
# threads stem search words at the same time; one shared stemmer mixed their words up).
_stemmers = threading.local()


def normalize_word(text: str) -> str:
    return normalize_for_search(text).translate(LIGATURES)


def words(text: str) -> list[str]:
    """The lower-case, accent-free words of a text: "L'aide à la Crèche" -> l aide a la creche."""
    return WORD.findall(normalize_word(text))


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    stemmer = getattr(_stemmers, "french", None)
    if stemmer is None:
        stemmer = _stemmers.french = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def stems_text(text: str) -> str:
    """The French stems of a text's words, stop words left out (SQLite's stemmed columns)."""
    return " ".join(stem(word) for word in words(text) if word not in STOP_WORDS)


def exact_text(text: str) -> str:
    """The text's words as written, accents removed (SQLite's exact columns)."""
    return " ".join(words(text))


def spellings(text: str) -> dict[str, str]:
    """{accent-free word: its spelling} for the words of 3 letters or more of a text."""
    found = {}
    for token in WORD.findall(text.casefold()):
        key = normalize_word(token)
        if len(key) >= 3 and WORD.fullmatch(key):
            found.setdefault(key, token)
    return found
