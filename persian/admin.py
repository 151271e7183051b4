"""Admin mixins that read what a person types in the admin through persian.values."""

from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.views.main import IGNORED_PARAMS, ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from . import values
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
    """The changelist, with the date drill-down's ?<field>__year/month/day read as bounded whole numbers
    (?due_date__year=9223372036854775808 was a 500); a bad value is the admin's usual "bad filter" redirect."""

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


class CheckedInputAdminMixin:
    """Every admin here (the admin site adds it to every registered admin): filters, date drill-downs,
    object ids in URLs and related rows chosen in forms are read through persian.values."""

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
