"""Persian-aware text search: what a person types finds the text however either was written.

Text matches when `search_key(typed)` is found in `search_key(stored)`. search_key is persian.values.lookup_key,
the normaliser's matching form: Arabic ي/ك/ى/ة as Persian ی/ک/ه, hamza seats folded, diacritics (tashkeel),
tatweel and hamza dropped, Persian and Arabic-Indic digits as Latin, every space and ZWNJ removed, case folded.
So «كتابخانه», «کتابخانههای», «کتابخانه های» and «كتابخانه‌هاي» all find «کتابخانه‌های عمومی».

The stored side is never rewritten: `Finds(field, typed)` is a condition the database evaluates, a regular
expression built from the typed words: each letter matches every character whose key is that letter (ک: [کك],
۱: [1۱١]), and anything the key drops (spaces, ZWNJ, tatweel, diacritics, hamza) may stand between two letters.
- PostgreSQL, a column declared with `indexed()` (milestone titles; a pg_trgm GIN index on
  persian_search_text(column), migration plans 0005) and a key of three letters or more:
  `persian_search_text(field) ~* letters`. persian_search_text() removes what the key drops, so the letters'
  classes follow one another with no gap, and pg_trgm finds their trigrams in the index (the gaps of the plain
  pattern leave it none). 300k titles: 0.5–5 ms for a rare term, against 200–450 ms before.
- PostgreSQL otherwise: `field ~* pattern`, the gaps' pattern on the column itself (a sequential scan: the
  function on every row would cost more than the regular expression).
- SQLite: `instr(field, letter) > 0 AND persian_finds(field, key)`, the function the project's backend
  (prcouncil/sqlite) registers on every connection (`finds` below, Python's re); instr() on the key's rarest
  fixed letters (or digits) first, so Python is called for a fraction of the rows.
The column is used as it is (no second column or trigger to keep in step with the writes that skip save()).
tests/persian/test_search.py checks on both databases that a row is found exactly when
`search_key(typed) in search_key(stored)`.
"""

import functools
import re
from functools import reduce
from operator import or_

from django.db.models import F, Lookup

from .jalali import to_latin_digits
from .values import _ARABIC_LETTERS, _LOOKUP_FOLD, _SPACES, lookup_key

SQLITE_FUNCTION = "persian_finds"
# PostgreSQL: the text without what the key drops (a SQL function; migration plans 0005). A pg_trgm GIN index on
# persian_search_text(column) serves the searches of the columns registered with `indexed()`.
SEARCH_TEXT_FUNCTION = "persian_search_text"
MIN_INDEXED_KEY = 3  # a trigram index finds nothing shorter than a trigram
_INDEXED = set()  # (db_table, column) with a trigram index on persian_search_text(column)


def search_key(text):
    """The form text is searched in (None stays None, as SQL's NULL)."""
    return None if text is None else lookup_key(text)


def _char_key(char):
    return _SPACES.sub("", to_latin_digits(char.translate(_ARABIC_LETTERS)).translate(_LOOKUP_FOLD))


def _variants():
    """(what each letter of a key may be written as, the characters a key drops), from lookup_key's own tables."""
    candidates = {chr(c) if isinstance(c, int) else c for c in (*_ARABIC_LETTERS, *_LOOKUP_FOLD)}
    candidates |= set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
    candidates |= {chr(code) for code in range(0x3001) if _SPACES.fullmatch(chr(code))}
    variants, dropped = {}, []
    for char in sorted(candidates):
        key = _char_key(char)
        if key == "":
            dropped.append(char)
        elif key != char:
            assert len(key) == 1, char  # each such character stands for one letter
            variants.setdefault(key, [key]).append(char)
    return variants, "".join(dropped)


_VARIANTS, _DROPPED = _variants()
_BETWEEN = f"[{_DROPPED}]*"


def _pattern_char(char):
    if char in _VARIANTS:
        return "[" + "".join(_VARIANTS[char]) + "]"
    return char if char.isalnum() else "\\" + char


def pattern(key):
    """A regular expression (PostgreSQL's ~* and Python's re, case-insensitive) that finds `key` in text
    whatever way the text writes it."""
    return _BETWEEN.join(_pattern_char(char) for char in key)


def letters_pattern(key):
    """`pattern(key)` without what may stand between the letters: for text from which persian_search_text()
    removed it. Its fixed letters are what a pg_trgm index can find (the gaps of `pattern` leave it none)."""
    return "".join(_pattern_char(char) for char in key)


# Persian letters with one spelling and no case, rarest first (roughly, in Persian text).
_RAREST_FIRST = "ژظطضثذغصحچعقفپخجگزشلسبتدمرن"


def required_spellings(key, limit=2):
    """What the text must contain for `key` to be found, as lists of spellings of which one must be there: the
    key's rarest letters with one spelling (["خ"]), then its digits (["4", "٤", "۴"]). SQLite's cheap pre-filter
    (instr) before the regular expression."""
    letters = sorted({char for char in key if char in _RAREST_FIRST}, key=_RAREST_FIRST.index)
    digits = sorted({char for char in key if char.isascii() and char.isdigit()}, reverse=True)  # 9 rarer than 1
    return [[letter] for letter in letters][:limit] + [_VARIANTS[digit] for digit in digits][: limit - len(letters)]


def indexed(model, *fields):
    """Declare that `model`'s `fields` have the trigram index on persian_search_text(column) (PostgreSQL)."""
    for name in fields:
        _INDEXED.add((model._meta.db_table, model._meta.get_field(name).column))


def _is_indexed(model, path):
    if "__" in path:
        return False
    try:
        field = model._meta.get_field(path)
    except Exception:  # noqa: BLE001 -- not a plain field: not indexed
        return False
    return (model._meta.db_table, getattr(field, "column", None)) in _INDEXED


@functools.lru_cache(maxsize=256)
def _compiled(key):
    return re.compile(pattern(key), re.IGNORECASE)


def finds(text, key):
    """SQLite's persian_finds(text, key): 1 if the key (search_key of what was typed) is found in the text. It
    takes the short key rather than the long pattern: SQLite hands the arguments over anew for every row."""
    return text is not None and _compiled(key).search(text) is not None


class Finds(Lookup):
    """The condition "the typed text is found in this text field", Persian-aware (see the module docstring).
    Used as an expression: `queryset.filter(Finds(F("name"), typed))`."""

    lookup_name = "persian_finds"
    prepare_rhs = False

    def __init__(self, lhs, rhs, *, use_index=True):
        super().__init__(lhs, search_key(str(rhs)))
        self.use_index = use_index

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        # instr() first: SQLite calls the Python function only for the rows holding the key's fixed letters or digits.
        spellings = required_spellings(self.rhs)
        checks = ["(" + " OR ".join(f"instr({lhs}, %s) > 0" for _ in chars) + ")" for chars in spellings]
        sql = " AND ".join([*checks, f"{SQLITE_FUNCTION}({lhs}, %s)"])
        check_params = [param for chars in spellings for char in chars for param in (*params, char)]
        return f"({sql})", (*check_params, *params, self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if self._uses_index():
            return f"{SEARCH_TEXT_FUNCTION}(({lhs})::text) ~* %s", (*params, letters_pattern(self.rhs))
        return f"({lhs})::text ~* %s", (*params, pattern(self.rhs))

    def _uses_index(self):
        """The indexed form: persian_search_text(column) ~* letters, for a registered column and a key long enough
        for trigrams. Otherwise the column itself with the gaps' pattern, which a sequential scan reads faster
        (persian_search_text() on every row costs more than the regular expression)."""
        target = getattr(self.lhs, "target", None)
        if not (self.use_index and target is not None and len(self.rhs) >= MIN_INDEXED_KEY):
            return False
        return (target.model._meta.db_table, target.column) in _INDEXED


def matches(paths, term, *, use_index=True):
    """A filter condition: the typed `term` is found in any of the text fields `paths` (field names or
    relation paths such as "agency__name"). None when the term has nothing to search for."""
    if not search_key(term):
        return None
    return reduce(or_, [Finds(F(path), term, use_index=use_index) for path in paths])


def search(queryset, paths, text):
    """`queryset` narrowed to rows where every word of `text` is found in one of `paths` (the admin's search
    box and the pages' name filters). The trigram index serves it only when every path is an indexed column of
    the queryset's own table: one unindexed field (or a relation) in the OR means a sequential scan anyway, and
    there the plain regular expression is the cheaper one."""
    use_index = all(_is_indexed(queryset.model, path) for path in paths)
    for term in terms(text):
        condition = matches(paths, term, use_index=use_index)
        if condition is not None:
            queryset = queryset.filter(condition)
    return queryset


def terms(text):
    """The words of a search box; a quoted phrase stays one term."""
    return [part.strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|\S+', text or "") if part.strip("\"'")]
