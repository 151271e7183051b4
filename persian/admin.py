"""Admin mixins that read what a person types in the admin through persian.values."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.contrib.admin.views.main import ChangeList
from django.db import models

from . import search, values
from .forms import JalaliDateField, JalaliDateInput

# The date drill-down's parameters and the bounds a datetime (and the next year or day) can take.
DRILL_DOWN = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


class CheckedChangeList(ChangeList):
    """The changelist, with the date drill-down's ?<field>__year/month/day read as bounded whole numbers
    (?due_date__year=9223372036854775808 was a 500); a bad value is the admin's usual "bad filter" redirect."""

    def get_filters(self, request):
        if self.date_hierarchy:
            for part, (low, high) in DRILL_DOWN.items():
                for value in request.GET.getlist(f"{self.date_hierarchy}__{part}"):
                    try:
                        values.clean_integer(value, min_value=low, max_value=high)
                    except values.InvalidValue as exc:
                        raise IncorrectLookupParameters(str(exc)) from None
        return super().get_filters(request)


class PersianSearchAdminMixin:
    """The admin's search box, Persian-aware (persian.search): «كتابخانه» and «کتابخانههای» find
    «کتابخانه‌های عمومی». Each word must be found in one of `search_fields` (plain field names or
    relation paths; a ^/=/@ prefix is read as "contains" too), as Django's own search does."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = [str(field).lstrip("^=@") for field in self.get_search_fields(request)]
        if not (search_fields and search_term):
            return queryset, False
        queryset = search.search(queryset, search_fields, search_term)
        return queryset, any(lookup_spawns_duplicates(self.opts, path) for path in search_fields)


class CheckedInputAdminMixin(PersianSearchAdminMixin):
    """Every admin here: date drill-downs and object ids in URLs are read through persian.values, and
    the search box is Persian-aware."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def history_view(self, request, object_id, extra_context=None):
        # /admin/plans/milestone/1.5/history/ was a 500: an id that cannot be a row's is "not found".
        if isinstance(self.opts.pk, models.AutoField | models.BigAutoField | models.IntegerField):
            try:
                values.clean_id(unquote(object_id))
            except values.InvalidValue:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)


class JalaliDatesAdminMixin(CheckedInputAdminMixin):
    """Admin forms that show and accept dates in Jalali (any digits; Solar Hijri years 1300 to 1500)."""

    formfield_overrides = {models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateInput}}
