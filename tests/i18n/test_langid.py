"""The language-identification heuristic, measured on the seed pages.

Ground truth: each seed's language (tests/conftest.py, DIALECT.md); seed 001
is English up to line 205 and French from line 206 on (a translation in
progress). Every prose paragraph is scored; the README reports the figures
this test prints (`pytest -s`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest

from polybook.i18n.langid import LANGUAGES, identify, prose_text, words
from polybook.i18n.prose import paragraphs
from polybook.source.parser import parse_page
from tests.conftest import seed_path

SEED_LANGUAGE = {"000": "id", "001": "en", "002": "vi", "003": "id", "004": "tr"}
FRENCH_FROM = 206  # seed 001: the French part starts here


def _truth(seed: str, line: int) -> str:
    return "fr" if seed == "001" and line >= FRENCH_FROM else SEED_LANGUAGE[seed]


def _seed_paragraphs() -> list[tuple[str, int, str, str]]:
    """(seed, line, text, truth) of every prose paragraph of the five seeds."""
    out = []
    for seed in SEED_LANGUAGE:
        data = seed_path(seed).read_bytes()
        page = parse_page(data, lang="x", path="p.md", file=seed, known=("mxnet", "pytorch"))
        for paragraph in paragraphs(page):
            text = prose_text(paragraph.inline)
            out.append((seed, paragraph.line, text, _truth(seed, paragraph.line)))
    return out


def _measure(candidates_of: Mapping[str, tuple[str, ...]] | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for seed, line, text, truth in _seed_paragraphs():
        candidates = LANGUAGES if candidates_of is None else candidates_of[truth]
        guess = identify(text, candidates).language
        if guess is None:
            counts["undecided"] += 1
        elif guess == truth:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
            print(f"seed {seed}:{line}: {guess} for {truth}: {text[:60]!r}")
    return counts


def test_five_way_accuracy_on_the_seeds() -> None:
    counts = _measure(None)
    decided = counts["right"] + counts["wrong"]
    print(f"five languages: {counts['right']}/{decided} right, {counts['undecided']} undecided")
    assert decided >= 100  # the seeds have 119 paragraphs; 17 are one-word links
    assert counts["right"] / decided >= 0.99
    assert counts["undecided"] <= 17


def test_source_or_translation_as_status_asks_it() -> None:
    """`status` asks "English or the translation's language?"; on every seed
    paragraph the answer is right (French for 001's French half)."""
    pairs = {"en": ("en", "fr"), "fr": ("en", "fr"), "id": ("en", "id"), "vi": ("en", "vi")}
    pairs["tr"] = ("en", "tr")
    counts = _measure(pairs)
    assert counts["wrong"] == 0
    assert counts["right"] == 102


def test_the_french_half_of_seed_001_is_found_where_it_starts() -> None:
    found = [
        (line, identify(text, ("en", "fr")).language)
        for seed, line, text, _ in _seed_paragraphs()
        if seed == "001"
    ]
    decided = [(line, lang) for line, lang in found if lang is not None]
    english = [line for line, lang in decided if lang == "en"]
    french = [line for line, lang in decided if lang == "fr"]
    assert max(english) < FRENCH_FROM <= min(french)
    assert min(french) == 206


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We now scale the tensor by two and add one to every element.", "en"),
        ("Nous multiplions maintenant le tenseur par deux et ajoutons un.", "fr"),
        ("Sekarang kita mengalikan tensor dengan dua dan menambahkan satu.", "id"),
        ("Bây giờ chúng ta nhân tensor với hai và cộng một vào mỗi phần tử.", "vi"),
        ("Şimdi tensörü iki ile çarpıyoruz ve her elemana bir ekliyoruz.", "tr"),
        ("LeNet-5 ResNet AlexNet", None),  # names only: not decided
        ("[Discussions](https://discuss.d2l.ai/t/73)", None),
    ],
)
def test_identify(text: str, expected: str | None) -> None:
    assert identify(text).language == expected


def test_words_leave_out_apostrophes_and_numbers() -> None:
    assert words("L'élagage de 2 pixels, d'une image") == [
        "l",
        "élagage",
        "de",
        "pixels",
        "d",
        "une",
        "image",
    ]


def test_line_by_line_on_the_seeds() -> None:
    """Single source lines are short texts: fewer are decided, nearly all right."""
    from polybook.source.inline import tokenize

    counts: Counter[str] = Counter()
    wrong: list[tuple[str, int, str | None]] = []
    for seed in SEED_LANGUAGE:
        data = seed_path(seed).read_bytes()
        page = parse_page(data, lang="x", path="p.md", file=seed, known=("mxnet", "pytorch"))
        for paragraph in paragraphs(page):
            for raw, line in zip(paragraph.inline.raw, paragraph.inline.lines, strict=True):
                guess = identify(prose_text(tokenize([raw], [line]))).language
                if guess is None:
                    counts["undecided"] += 1
                elif guess == _truth(seed, line):
                    counts["right"] += 1
                else:
                    wrong.append((seed, line, guess))
    assert (counts["right"], len(wrong), counts["undecided"]) == (453, 2, 103)
    # an English term quoted in Indonesian; an Indonesian line taken for French
    assert wrong == [("003", 62, "en"), ("003", 170, "fr")]
