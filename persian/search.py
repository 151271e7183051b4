"""Persian-aware text search: what a person types finds the text however either was written.

Both sides are compared through `search_key` (= persian.values.lookup_key, the normaliser's matching form):
Arabic ي/ك/ى/ة as Persian ی/ک/ه, hamza seats folded, diacritics (tashkeel) and tatweel dropped, Persian and
Arabic-Indic digits as Latin, every space and ZWNJ removed, case folded. So «كتابخانه», «کتابخانههای»,
«کتابخانه های» and «كتابخانه‌هاي» all find «کتابخانه‌های عمومی».

The stored side is normalised on read, in the query, by `SearchKey(field)`:
- SQLite: the function `persian_search_key` that the project's backend (prcouncil/sqlite) registers on every
  connection, which is `search_key` itself;
- PostgreSQL: `lower(translate(field, FROM, TO))`, with FROM/TO generated from the same tables, so the two
  agree character by character (tests/persian/test_search.py checks it on both databases).
Why on read and not a stored column: see docs/persian-text.md.
"""

import re
from functools import reduce
from operator import or_

from django.db.models import CharField, Func, Value
from django.db.models.lookups import Contains

from .jalali import to_latin_digits
from .values import _ARABIC_LETTERS, _LOOKUP_FOLD, _SPACES, lookup_key

SQLITE_FUNCTION = "persian_search_key"


def search_key(text):
    """The form text is searched in (None stays None, as SQL's NULL)."""
    return None if text is None else lookup_key(text)


def _translation():
    """(FROM, TO) for PostgreSQL's translate(): each character lookup_key changes, and what it becomes
    (characters it drops come last in FROM, with nothing in TO, so translate() drops them)."""
    candidates = set(_ARABIC_LETTERS) | set(_LOOKUP_FOLD) | set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
    candidates |= {chr(code) for code in range(0x3000 + 1) if _SPACES.fullmatch(chr(code))}
    candidates = {chr(c) if isinstance(c, int) else c for c in candidates}
    mapped, dropped = [], []
    for char in sorted(candidates):
        result = _SPACES.sub("", to_latin_digits(char.translate(_ARABIC_LETTERS)).translate(_LOOKUP_FOLD))
        if result == "":
            dropped.append(char)
        elif result != char:
            mapped.append((char, result))
    assert all(len(result) == 1 for _char, result in mapped)  # translate() maps one character to one
    return "".join(c for c, _r in mapped) + "".join(dropped), "".join(r for _c, r in mapped)


PG_FROM, PG_TO = _translation()


class SearchKey(Func):
    """The search form of a text column (or any text expression), computed by the database."""

    function = SQLITE_FUNCTION
    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        (expression,) = self.source_expressions
        translated = Func(expression, Value(PG_FROM), Value(PG_TO), function="translate", output_field=CharField())
        return Func(translated, function="lower", output_field=CharField()).as_sql(compiler, connection)


def matches(paths, term):
    """A filter condition: the typed `term` is found in any of the text fields `paths` (field names or
    relation paths such as "agency__name"), compared by search_key. An empty term matches everything."""
    key = search_key(term)
    if not key:
        return None
    return reduce(or_, [Contains(SearchKey(path), key) for path in paths])


def search(queryset, paths, text):
    """`queryset` narrowed to rows where every word of `text` is found in one of `paths` (the admin's search
    box and the pages' name filters)."""
    for term in terms(text):
        condition = matches(paths, term)
        if condition is not None:
            queryset = queryset.filter(condition)
    return queryset


def terms(text):
    """The words of a search box; a quoted phrase stays one term."""
    return [part.strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|\S+', text or "") if part.strip("\"'")]
