"""Words per language, without Sphinx: the untranslated-page notice, the
theme's words and the search languages (their use on built sites:
test_language_sites.py)."""

from __future__ import annotations

import contextlib
import gettext
import io
import re
import unicodedata
from pathlib import Path

import pydata_sphinx_theme  # type: ignore[import-untyped]
import pytest
import sphinx

from polybook.render.i18n import LANGUAGE_NAMES, WORDS, language_name
from polybook.render.search import SearchIndonesian, SearchVietnamese
from polybook.render.theme_text import mo_file, theme_messages

SUPPORTED = ("en", "id", "fr", "vi", "tr")

# --- the notice ------------------------------------------------------------

NOTICES = {
    "id": "Halaman ini belum diterjemahkan ke dalam bahasa Indonesia; halaman ini "
    "ditampilkan dalam bahasa Inggris.",
    "fr": "Cette page n'est pas encore traduite en français ; elle est affichée en anglais.",
    "vi": "Trang này chưa được dịch sang tiếng Việt; nội dung được hiển thị bằng tiếng Anh.",
    "tr": "Bu sayfanın henüz Türkçe çevirisi yok; sayfa İngilizce olarak gösteriliyor.",
}


@pytest.mark.parametrize("lang", sorted(NOTICES))
def test_the_notice_names_both_languages_in_the_readers_language(lang: str) -> None:
    words = WORDS[lang]
    text = words.untranslated_text.format(
        language=language_name(lang, lang, "configured"),
        source=language_name("en", lang, "configured"),
    )
    assert text == NOTICES[lang]


def test_every_supported_language_has_a_name_in_every_other() -> None:
    for code in SUPPORTED:
        for reader in SUPPORTED:
            assert LANGUAGE_NAMES[code][reader], (code, reader)
    assert language_name("fr", "en", "Français") == "French"
    assert language_name("en", "fr_FR", "English") == "anglais"
    # a pair polybook does not know: the book's own name for the language
    assert language_name("ja", "fr", "日本語") == "日本語"
    assert language_name("fr", "ja", "Français") == "Français"


# --- the theme's words -------------------------------------------------------


def _installed(lang: str) -> list[gettext.GNUTranslations]:
    """The `sphinx` catalogues Sphinx and pydata-sphinx-theme ship for `lang`."""
    out = []
    for package in (sphinx, pydata_sphinx_theme):
        folder = Path(str(package.__file__)).parent / "locale"
        with contextlib.suppress(OSError):
            out.append(gettext.translation("sphinx", str(folder), [lang]))
    return out


@pytest.mark.parametrize("lang", ["id", "vi", "tr", "fr"])
def test_the_theme_strings_are_translated_only_where_the_theme_has_none(lang: str) -> None:
    ours = theme_messages(lang)
    assert {"Main", "Toggle primary sidebar", "Toggle secondary sidebar"} <= set(ours)
    for msgid, text in ours.items():
        assert text and text != msgid
        assert all(c.gettext(msgid) == msgid for c in _installed(lang)), msgid
    # every string pydata-sphinx-theme has that neither catalogue translates is ours
    pot = (Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot").read_text()
    msgids = {m for m in re.findall(r'^msgid "(.+)"$', pot, re.M) if "<a" not in m}
    untranslated = {m for m in msgids if all(c.gettext(m) == m for c in _installed(lang))}
    assert untranslated - {"© Copyright %(copyright)s.", "Copyright %(copyright)s"} <= set(ours)


def test_the_catalogue_is_read_by_gettext_and_reproducible() -> None:
    messages = theme_messages("vi")
    data = mo_file(messages)
    assert data == mo_file(dict(reversed(list(messages.items()))))
    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    for msgid, text in messages.items():
        assert catalogue.gettext(msgid) == text
    assert catalogue.gettext("not in it") == "not in it"
    assert theme_messages("en") == {} and theme_messages("de") == {}


# --- search in Python ---------------------------------------------------------


def test_indonesian_words_share_their_stem() -> None:
    search = SearchIndonesian({})
    assert {search.stem(w) for w in ("pelatihan", "melatih", "latihan", "Dilatih")} == {"latih"}


def test_vietnamese_is_split_by_syllable_composed_and_not_stemmed() -> None:
    search = SearchVietnamese({})
    composed = "Học sâu, mạng nơ-ron."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert search.split(composed) == ["Học", "sâu", "mạng", "nơ", "ron"]
    assert search.split(decomposed) == search.split(composed)
    assert [search.stem(w) for w in search.split(decomposed)] == [
        "học",
        "sâu",
        "mạng",
        "nơ",
        "ron",
    ]
    assert search.stem("trainings") == "trainings"


def test_french_and_turkish_search_with_sphinxs_stemmers() -> None:
    from importlib import import_module

    from sphinx.search import SearchLanguage, languages

    for lang, words in (("fr", ("modèles", "modèle")), ("tr", ("modeller", "modelin"))):
        found = languages[lang]
        if isinstance(found, str):
            module, name = found.rsplit(".", 1)
            found = getattr(import_module(module), name)
        assert isinstance(found, type) and issubclass(found, SearchLanguage)
        search = found({})
        assert {search.stem(w) for w in words} == {"model"}, lang
