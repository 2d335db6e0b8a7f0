"""The theme's words in the site's language, where the theme has none.

pydata-sphinx-theme (under sphinx-book-theme) translates its templates'
strings through Sphinx's `sphinx` message domain, and ships catalogues for a
few languages only (French among them; not Indonesian, Vietnamese or
Turkish); polybook's own templates (`templates/`) add a few strings, and
Sphinx's own catalogues leave some empty (Vietnamese: most of the search
page). The missing translations are written into each site's source tree as
a gettext catalogue (`locale_dirs`), which Sphinx consults before its own; a
string is here only for a language whose installed catalogues lack it.

The search page's script takes its words from Sphinx's JavaScript catalogue,
where an empty translation shows as nothing ("Search finished, found 3
pages" is empty in Indonesian and Vietnamese): the site gets that catalogue
with its empty entries filled from here, or left out (then English shows).
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = "_pb_locale"  # in the site's source tree: conf.py's locale_dirs
DOMAIN = "sphinx"  # the domain the themes' templates translate through

_MANY_WORDS = "Searching for multiple words only shows matches that contain\n    all words."
_NO_MATCH = (
    "Your search did not match any documents. Please make sure that all words are "
    "spelled correctly and that you've selected enough categories."
)
_FOUND = "Search finished, found one page matching the search query."

_SHARED: dict[str, dict[str, str]] = {
    "id": {
        "Click to expand": "Klik untuk membuka",
        "Click to collapse": "Klik untuk menutup",
        "Skip to main content": "Langsung ke konten utama",
        "Back to top": "Kembali ke atas",
        "Please activate JavaScript to enable the search functionality.": (
            "Aktifkan JavaScript untuk menggunakan fitur pencarian."
        ),
        "Breadcrumb": "Jejak navigasi",
        "Home": "Beranda",
        "Copyright %(copyright)s": "Hak cipta %(copyright)s",
        "© Copyright %(copyright)s.": "© Hak cipta %(copyright)s.",
        "Edit on %(provider)s": "Sunting di %(provider)s",
        "Edit": "Sunting",
        "Indices": "Indeks",
        "On this page": "Di halaman ini",
        "previous page": "halaman sebelumnya",
        "next page": "halaman berikutnya",
        "Collapse Sidebar": "Tutup bilah sisi",
        "Expand Sidebar": "Buka bilah sisi",
        "Section Navigation": "Navigasi bagian",
        "Color mode": "Mode warna",
        "Light": "Terang",
        "Dark": "Gelap",
        "System Settings": "Pengaturan sistem",
        "Version warning": "Peringatan versi",
        "Announcement": "Pengumuman",
        "Site navigation": "Navigasi situs",
        "Main": "Navigasi utama",
        "Toggle primary sidebar": "Tampilkan atau sembunyikan bilah sisi utama",
        "Toggle secondary sidebar": "Tampilkan atau sembunyikan daftar isi halaman",
    },
    "vi": {
        "Click to expand": "Nhấn để mở rộng",
        "Click to collapse": "Nhấn để thu gọn",
        "Skip to main content": "Chuyển đến nội dung chính",
        "Back to top": "Về đầu trang",
        "Please activate JavaScript to enable the search functionality.": (
            "Hãy bật JavaScript để sử dụng chức năng tìm kiếm."
        ),
        "Breadcrumb": "Đường dẫn điều hướng",
        "Home": "Trang chủ",
        "Copyright %(copyright)s": "Bản quyền %(copyright)s",
        "© Copyright %(copyright)s.": "© Bản quyền %(copyright)s.",
        "Edit on %(provider)s": "Chỉnh sửa trên %(provider)s",
        "Edit": "Chỉnh sửa",
        "Indices": "Chỉ mục",
        "On this page": "Trong trang này",
        "previous page": "trang trước",
        "next page": "trang sau",
        "Collapse Sidebar": "Thu gọn thanh bên",
        "Expand Sidebar": "Mở rộng thanh bên",
        "Section Navigation": "Điều hướng trong mục",
        "Color mode": "Chế độ màu",
        "Light": "Sáng",
        "Dark": "Tối",
        "System Settings": "Theo cài đặt hệ thống",
        "Version warning": "Cảnh báo phiên bản",
        "Announcement": "Thông báo",
        "Site navigation": "Điều hướng trang web",
        "Main": "Điều hướng chính",
        "Toggle primary sidebar": "Ẩn hoặc hiện thanh bên chính",
        "Toggle secondary sidebar": "Ẩn hoặc hiện mục lục của trang",
        # Sphinx's own catalogue has these empty
        "Search Results": "Kết quả tìm kiếm",
        "Searching": "Đang tìm kiếm",
        "Preparing search...": "Đang chuẩn bị tìm kiếm...",
        "Hide Search Matches": "Ẩn kết quả tìm kiếm",
        "Quick search": "Tìm kiếm nhanh",
        "Table of Contents": "Mục lục",
        "This Page": "Trang này",
        "Index": "Chỉ mục",
        "Search Page": "Trang tìm kiếm",
        "search": "tìm kiếm",
        _MANY_WORDS: "Khi tìm nhiều từ, chỉ những trang chứa tất cả các từ đó được liệt kê.",
        "Expand sidebar": "Mở rộng thanh bên",
        "Collapse sidebar": "Thu gọn thanh bên",
        ", in ": ", trong ",
        _NO_MATCH: (
            "Không có trang nào khớp với tìm kiếm. Hãy kiểm tra chính tả của các từ "
            "và chắc chắn rằng bạn đã chọn đủ danh mục."
        ),
    },
    "tr": {
        "Click to expand": "Genişletmek için tıklayın",
        "Click to collapse": "Daraltmak için tıklayın",
        "Skip to main content": "Ana içeriğe geç",
        "Back to top": "Başa dön",
        "Please activate JavaScript to enable the search functionality.": (
            "Arama işlevini kullanmak için lütfen JavaScript'i etkinleştirin."
        ),
        "Breadcrumb": "Konum",
        "Home": "Ana sayfa",
        "Copyright %(copyright)s": "Telif hakkı %(copyright)s",
        "© Copyright %(copyright)s.": "© Telif hakkı %(copyright)s.",
        "Edit on %(provider)s": "%(provider)s üzerinde düzenle",
        "Edit": "Düzenle",
        "Indices": "Dizinler",
        "On this page": "Bu sayfada",
        "previous page": "önceki sayfa",
        "next page": "sonraki sayfa",
        "Collapse Sidebar": "Kenar çubuğunu daralt",
        "Expand Sidebar": "Kenar çubuğunu genişlet",
        "Section Navigation": "Bölüm içinde gezinme",
        "Color mode": "Renk modu",
        "Light": "Açık",
        "Dark": "Koyu",
        "System Settings": "Sistem ayarları",
        "Version warning": "Sürüm uyarısı",
        "Announcement": "Duyuru",
        "Site navigation": "Site içinde gezinme",
        "Main": "Ana gezinme",
        "Toggle primary sidebar": "Ana kenar çubuğunu aç veya kapat",
        "Toggle secondary sidebar": "Sayfa içeriğini aç veya kapat",
        _MANY_WORDS: (
            "Birden fazla sözcükle arama, yalnızca tüm sözcükleri içeren sayfaları gösterir."
        ),
    },
    "fr": {
        "Main": "Navigation principale",
        "Toggle primary sidebar": "Afficher ou masquer la barre latérale principale",
        "Toggle secondary sidebar": "Afficher ou masquer la table des matières de la page",
    },
}


# the search page's count of results: its plural forms (as the language's
# catalogue counts them); the script puts the number for ${resultCount}
_PLURALS: dict[str, dict[str, list[str]]] = {
    "id": {_FOUND: ["Pencarian selesai, ${resultCount} halaman cocok dengan pencarian."]},
    "vi": {_FOUND: ["Tìm kiếm xong, có ${resultCount} trang khớp với tìm kiếm."]},
    "tr": {
        _FOUND: [
            "Arama tamamlandı, aramayla eşleşen bir sayfa bulundu.",
            "Arama tamamlandı, aramayla eşleşen ${resultCount} sayfa bulundu.",
        ]
    },
}
_SCRIPT_CATALOGUE = re.compile(r"Documentation\.addTranslations\((.*)\);", re.S)


def _base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0]


def theme_messages(lang: str) -> dict[str, str]:
    """The theme's strings polybook translates for `lang` (msgid -> text)."""
    return dict(_SHARED.get(lang) or _SHARED.get(_base(lang)) or {})


def script_catalogue(lang: str) -> str | None:
    """Sphinx's JavaScript catalogue of `lang` (`translations.js`), its empty
    translations filled from polybook's or left out; None: Sphinx has none, or
    nothing is empty in it."""
    import sphinx

    source = Path(sphinx.__file__).parent / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    try:
        match = _SCRIPT_CATALOGUE.search(source.read_text("utf-8"))
        catalogue = json.loads(match.group(1)) if match else None
    except (OSError, ValueError):
        return None
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("messages"), dict):
        return None
    ours: dict[str, str | list[str]] = {
        **theme_messages(lang),
        **(_PLURALS.get(lang) or _PLURALS.get(_base(lang)) or {}),
    }
    messages: dict[str, object] = {}
    for msgid, text in catalogue["messages"].items():
        if msgid in ours:
            messages[msgid] = ours[msgid]
        elif text and (isinstance(text, str) or all(text)):
            messages[msgid] = text
    if messages == catalogue["messages"]:
        return None
    body = json.dumps(
        {**catalogue, "messages": messages}, ensure_ascii=False, indent=1, sort_keys=True
    )
    return f"Documentation.addTranslations({body});\n"


def mo_file(messages: Mapping[str, str]) -> bytes:
    """A GNU gettext catalogue (`.mo`, little-endian, no hash table) of
    `messages`, UTF-8; byte for byte the same for the same messages."""
    header = "Content-Type: text/plain; charset=UTF-8\n"
    entries = sorted(
        [(b"", header.encode("utf-8"))]
        + [(k.encode("utf-8"), v.encode("utf-8")) for k, v in messages.items() if k]
    )
    count = len(entries)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    table: list[bytes] = []
    data = bytearray()
    for column in (0, 1):
        for entry in entries:
            text = entry[column]
            table.append(struct.pack("<II", len(text), data_at + len(data)))
            data += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    return head + b"".join(table) + bytes(data)


def catalogue_path(lang: str, suffix: str = ".mo") -> str:
    """Where the catalogue of `lang` goes in the site's source tree (".js": the
    script's)."""
    return f"{LOCALE_DIR}/{lang}/LC_MESSAGES/{DOMAIN}{suffix}"
