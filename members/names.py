"""Vietnamese names: normalization and the sort key (UI-VI.md, STYLE.md "Language").

Vietnamese order is A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y, letters first and
tones only to break ties (ngang, huyền, hỏi, ngã, sắc, nặng). People are listed by given name (the
last word), then by the full name. The key is made of decimal digits only, so every database
collation (SQLite's BINARY, PostgreSQL's libc or ICU) orders it the same way.
"""

import unicodedata

from organizations.text import normalize_name

__all__ = ["normalize_name", "vietnamese_sort_key"]

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Two digits per letter; "00" ends a word, so "An" sorts before "Anh"; digits, then other
# characters, come after the letters.
_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(_ALPHABET)}
_DIGIT_CODE = {str(d): f"{d + 50:02d}" for d in range(10)}
_OTHER_CODE = "99"
_END = "00"

_VOWEL_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WITH_MARK = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}


def _letters_and_tones(word: str) -> tuple[str, str]:
    """Split a word into its Vietnamese base letters and one tone digit per letter."""
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _VOWEL_MARKS and letters:
            base = letters[-1]
            letters[-1] = _WITH_MARK.get((base, _VOWEL_MARKS[char]), base)
        elif char in _TONE_MARKS and tones:
            tones[-1] = _TONE_MARKS[char]
        elif unicodedata.combining(char):
            continue
        else:
            letters.append(char)
            tones.append("0")
    return "".join(letters), "".join(tones)


def _encode(text: str) -> tuple[str, str]:
    primary: list[str] = []
    secondary: list[str] = []
    for word in text.split():
        letters, tones = _letters_and_tones(word)
        primary.extend(_LETTER_CODE.get(c) or _DIGIT_CODE.get(c) or _OTHER_CODE for c in letters)
        primary.append(_END)
        secondary.append(tones)
    return "".join(primary), "".join(secondary)


def given_name(full_name: str) -> str:
    words = normalize_name(full_name).split()
    return words[-1] if words else ""


def vietnamese_sort_key(full_name: str) -> str:
    """Digits that sort by given name, then full name, letters before tones."""
    name = normalize_name(full_name)
    given_primary, given_tones = _encode(given_name(name))
    full_primary, full_tones = _encode(name)
    return f"{given_primary}{_END}{full_primary}{_END}{given_tones}{full_tones}"
