"""Which language a paragraph of prose is written in: stop-word ratios and
language-specific letters, over the book's five languages (our own lists).

The heuristic is measured on the seed pages (`tests/i18n/test_langid.py`,
README "i18n status"): it looks at words only (code spans, math, roles,
links and images are not text), and answers None when a paragraph is too
short or has too few function words to tell.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from polybook.source.elements import Inline, TokenKind


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent function words of each language (articles, pronouns,
# prepositions, conjunctions, auxiliaries); words shared between two lists
# count for both.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _set(
        """the of and to a in is that we for this it as with are be on by an can our
        which from at not or its have has will their these than each into how when
        what also use only but so this was were there then such they you your would
        should may does do where while both here"""
    ),
    "fr": _set(
        """le la les de des du et un une est que qui dans pour sur pas par au aux
        nous ce cette ces il elle sont avec plus ou se son sa ses leur leurs on être
        peut comme mais ne l d qu c n s j y donc ainsi entre chaque tout tous"""
    ),
    "id": _set(
        """yang dan di ke dari untuk dengan ini itu pada adalah dalam kita akan tidak
        atau juga oleh sebagai dapat bisa lebih kami setiap satu karena bahwa maka
        jika sebuah telah ada agar tersebut namun hanya saat setelah"""
    ),
    "vi": _set(
        """của và là các có được trong một cho với này những để không chúng ta khi
        như từ thì đó theo ra sẽ vào cũng nhưng mỗi hơn rằng bằng hay nếu đã mà
        nên lại rồi"""
    ),
    "tr": _set(
        """bir ve bu için ile da de olarak daha çok gibi olan her ama veya ki şu bunu
        sonra kadar değil ise biz bizim olduğu tüm bunlar şimdi önce göre iki hem
        nasıl"""
    ),
}

# Letters that only (or almost only) one of the languages uses.
LETTERS: dict[str, frozenset[str]] = {
    "fr": frozenset("éèêàùçœëîïû"),
    "vi": frozenset("ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹãõũĩỹ"),
    "tr": frozenset("ışğ"),
}
LANGUAGES = tuple(STOP_WORDS)
# Fewer words than this, or a best score below MIN_SCORE: not decided.
MIN_WORDS = 5
MIN_SCORE = 0.08
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Guess:
    language: str | None  # None: not decided
    words: int
    scores: tuple[tuple[str, float], ...]


def prose_text(inline: Inline) -> str:
    """The words of an inline content: its text tokens, without link targets,
    URLs, code spans, math, roles or images."""
    return " ".join(t.text for t in inline.tokens if t.kind is TokenKind.TEXT)


def words(text: str) -> list[str]:
    """The words of `text`, lower case (link targets and URLs left out; a word
    with an apostrophe is two: `l'élagage`)."""
    text = _URL.sub(" ", _LINK_TARGET.sub("] ", text))
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        out.extend(w for w in re.split(r"'", word) if w)
    return out


def scores(tokens: Iterable[str], candidates: Collection[str]) -> dict[str, float]:
    """Per candidate language: the share of the words that are its stop words,
    plus twice the share of the letters that are its own."""
    found = list(tokens)
    total = len(found) or 1
    letters = "".join(found)
    out: dict[str, float] = {}
    for lang in candidates:
        stops = STOP_WORDS.get(lang, frozenset())
        value = sum(1 for w in found if w in stops) / total
        own = LETTERS.get(lang)
        if own and letters:
            value += 2 * sum(1 for ch in letters if ch in own) / len(letters)
        out[lang] = value
    return out


def identify(text: str, candidates: Collection[str] = LANGUAGES) -> Guess:
    """The language among `candidates` that `text` is most likely written in."""
    found = words(text)
    table = scores(found, candidates)
    ranked = tuple(sorted(table.items(), key=lambda kv: (-kv[1], kv[0])))
    if len(found) < MIN_WORDS or not ranked or ranked[0][1] < MIN_SCORE:
        return Guess(None, len(found), ranked)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return Guess(None, len(found), ranked)
    return Guess(ranked[0][0], len(found), ranked)
