from django.contrib import admin

from .models import SentEmail


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["template", "recipient", "sent_at"]
    list_filter = ["template"]
    readonly_fields = ["key", "recipient", "template", "sent_at"]
    date_hierarchy = "sent_at"
