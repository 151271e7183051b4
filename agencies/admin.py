from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from .models import Agency, County, Membership
from .services import grant_role


class AgencyResource(resources.ModelResource):
    county = fields.Field(attribute="county", column_name="county", widget=ForeignKeyWidget(County, field="name"))

    class Meta:
        model = Agency
        fields = ("code", "name", "county", "category", "website", "is_active")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "agency_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(agency_count=Count("agencies"))

    @admin.display(description=Agency._meta.verbose_name_plural, ordering="agency_count")
    def agency_count(self, obj):
        return obj.agency_count


@admin.register(Agency)
class AgencyAdmin(ImportExportModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "code", "county", "category", "is_active"]
    list_filter = ["category", "is_active", "county"]
    search_fields = ["name", "code"]
    list_select_related = ["county"]
    prepopulated_fields = {}
    autocomplete_fields = ["county"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "title"]
    list_filter = ["role", "agency__category"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name", "agency__code"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]

    def save_model(self, request, obj, form, change):
        # The role decides admin access too; grant_role keeps the two in step.
        grant_role(user=obj.user, role=obj.role, agency=obj.agency, title=obj.title)
