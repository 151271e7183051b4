from rest_framework.pagination import CursorPagination


class CouncilCursorPagination(CursorPagination):
    """Cursor pagination: pages stay stable while rows are added, and no COUNT query runs.

    Each list orders by a unique column (`ordering` on the view), so a cursor never skips or repeats a row.
    """

    page_size = 50
    ordering = "pk"

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
