"""The search of a site in its language (loaded by `sphinx_ext`).

Sphinx indexes the pages of a language it has no search language for with
its English rules (English stemming and stop words). polybook adds:

- Indonesian: Snowball's Indonesian stemmer, the same rules in the index
  (Python, snowballstemmer) and for the reader's query (JavaScript, the
  Snowball stemmer Sphinx ships): "pelatihan", "melatih" and "latihan" are
  all "latih".
- Vietnamese: one term per syllable (Vietnamese writes a word as syllables
  separated by spaces), nothing stemmed and no stop words; text and query are
  put in composed form (NFC) first, so a query typed with combining tone marks
  finds the same syllables.

French and Turkish use Sphinx's own (Snowball stemmers); English is Sphinx's.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage


class SearchIndonesian(SearchLanguage):
    lang = "id"
    language_name = "Indonesian"  # the JavaScript stemmer is `IndonesianStemmer`
    js_stemmer_rawcode = "indonesian-stemmer.js"
    stopwords = frozenset()

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.stemmer: Any = snowballstemmer.stemmer("indonesian")

    def stem(self, word: str) -> str:
        return str(self.stemmer.stemWord(word.lower()))


# letters, digits and the combining marks a syllable may keep after composition
_SYLLABLE = re.compile(r"(?:\w|[\u0300-\u036f\u1dc0-\u1dff])+")

VIETNAMESE_SPLITTER = """
function splitQuery(query) {
  // polybook, Vietnamese: one term per syllable, in composed form (NFC)
  return query
    .normalize("NFC")
    .split(/[^\\p{Letter}\\p{Mark}\\p{Number}_]+/u)
    .filter((term) => term);
}
"""


class SearchVietnamese(SearchLanguage):
    lang = "vi"
    language_name = "Vietnamese"
    js_splitter_code = VIETNAMESE_SPLITTER
    stopwords = frozenset()

    def split(self, input: str) -> list[str]:
        return _SYLLABLE.findall(unicodedata.normalize("NFC", input))

    def stem(self, word: str) -> str:
        return unicodedata.normalize("NFC", word).lower()


LANGUAGES: tuple[type[SearchLanguage], ...] = (SearchIndonesian, SearchVietnamese)


def setup(app: Sphinx) -> None:
    for language in LANGUAGES:
        app.add_search_language(language)
