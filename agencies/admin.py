from django.contrib import admin
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from fileformats.importexport import CouncilImportExportMixin, CouncilResource
from fileformats.widgets import ChoiceWidget, TextWidget, URLWidget
from persian import values
from persian.admin import CheckedInputAdminMixin

from .models import Agency, County, Membership
from .services import grant_role


class CountyByNameWidget(ForeignKeyWidget):
    """A county by its name, Arabic ي/ك forgiven."""

    def __init__(self):
        super().__init__(County, field="name")

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        key = values.lookup_key(value)
        county = County.objects.filter(name=values.normalize_text(value)).first() or next(
            (item for item in County.objects.all() if values.lookup_key(item.name) == key), None
        )
        if county is None:
            raise ValueError(_("No county is named “%(value)s”.") % {"value": value})
        return county


class AgencyResource(CouncilResource):
    county = fields.Field(attribute="county", column_name="county", widget=CountyByNameWidget())
    name = fields.Field(
        attribute="name", column_name="name", widget=TextWidget(max_length=Agency._meta.get_field("name").max_length)
    )
    category = fields.Field(attribute="category", column_name="category", widget=ChoiceWidget(Agency.Category.choices))
    website = fields.Field(
        attribute="website",
        column_name="website",
        widget=URLWidget(max_length=Agency._meta.get_field("website").max_length),
    )

    class Meta(CouncilResource.Meta):
        model = Agency
        fields = ("code", "name", "county", "category", "website", "is_active")
        import_id_fields = ("code",)

    def get_queryset(self):
        return super().get_queryset().select_related("county")


@admin.register(County)
class CountyAdmin(CheckedInputAdminMixin, admin.ModelAdmin):
    list_display = ["name", "agency_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(agency_count=Count("agencies"))

    @admin.display(description=Agency._meta.verbose_name_plural, ordering="agency_count")
    def agency_count(self, obj):
        return obj.agency_count


@admin.register(Agency)
class AgencyAdmin(CheckedInputAdminMixin, CouncilImportExportMixin, admin.ModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "code", "county", "category", "is_active"]
    list_filter = ["category", "is_active", "county"]
    search_fields = ["name", "code"]
    list_select_related = ["county"]
    prepopulated_fields = {}
    autocomplete_fields = ["county"]


@admin.register(Membership)
class MembershipAdmin(CheckedInputAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "agency", "title"]
    list_filter = ["role", "agency__category"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name", "agency__code"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]

    def save_model(self, request, obj, form, change):
        # The role decides admin access too; grant_role keeps the two in step.
        grant_role(user=obj.user, role=obj.role, agency=obj.agency, title=obj.title)
