"""Admin of the reports app: the export jobs, read-only (what failed, for whom, why)."""

from django.contrib import admin

from reports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("requested_at", "organization", "fmt", "state", "progress", "attempts")
    list_filter = ("state", "fmt", "cycle")
    search_fields = ("organization__name", "requested_by__username", "error")
    list_select_related = ("organization", "requested_by")
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
