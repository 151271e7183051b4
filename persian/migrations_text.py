"""Data migrations that pass stored text through THE normaliser (persian.values.normalize_text).

Rows typed before every path normalised input (or written by a path that skipped it) may hold Arabic ي/ك/ى/ة,
direction marks, CRLF line ends or trailing spaces. Each app's migration calls `normalize_stored_text` for its
names, titles and notes. A row whose normalised text would collide with another row's (a unique name) is left
as it was, so the migration never fails; `manage.py check` cannot see these, but the search still finds them.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q

from .values import normalize_text


def normalize_stored_text(model, fields):
    """Normalise `fields` of every row of `model` (a historical model from `apps.get_model`); returns how
    many rows changed."""
    # Only rows that can change: a cheap filter on characters the normaliser rewrites, then an exact check.
    suspects = Q()
    for field in fields:
        for char in ("ي", "ى", "ك", "ة", "\u200e", "\u200f", "\r", " \n", "\t\n"):
            suspects |= Q(**{f"{field}__contains": char})
        suspects |= Q(**{f"{field}__startswith": " "}) | Q(**{f"{field}__endswith": " "})
        suspects |= Q(**{f"{field}__startswith": "\n"}) | Q(**{f"{field}__endswith": "\n"})
        suspects |= Q(**{f"{field}__startswith": "\t"}) | Q(**{f"{field}__endswith": "\t"})
    changed = 0
    rows = model._default_manager.filter(suspects).values_list("pk", *fields).order_by("pk")
    for pk, *texts in list(rows):  # read first: the updates below must not move under an open cursor
        updates = {
            field: normalize_text(text)
            for field, text in zip(fields, texts, strict=True)
            if text is not None and normalize_text(text) != text
        }
        if not updates:
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**updates)
        except IntegrityError:  # another row already has the normalised name: leave this one
            continue
        changed += 1
    return changed
