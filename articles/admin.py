from django.contrib import admin

from articles.models import AuditEntry, Revision, Story


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stories and revisions change only through publishing; the admin is for looking."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin):
    list_display = ["headline", "slug", "live_number", "updated_at"]
    search_fields = ["headline", "slug"]
    ordering = ["-updated_at"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = [
        "story",
        "number",
        "kind",
        "published_at",
        "uploaded_by",
        "summary",
        "retracted_at",
    ]
    list_filter = ["kind", "published_at"]
    search_fields = ["story__slug", "story__headline", "change_note"]
    list_select_related = ["story", "uploaded_by"]
    exclude = ["text_delta", "parsed_blob"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "story", "revision", "base_number", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["story__slug", "user__username", "detail"]
    list_select_related = ["story", "revision__story", "user"]
