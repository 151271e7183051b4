"""Persian alphabetical order: one sort key that agrees with PostgreSQL's ICU collation `fa-IR-x-icu`.

Three places sort names, and all three give the same order (tests/persian/test_collation.py):
- PostgreSQL: the name columns are declared with `db_collation=COLLATION` (ICU, CLDR's Persian rules);
- SQLite: the project's backend (prcouncil/sqlite) registers a collation of the same name on every
  connection, comparing with `sort_key`;
- Python (sorting in memory, exports): `sorted(items, key=lambda item: sort_key(item.name))`.

The key copies what ICU does with the letters names are written in, level by level:
1. the letters: آ ا (ء أ إ ؤ ئ, one letter) ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی,
   Arabic ك/ي/ى/ة/ۀ counted as the Persian ک/ی/ه; before them spaces, then punctuation, then digits by value
   (Persian, Arabic-Indic and Latin digits alike); after them Latin letters. The zero-width non-joiner,
   tatweel, direction marks and diacritics are ignored at this level;
2. variants: a diacritic, an Arabic form (ك after ک), a hamza's seat;
3. case: a lowercase Latin letter before its capital;
4. the text's code points, as PostgreSQL breaks ICU's ties (so two different names are never equal, and
   the order is the same every time).
"""

import functools
import unicodedata

COLLATION = "fa-IR-x-icu"

# Letters in Persian order; each group shares one primary weight, listed in its variants' order.
_ALPHABET = [
    "آ",
    "اٱ",
    "ءأإؤئ",
    "ب",
    "پ",
    "ت",
    "ث",
    "ج",
    "چ",
    "ح",
    "خ",
    "د",
    "ذ",
    "ر",
    "ز",
    "ژ",
    "س",
    "ش",
    "ص",
    "ض",
    "ط",
    "ظ",
    "ع",
    "غ",
    "ف",
    "ق",
    "کك",
    "گ",
    "ل",
    "م",
    "ن",
    "و",
    "هةۀ",
    "یىي",
]
_LETTERS = {letter: (rank, variant) for rank, group in enumerate(_ALPHABET) for variant, letter in enumerate(group)}

# Groups of the first level, in ICU's order.
_SPACE, _PUNCTUATION, _DIGIT, _PERSIAN, _LATIN, _OTHER = range(6)

# Punctuation and symbols in ICU's order (read from PostgreSQL); others follow by code point.
_PUNCTUATION_ORDER = {char: rank for rank, char in enumerate("_-–—,،٫٬;؛:!?؟.…'\"«»()[]{}@*/\\&#%٪`^+<=>|~$")}

# Diacritics at the second level: CLDR's Persian order first, then any other by its combining class.
_DIACRITICS = {char: rank for rank, char in enumerate("\u064e\u0650\u064f\u064b\u064d\u064c", start=1)}

# Ignored at every level (ICU: "completely ignorable"): ZWNJ, ZWJ, direction marks, tatweel.
_IGNORED = frozenset("\u200c\u200d\u200e\u200f\u061c\u0640\ufeff")


def _char_weights(char):
    """(primary, secondary, tertiary) of one character, or None if it is ignored at every level."""
    if char in _IGNORED:
        return None
    letter = _LETTERS.get(char)
    if letter is not None:
        return (_PERSIAN, letter[0]), letter[1], 0
    if unicodedata.combining(char):  # diacritics (tashkeel, hamza above): a second-level difference only
        return None, _DIACRITICS.get(char, 10 + unicodedata.combining(char)), 0
    category = unicodedata.category(char)
    if category == "Nd":
        return (_DIGIT, unicodedata.digit(char)), 0, 0
    if category.startswith("Z") or char.isspace():
        return (_SPACE, 0x20 if char == "\u00a0" else ord(char)), 0, 0
    if category[0] in "PS":
        return (_PUNCTUATION, _PUNCTUATION_ORDER.get(char, 0x10000 + ord(char))), 0, 0
    base = unicodedata.normalize("NFD", char)
    if base[:1].isascii() and base[:1].isalpha():
        return (_LATIN, ord(base[0].lower())), len(base) - 1, int(base[0].isupper())
    return (_OTHER, ord(char)), 0, 0


@functools.lru_cache(maxsize=8192)
def sort_key(text):
    """The key that sorts `text` in Persian alphabetical order, as `fa-IR-x-icu` does."""
    text = "" if text is None else str(text)
    primary, secondary, tertiary = [], [], []
    for char in text:
        weights = _char_weights(char)
        if weights is None:
            continue
        first, second, third = weights
        if first is not None:
            primary.append(first)
            tertiary.append(third)
        secondary.append(second)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def compare(left, right):
    """A comparison function (-1, 0, 1) with `sort_key`'s order, for SQLite's create_collation."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def persian_sorted(items, *, key=lambda item: item):
    """`items` sorted by `key(item)` in Persian alphabetical order."""
    return sorted(items, key=lambda item: sort_key(key(item)))
