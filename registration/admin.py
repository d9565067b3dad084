"""Organisers' view of people: registrations, delegations, bookings and the scan log."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import KeySafeAutocompleteMixin, ReadOnlyAdmin

from .models import (
    ERASED_DOMAIN,
    Badge,
    Booking,
    Delegation,
    Municipality,
    OutgoingEmail,
    Region,
    Registration,
    RegistrationStatus,
    Scan,
)
from .services.privacy import erase_registration
from .services.registrations import cancel_registration


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    fields = ["seminar", "status", "queued_at", "confirmed_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(KeySafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "organisation_display", "category", "status", "conference", "delegation", "claimed"]
    list_filter = ["conference", "status", "category", "organisation_type", "municipality__county"]
    list_select_related = ["conference", "municipality", "region", "delegation"]
    list_per_page = 50
    search_fields = ["name", "email", "organisation_name", "municipality__name", "region__name"]
    autocomplete_fields = ["municipality", "region"]
    # Status and conference change only through services (cancelling frees seats and revokes the badge).
    readonly_fields = [
        "conference", "status", "public_id", "user", "delegation", "claimed_at", "created_at", "cancelled_at",
        "badge_printed_at",
    ]
    inlines = [BookingInline]
    actions = ["cancel_selected", "erase_selected"]

    @admin.action(description=_("Erase personal data of selected registrations (asks first)"))
    def erase_selected(self, request, queryset):
        """Two steps, as Django's own delete: a page lists who would be erased, its button posts again."""
        registrations = list(queryset.exclude(email__endswith=f"@{ERASED_DOMAIN}").select_related("conference"))
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/registration/erase_confirm.html", {
                **self.admin_site.each_context(request), "registrations": registrations,
                "opts": self.model._meta, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "title": _("Erase personal data?"),
            })
        for registration in registrations:
            erase_registration(registration=registration)
        self.message_user(request, ngettext(
            "Personal data of %(n)d registration erased.", "Personal data of %(n)d registrations erased.",
            len(registrations)) % {"n": len(registrations)}, messages.SUCCESS)
        return None

    @admin.action(description=_("Cancel selected registrations (frees their seats, revokes badges)"))
    def cancel_selected(self, request, queryset):
        registrations = list(queryset.filter(status=RegistrationStatus.ACTIVE))
        for registration in registrations:
            cancel_registration(registration=registration)
        self.message_user(request, ngettext("%(n)d registration cancelled.", "%(n)d registrations cancelled.",
                                            len(registrations)) % {"n": len(registrations)}, messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting would skip freeing seats and revoking badges
        return actions

    def has_delete_permission(self, request, obj=None):
        return False
    fieldsets = [
        (None, {"fields": ["conference", "name", "email", "language", "status"]}),
        (_("Organisation"), {"fields": ["organisation_type", "municipality", "region", "organisation_name",
                                        "job_title", "category"]}),
        (_("Sensitive: accessibility"), {"fields": ["accessibility_needs"]}),
        (_("Record"), {"fields": ["public_id", "user", "delegation", "claimed_at", "created_at", "cancelled_at",
                                  "badge_printed_at"]}),
    ]

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation

    @admin.display(description=_("claimed"), boolean=True)
    def claimed(self, obj):
        return obj.user_id is not None


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "conference", "coordinator_name", "created_at"]
    list_select_related = ["conference", "coordinator"]
    list_filter = ["conference"]
    search_fields = ["organisation_name", "coordinator__email"]
    readonly_fields = ["public_id", "coordinator", "created_at"]

    @admin.display(description=_("coordinator"), ordering="coordinator__last_name")
    def coordinator_name(self, obj):
        user = obj.coordinator
        return f"{user.get_full_name()} <{user.email}>" if user.get_full_name() else user.email


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    """Read-only: seats change only through the booking services, which guard capacity."""

    list_display = ["registration", "seminar", "status", "queued_at", "confirmed_at"]
    list_filter = ["status", "seminar__conference", "seminar__track", ("seminar", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["registration__conference", "seminar"]
    search_fields = ["registration__name", "registration__email", "seminar__title"]


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    """The append-only door log."""

    list_display = ["at", "checkpoint", "verdict", "registration", "staff", "walk_in"]
    list_filter = ["verdict", "checkpoint", "conference"]
    list_select_related = ["registration__conference", "staff"]
    search_fields = ["registration__name", "checkpoint", "raw_code"]
    date_hierarchy = "at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """The outbox: what was promised to whom, and whether the worker could send it."""

    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at", "subject"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "kind"]
    date_hierarchy = "created_at"
    fields = ["kind", "to", "language", "status", "attempts", "next_attempt_at", "sent_at", "subject",
              "message_id", "last_error", "created_at"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["registration", "issued_at", "revoked_at"]
    list_select_related = ["registration__conference"]
    search_fields = ["registration__name"]
    readonly_fields = ["registration", "issued_at", "revoked_at"]
    exclude = ["seed", "code_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "county_code"]
    search_fields = ["name"]
