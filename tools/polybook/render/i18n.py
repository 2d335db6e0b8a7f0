"""The words a site uses in its own language: numbered references and notices."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Words:
    figure: str  # numfig formats: "%s" is the number
    table: str
    section: str
    listing: str
    equation: str  # math_eqref_format: "{number}" is the number
    untranslated_title: str
    untranslated_text: str  # {language}, {source}: names in this language (`language_name`)
    no_code_title: str
    no_code_text: str  # {framework}
    language: str
    framework: str
    all_frameworks: str
    and_two: str  # between the two authors of a citation: "Kingma and Ba"
    and_last: str  # before the last of three or more authors
    references: str  # title of the reference list a book without :bibliography: gets
    search_placeholder: str  # the search field's placeholder
    colab_title: str  # the tooltip of an "Open in Colab" link

    def numfig_format(self) -> dict[str, str]:
        return {
            "figure": self.figure,
            "table": self.table,
            "section": self.section,
            "code-block": self.listing,
        }

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


WORDS: dict[str, Words] = {
    "en": Words(
        figure="Figure %s",
        table="Table %s",
        section="Section %s",
        listing="Listing %s",
        equation="Equation ({number})",
        untranslated_title="Not yet translated",
        untranslated_text=(
            "This page has not been translated into {language} yet; it is shown in {source}."
        ),
        no_code_title="No {framework} code",
        no_code_text=(
            "This page has no {framework} version of its code yet; only its text is shown."
        ),
        language="Language",
        framework="Framework",
        all_frameworks="All frameworks",
        and_two=" and ",
        and_last=", and ",
        references="References",
        search_placeholder="Search...",
        colab_title="Open the notebook in Colab",
    ),
    "id": Words(
        figure="Gambar %s",
        table="Tabel %s",
        section="Bagian %s",
        listing="Kode %s",
        equation="Persamaan ({number})",
        untranslated_title="Belum diterjemahkan",
        untranslated_text=(
            "Halaman ini belum diterjemahkan ke dalam {language}; halaman ini ditampilkan "
            "dalam {source}."
        ),
        no_code_title="Tidak ada kode {framework}",
        no_code_text=(
            "Halaman ini belum memiliki kode versi {framework}; hanya teksnya yang ditampilkan."
        ),
        language="Bahasa",
        framework="Kerangka kerja",
        all_frameworks="Semua kerangka kerja",
        and_two=" dan ",
        and_last=", dan ",
        references="Referensi",
        search_placeholder="Cari...",
        colab_title="Buka notebook di Colab",
    ),
    "fr": Words(
        figure="Figure %s",
        table="Tableau %s",
        section="Section %s",
        listing="Code %s",
        equation="Équation ({number})",
        untranslated_title="Pas encore traduit",
        untranslated_text=(
            "Cette page n'est pas encore traduite en {language} ; elle est affichée en {source}."
        ),
        no_code_title="Pas de code {framework}",
        no_code_text=(
            "Cette page n'a pas encore de version {framework} de son code ; "
            "seul le texte est affiché."
        ),
        language="Langue",
        framework="Framework",
        all_frameworks="Tous les frameworks",
        and_two=" et ",
        and_last=" et ",
        references="Références",
        search_placeholder="Rechercher...",
        colab_title="Ouvrir le notebook dans Colab",
    ),
    "vi": Words(
        figure="Hình %s",
        table="Bảng %s",
        section="Mục %s",
        listing="Mã %s",
        equation="Phương trình ({number})",
        untranslated_title="Chưa được dịch",
        untranslated_text=(
            "Trang này chưa được dịch sang {language}; nội dung được hiển thị bằng {source}."
        ),
        no_code_title="Không có mã {framework}",
        no_code_text="Trang này chưa có mã {framework}; chỉ phần văn bản được hiển thị.",
        language="Ngôn ngữ",
        framework="Framework",
        all_frameworks="Tất cả framework",
        and_two=" và ",
        and_last=" và ",
        references="Tài liệu tham khảo",
        search_placeholder="Tìm kiếm...",
        colab_title="Mở notebook trong Colab",
    ),
    "tr": Words(
        figure="Şekil %s",
        table="Tablo %s",
        section="Bölüm %s",
        listing="Kod %s",
        equation="Denklem ({number})",
        untranslated_title="Henüz çevrilmedi",
        untranslated_text=(
            "Bu sayfanın henüz {language} çevirisi yok; sayfa {source} olarak gösteriliyor."
        ),
        no_code_title="{framework} kodu yok",
        no_code_text="Bu sayfanın henüz {framework} kodu yok; yalnızca metni gösteriliyor.",
        language="Dil",
        framework="Çerçeve",
        all_frameworks="Tüm çerçeveler",
        and_two=" ve ",
        and_last=" ve ",
        references="Kaynakça",
        search_placeholder="Ara...",
        colab_title="Not defterini Colab'de aç",
    ),
}


# The name of each language (outer key) as a reader of another (inner key)
# writes it inside a sentence: "affichée en anglais", "dalam bahasa Inggris".
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "en": "English",
        "id": "bahasa Inggris",
        "fr": "anglais",
        "vi": "tiếng Anh",
        "tr": "İngilizce",
    },
    "id": {
        "en": "Indonesian",
        "id": "bahasa Indonesia",
        "fr": "indonésien",
        "vi": "tiếng Indonesia",
        "tr": "Endonezce",
    },
    "fr": {
        "en": "French",
        "id": "bahasa Prancis",
        "fr": "français",
        "vi": "tiếng Pháp",
        "tr": "Fransızca",
    },
    "vi": {
        "en": "Vietnamese",
        "id": "bahasa Vietnam",
        "fr": "vietnamien",
        "vi": "tiếng Việt",
        "tr": "Vietnamca",
    },
    "tr": {
        "en": "Turkish",
        "id": "bahasa Turki",
        "fr": "turc",
        "vi": "tiếng Thổ Nhĩ Kỳ",
        "tr": "Türkçe",
    },
}


def _base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0]


def words_for(lang: str) -> Words:
    """The words of `lang`; English for a language polybook has no words for."""
    return WORDS.get(lang, WORDS.get(_base(lang), WORDS["en"]))


def language_name(code: str, reader: str, configured: str) -> str:
    """The name of language `code` in a sentence written in `reader`'s language;
    `configured` (the book's name for it, `[languages.<code>] name`) when
    polybook does not know the pair."""
    names = LANGUAGE_NAMES.get(code) or LANGUAGE_NAMES.get(_base(code), {})
    return names.get(reader) or names.get(_base(reader)) or configured
