"""Admin mixins that read what a person types in the admin through persian.values."""

import dataclasses
import datetime
import decimal

import jdatetime
from django import forms
from django.contrib import admin
from django.contrib.admin import utils as admin_utils
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, lookup_spawns_duplicates, unquote
from django.contrib.admin.views.main import IGNORED_PARAMS, ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from . import jalali, search, values
from .forms import IdModelChoiceField, JalaliDateField, JalaliDateInput

# The date drill-down's parameters and the bounds a datetime (and the next year or day) can take.
DRILL_DOWN = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}
# Years a filtered date or datetime may name: one away from Python's ends, so a time zone cannot overflow it.
DATE_YEARS = (2, 9998)
INTEGER_BOUNDS = (-(2**63), 2**63 - 1)
COMPARISONS = {"", "exact", "gt", "gte", "lt", "lte", "in"}
INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.BigAutoField, models.SmallAutoField)
# The admin's own parameters (and those of its popups and facets): not filters.
NOT_FILTERS = {*IGNORED_PARAMS, "p", "q", "o", "e", "_facets", "_changelist_filters", "preserved_filters"}


def _filtered_field(model, key):
    """(field, lookup) for a changelist filter parameter such as agency__county__id__exact; None if it is not one."""
    parts = key.split("__")
    for cut in range(len(parts), 0, -1):
        try:
            fields = get_fields_from_path(model, "__".join(parts[:cut]))
        except (FieldDoesNotExist, NotRelationField):
            continue
        field = fields[-1]
        if field.is_relation and field.target_field is not None and not field.many_to_many:
            field = field.target_field
        return field, "__".join(parts[cut:])
    return None


def check_filter_value(field, lookup, value):
    """A filter's value read as its field reads it, within what the database and a datetime can hold."""
    if lookup in DRILL_DOWN:
        low, high = DRILL_DOWN[lookup]
        values.clean_integer(value, min_value=low, max_value=high)
        return
    if lookup not in COMPARISONS:
        return  # isnull, contains, ...: the database compares text or booleans
    items = value.split(",") if lookup == "in" else [value]
    for item in items:
        if isinstance(field, models.DateField):  # DateTimeField too
            try:
                parsed = field.to_python(item)
            except ValidationError as exc:
                raise values.InvalidValue(" ".join(exc.messages)) from None
            if parsed is not None and not (DATE_YEARS[0] <= parsed.year <= DATE_YEARS[1]):
                raise values.InvalidValue(values.NOT_A_WHOLE_NUMBER)
        elif isinstance(field, INTEGER_FIELDS):
            values.clean_integer(item, min_value=INTEGER_BOUNDS[0], max_value=INTEGER_BOUNDS[1])


class CheckedChangeList(ChangeList):
    """The changelist, with any ?<field>__year/month/day in the address read as a bounded whole number
    (?due_date__year=9223372036854775808 was a 500); a bad value is the admin's usual "bad filter" redirect.
    The admin's date filters are Jalali (JalaliDateFilter), but an old bookmark may still carry these."""

    def get_filters(self, request):
        """Every filter parameter (list filters' ?attempt_time__gte=, ?agency__id__exact=, the drill-down's
        ?checked_at__year=) read against its field first: a date whose year a datetime cannot hold with its
        time zone, or a number beyond 64 bits, was a 500 when the list was counted; now it is the admin's
        usual "bad filter" redirect."""
        for key, items in request.GET.lists():
            if key in NOT_FILTERS:
                continue
            found = _filtered_field(self.model, key)
            if found is None:
                continue
            field, lookup = found
            for value in items:
                try:
                    check_filter_value(field, lookup, value)
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


class SafeAutocompleteSelect(admin_widgets.AutocompleteSelect):
    """The admin's autocomplete, showing a form again without asking the database for a typed value that
    cannot be an id (goal=5.5 or 2^63 on an add form was a 500 when the form came back with its error)."""

    def optgroups(self, name, value, attr=None):
        kept = []
        for item in value:
            try:
                values.clean_id(item)
            except values.InvalidValue:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class CheckedInputAdminMixin(PersianSearchAdminMixin):
    """Every admin here (the admin site adds it to every registered admin): filters, date drill-downs,
    object ids in URLs and related rows chosen in forms are read through persian.values, and the search
    box is Persian-aware."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        target = db_field.target_field
        if isinstance(target, INTEGER_FIELDS) and db_field.remote_field.field_name == target.name:
            kwargs.setdefault("form_class", IdModelChoiceField)
            if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
                kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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

    @property
    def media(self):
        # The app's Jalali date picker on the admin's date boxes (JalaliDateInput marks them data-jdp).
        return super().media + forms.Media(
            js=["vendor/jalalidatepicker/jalalidatepicker.min.js", "js/jalali-picker.js"],
            css={"all": ["vendor/jalalidatepicker/jalalidatepicker.min.css", "css/admin.css"]},
        )


# --- Jalali everywhere in the admin (issue 11, part 2) -------------------------------------------------


class JalaliDateFilter(admin.FieldListFilter):
    """A date or date-time column filtered by Solar Hijri year or quarter: ?<field>__jalali=1405 or 1405-3.

    Registered ahead of Django's own date filter (install_jalali_admin), so every date in a list_filter
    gets it; it replaces the Gregorian date_hierarchy too. A bad value is the admin's "bad filter" redirect.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.parameter_name = f"{field_path}__jalali"
        super().__init__(field, request, params, model, model_admin, field_path)
        raw = self.used_parameters.get(self.parameter_name)
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else None
        self.selected = self._read(raw)
        self.years = self._years(model_admin.get_queryset(request), field_path)

    @staticmethod
    def _read(raw):
        if raw in (None, ""):
            return None
        try:
            if "-" in jalali.to_latin_digits(str(raw)).strip("- "):
                return values.clean_quarter(raw)
            return values.clean_integer(raw, min_value=jalali.FIRST_YEAR, max_value=jalali.LAST_YEAR)
        except values.InvalidValue as exc:
            raise IncorrectLookupParameters(str(exc)) from None

    def _years(self, queryset, field_path):
        bounds = queryset.aggregate(first=Min(field_path), last=Max(field_path))
        if bounds["first"] is None:
            return []
        first, last = (self._day(bounds[name]) for name in ("first", "last"))
        first_year = max(jdatetime.date.fromgregorian(date=first).year, jalali.FIRST_YEAR)
        last_year = min(jdatetime.date.fromgregorian(date=last).year, jalali.LAST_YEAR)
        return list(range(last_year, first_year - 1, -1))[:10]  # the latest ten years, newest first

    @staticmethod
    def _day(value):
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value

    def expected_parameters(self):
        return [self.parameter_name]

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {}  # counts are not shown for Jalali periods

    def _bounds(self):
        if isinstance(self.selected, jalali.Quarter):
            first, last = self.selected.bounds()
        else:
            first, last = jalali.year_bounds(self.selected)
        after = last + datetime.timedelta(days=1)
        if isinstance(self.field, models.DateTimeField):
            zone = timezone.get_current_timezone()
            first = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
            after = datetime.datetime.combine(after, datetime.time(), tzinfo=zone)
        return first, after

    def queryset(self, request, queryset):
        if self.selected is None:
            return queryset
        first, after = self._bounds()
        return queryset.filter(**{f"{self.field_path}__gte": first, f"{self.field_path}__lt": after})

    def choices(self, changelist):
        yield {
            "selected": self.selected is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        for year in self.years:
            yield {
                "selected": self.selected == year,
                "query_string": changelist.get_query_string({self.parameter_name: str(year)}),
                "display": _("Year %(year)s") % {"year": jalali.to_persian_digits(year)},
            }
            for quarter in jalali.quarters_of_year(year):
                yield {
                    "selected": self.selected == quarter,
                    "query_string": changelist.get_query_string({self.parameter_name: quarter.code}),
                    "display": f"— {quarter.label}",
                }


class PersianDigitsValuesFilter(admin.AllValuesFieldListFilter):
    """Django's "all values" filter for a whole-number column (a plan's year), in Persian digits."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if jalali.persian_is_active():
                choice = {**choice, "display": jalali.to_persian_digits(choice["display"])}
            yield choice


def _plain_number(field):
    return isinstance(field, models.IntegerField) and not field.choices and not field.is_relation


def jalali_display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's display_for_field, with dates and times in Jalali and numbers in Persian digits on Persian pages."""
    plain = not getattr(field, "flatchoices", None) and value not in getattr(field, "empty_values", ())
    if value is not None and plain:
        if isinstance(field, models.DateTimeField) and isinstance(value, datetime.datetime):
            return jalali.format_datetime(value)
        if isinstance(field, models.DateField) and isinstance(value, datetime.date):
            return jalali.format_date(value)
    shown = _display_for_field(value, field, empty_value_display, avoid_link=avoid_link)
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField) and jalali.persian_is_active():
        return jalali.to_persian_digits(shown)
    return shown


def jalali_display_for_value(value, empty_value_display, boolean=False):
    """Django's display_for_value (list_display methods), with the same Jalali dates and Persian digits."""
    if not boolean and isinstance(value, datetime.datetime):
        return jalali.format_datetime(value)
    if not boolean and isinstance(value, datetime.date):
        return jalali.format_date(value)
    shown = _display_for_value(value, empty_value_display, boolean)
    if not boolean and isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return jalali.to_persian_digits(shown) if jalali.persian_is_active() else shown
    return shown


_display_for_field = admin_utils.display_for_field
_display_for_value = admin_utils.display_for_value


def install_jalali_admin():
    """Every admin screen shows dates in Jalali and filters them by Jalali year and quarter.

    Django's admin formats a changelist cell or a read-only field with display_for_field / display_for_value
    (Gregorian, Latin digits); the three modules that call them get the Jalali versions. Called once from
    PersianConfig.ready().
    """
    from django.contrib.admin import helpers
    from django.contrib.admin.templatetags import admin_list

    for module in (admin_utils, admin_list, helpers):
        if hasattr(module, "display_for_field"):
            module.display_for_field = jalali_display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = jalali_display_for_value
    admin.FieldListFilter.register(lambda field: isinstance(field, models.DateField), JalaliDateFilter, True)
    admin.FieldListFilter.register(_plain_number, PersianDigitsValuesFilter, True)


class JalaliHistoryContextHelper(HistoricalRecordContextHelper):
    """simple-history's list of changes, shown as the changelist shows values (Jalali dates, Persian digits,
    choice labels), without the bookkeeping fields a reader has no use for (version, updated at)."""

    HIDDEN = frozenset({"version", "updated_at"})

    def context_for_delta_changes(self, delta):
        shown = dataclasses.replace(delta, changes=[c for c in delta.changes if c.field not in self.HIDDEN])
        return super().context_for_delta_changes(shown)

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.is_relation:
            return super().prepare_delta_change_value(change, value)
        return jalali_display_for_field(value, field, "—")


class JalaliHistoryAdminMixin:
    """For a SimpleHistoryAdmin: history pages in Jalali and Persian (templates/simple_history/)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return JalaliHistoryContextHelper(self.model, historical_record)
