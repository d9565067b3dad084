"""The organisers' programme desk: the Django admin, tuned for building a conference programme."""

import hashlib
from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import KeySafeAutocompleteMixin, ReadOnlyAdmin

from . import imports
from .models import LOCAL_TZ, Conference, Release, Room, Seminar, SeminarSpeaker, SeminarStatus, Speaker, Track
from .ports import bookings
from .services import (
    ProgrammeError,
    booking_counts,
    cancel_seminar,
    check_conflicts,
    check_room_capacity,
    conference_conflicts,
    preview_change,
    publish_seminar,
    save_room,
    save_seminar,
)


class SeminarAdminForm(forms.ModelForm):
    confirm_changes = forms.BooleanField(
        label=_("confirm the consequences for booked attendees"), required=False,
        help_text=_("Needed when fewer seats than are booked, or a new time that clashes with attendees' other "
                    "seats, would change people's bookings. They are emailed."),
    )
    # The consequences the organiser was shown (digests): the tick confirms exactly those, so a problem that
    # appears later (another field changed, bookings moved on) is shown before it can be confirmed.
    shown_consequences = forms.CharField(required=False, widget=forms.HiddenInput)
    # Set by SeminarAdmin when saving was refused after validation (e.g. the bookings were busy).
    refused: ProgrammeError | None = None

    # https:// for a link typed without a scheme (Django 6's default; silences 5.2's warning).
    stream_url = forms.URLField(
        label=Seminar._meta.get_field("stream_url").verbose_name, required=False, max_length=500,
        assume_scheme="https", help_text=Seminar._meta.get_field("stream_url").help_text,
    )

    class Meta:
        model = Seminar
        fields = ["conference", "title", "abstract", "language", "track", "status", "cancellation_reason", "start",
                  "end", "room", "capacity", "stream_url", "stream_in_personal_feed"]

    def _post_clean(self):
        super()._post_clean()
        seminar = self.instance
        if self.errors or seminar.room_id is None or seminar.start is None or seminar.end is None:
            return
        if seminar.capacity is None:
            seminar.capacity = seminar.room.capacity
        for problem in check_conflicts(seminar, speaker_ids=[]):
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message)
        confirmed = self.cleaned_data.get("confirm_changes", False)
        if self.errors:
            return
        problems = preview_change(seminar)
        confirmable = [p for p in problems if p.confirmable]
        digests = {_consequence_digest(p) for p in confirmable}
        shown = set(filter(None, (self.cleaned_data.get("shown_consequences") or "").split(",")))
        accepted = confirmed and digests <= shown
        seminar._confirmed_codes = {p.code for p in confirmable} if accepted else set()
        for problem in problems:
            field = problem.field if problem.field in self.fields else None
            if not problem.confirmable:
                self.add_error(field, problem.message)
            elif not accepted:
                hint = _("Tick “confirm the consequences for booked attendees” to save anyway.")
                self.add_error(field, f"{problem.message} {hint}")
        if confirmable and not accepted:
            data = self.data.copy()
            data[self.add_prefix("shown_consequences")] = ",".join(sorted(digests))
            self.data = data
        if self.refused is not None:
            self.add_error(None, self.refused.message)


def _consequence_digest(problem) -> str:
    """Names one consequence as it was worded (its numbers and seminars included)."""
    return hashlib.sha256(f"{problem.code}|{problem.message}".encode()).hexdigest()[:16]


class SeminarSpeakerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        speaker_ids = []
        for form in sorted(self.forms, key=lambda f: f.cleaned_data.get("order") or 0):
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("speaker"):
                continue
            if data["speaker"].pk in speaker_ids:
                raise ValidationError(_("%(speaker)s is listed twice.") % {"speaker": data["speaker"]})
            speaker_ids.append(data["speaker"].pk)
        self.instance._pending_speaker_ids = speaker_ids
        seminar = self.instance
        if seminar.start is None or seminar.end is None or seminar.room_id is None or not speaker_ids:
            return
        problems = [p for p in check_conflicts(seminar, speaker_ids=speaker_ids) if p.field == "speakers"]
        if problems:
            raise ValidationError([p.message for p in problems])


class SeminarSpeakerInline(KeySafeAutocompleteMixin, admin.TabularInline):
    model = SeminarSpeaker
    formset = SeminarSpeakerFormSet
    extra = 1
    autocomplete_fields = ["speaker"]
    fields = ["order", "speaker"]


class DayFilter(admin.SimpleListFilter):
    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        # Days in Stockholm time: a seminar at 00:30 local belongs to that day, not to the UTC one before.
        days = model_admin.get_queryset(request).datetimes("start", "day", tzinfo=LOCAL_TZ)
        return [(d.date().isoformat(), _date_label(d.date())) for d in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.strptime(self.value(), "%Y-%m-%d").date()
        except ValueError:
            return queryset.none()
        start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
        return queryset.filter(start__gte=start, start__lt=start + timedelta(days=1))


def _date_label(day):
    from django.utils import formats

    return formats.date_format(day, "l j F Y")


class RefusalAwareAdmin(admin.ModelAdmin):
    """Saving may still be refused after the form validated (rows busy, or the data changed meanwhile):
    then nothing is saved and the form comes back with what the organiser typed and why. The form
    class shows `refused` as a form error."""

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            with transaction.atomic():
                return super()._changeform_view(request, object_id, form_url, extra_context)
        except ProgrammeError as error:
            request._programme_refusal = error
            return super()._changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_programme_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"refused": refusal})
        return form


@admin.register(Seminar)
class SeminarAdmin(KeySafeAutocompleteMixin, RefusalAwareAdmin):
    form = SeminarAdminForm
    inlines = [SeminarSpeakerInline]
    list_display = ["title", "local_start", "room", "track", "capacity", "status", "revision"]
    list_filter = ["conference", DayFilter, "track", "room", "status", "language"]
    list_select_related = ["room", "track", "conference"]
    search_fields = ["title", "abstract", "code", "speakers__name", "speakers__organisation"]
    autocomplete_fields = ["track", "room"]
    readonly_fields = ["code", "revision", "updated_at"]
    date_hierarchy = None
    actions = ["publish_selected", "cancel_selected"]
    fieldsets = [
        (None, {"fields": ["conference", "title", "abstract", "language", "track", "status", "cancellation_reason"]}),
        (_("Time and place (local time, Europe/Stockholm)"),
         {"fields": ["start", "end", "room", "capacity", "confirm_changes", "shown_consequences"]}),
        (_("Digital participation"), {"fields": ["stream_url", "stream_in_personal_feed"]}),
        (_("Record"), {"fields": ["code", "revision", "updated_at"]}),
    ]

    @admin.display(description=_("start"), ordering="start")
    def local_start(self, obj):
        return timezone.localtime(obj.start, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")

    def save_model(self, request, obj, form, change):
        save_seminar(
            seminar=obj, speaker_ids=getattr(obj, "_pending_speaker_ids", None),
            confirm=getattr(obj, "_confirmed_codes", ()),
        )

    def save_related(self, request, form, formsets, change):
        # save_seminar has already stored the speakers in order; the inline is only the input.
        form.save_m2m()
        for formset in formsets:
            # What formset.save() would have set; the admin's change message reads them.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("Publish selected seminars"))
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, lambda seminar: publish_seminar(seminar=seminar),
                    lambda n: ngettext("%(n)d seminar published.", "%(n)d seminars published.", n))

    @admin.action(description=_("Cancel selected seminars"))
    def cancel_selected(self, request, queryset):
        """Asks first: cancelling emails everyone who booked and cannot be undone."""
        queryset = queryset.exclude(status=SeminarStatus.CANCELLED).select_related("room", "conference")
        if request.POST.get("confirmed") != "yes":
            seminars = list(queryset)
            for seminar in seminars:
                seminar.booked, seminar.waiting = booking_counts(seminar)
            return TemplateResponse(request, "admin/programme/seminar/cancel_confirmation.html", {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Cancel seminars?"),
                "seminars": seminars,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        reason = request.POST.get("reason", "")[:2000]
        self._apply(request, queryset, lambda seminar: cancel_seminar(seminar=seminar, reason=reason),
                    lambda n: ngettext("%(n)d seminar cancelled.", "%(n)d seminars cancelled.", n))

    def get_actions(self, request):
        # Deleting would drop bookings without telling anyone: published seminars are cancelled instead.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == SeminarStatus.DRAFT)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for seminar in queryset.select_related("room", "conference"):
            try:
                service(seminar)
                done += 1
            except ProgrammeError as error:
                self.message_user(request, f"{seminar.title}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done) % {"n": done}, messages.SUCCESS)


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "first_day", "last_day", "venue", "is_published", "conflicts_link", "import_link"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "venue"]

    def get_urls(self):
        return [
            *(path(f"<path:object_id>/import/template.{kind}", self.admin_site.admin_view(self.import_template_view),
                   {"kind": kind}, name=f"programme_conference_import_template_{kind}") for kind in ("csv", "xlsx")),
            path("<path:object_id>/import/", self.admin_site.admin_view(self.import_view),
                 name="programme_conference_import"),
            path("<path:object_id>/conflicts/", self.admin_site.admin_view(self.conflicts_view),
                 name="programme_conference_conflicts"),
        ] + super().get_urls()

    @admin.display(description=_("conflicts"))
    def conflicts_link(self, obj):
        url = reverse("admin:programme_conference_conflicts", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Check the programme"))

    def conflicts_view(self, request, object_id):
        conference = self.get_object(request, object_id)
        if conference is None or not self.has_view_permission(request, conference):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "conference": conference,
            "title": _("Conflicts in %(conference)s") % {"conference": conference.name},
            "conflicts": conference_conflicts(conference),
            "clashes": bookings().attendee_clashes(conference),
        }
        return TemplateResponse(request, "admin/programme/conference/conflicts.html", context)

    @admin.display(description=_("import"))
    def import_link(self, obj):
        url = reverse("admin:programme_conference_import", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Import seminars"))

    def _may_import(self, request) -> bool:
        return request.user.has_perm("programme.add_seminar") and request.user.has_perm("programme.change_seminar")

    def import_template_view(self, request, object_id, kind):
        conference = self.get_object(request, object_id)
        if conference is None or kind not in ("csv", "xlsx") or not self._may_import(request):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if kind == "csv":
            response = HttpResponse(imports.template_csv(conference), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                imports.template_xlsx(conference),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="program-{conference.slug}.{kind}"'
        return response

    def import_view(self, request, object_id):
        """Upload a spreadsheet → a preview of every row → confirm. The parsed rows wait in the session
        (under a random token the confirm form carries); nothing is saved before the confirm."""
        conference = self.get_object(request, object_id)
        if conference is None or not self._may_import(request):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        session_key = f"programme_import:{conference.pk}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "conference": conference,
            "title": _("Import seminars into %(conference)s") % {"conference": conference.name},
            "columns": imports.COLUMNS,
            "form": ImportUploadForm(),
        }
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(session_key)
            if not stored or stored.get("token") != request.POST.get("token"):
                context["refusal"] = _("This preview has expired or was replaced by another upload. Upload the "
                                       "file again.")
                return TemplateResponse(request, "admin/programme/conference/import.html", context)
            preview = imports.preview_import(conference, stored["rows"])
            ticked = set(request.POST.getlist("accept"))
            confirm = {row.line: {w.code for w in row.warnings if f"{row.line}:{_consequence_digest(w)}" in ticked}
                       for row in preview.rows if row.warnings}
            try:
                counts = imports.apply_import(conference, preview, confirm=confirm)
            except imports.ProgrammeImportError as error:
                context["refusal"] = error.message
            else:
                del request.session[session_key]
                self.message_user(request, _("Imported: %(create)d new, %(update)d changed, %(unchanged)d unchanged.")
                                  % counts, messages.SUCCESS)
                url = reverse("admin:programme_seminar_changelist") + f"?conference__id__exact={conference.pk}"
                return HttpResponseRedirect(url)
            return self._import_preview(request, context, preview, stored)
        if request.method == "POST":
            form = ImportUploadForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    if upload.size > imports.MAX_BYTES:
                        raise imports.ProgrammeImportError(imports.ImportCode.TOO_LARGE)
                    rows = imports.parse_rows(upload, upload.name)
                except imports.ProgrammeImportError as error:
                    form.add_error("file", error.message)
                else:
                    stored = {"token": get_random_string(32), "filename": upload.name[:200], "rows": rows}
                    request.session[session_key] = stored
                    return self._import_preview(request, context, imports.preview_import(conference, rows), stored)
        return TemplateResponse(request, "admin/programme/conference/import.html", context)

    def _import_preview(self, request, context, preview, stored):
        for row in preview.rows:
            row.shown_warnings = [(f"{row.line}:{_consequence_digest(w)}", w) for w in row.warnings]
        context.update(preview=preview, token=stored["token"], filename=stored["filename"],
                       counts={action.value: preview.count(action) for action in imports.Action})
        return TemplateResponse(request, "admin/programme/conference/import.html", context)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("spreadsheet (CSV or XLSX)"), allow_empty_file=True)


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "conference", "colour", "order"]
    list_filter = ["conference"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RoomAdminForm(forms.ModelForm):
    refused: ProgrammeError | None = None

    class Meta:
        model = Room
        fields = ["conference", "name", "capacity", "accessibility_notes", "order"]

    def _post_clean(self):
        super()._post_clean()
        if "capacity" not in self.errors:
            for problem in check_room_capacity(self.instance):
                self.add_error("capacity", problem.message)
        if self.refused is not None and not self.errors:
            self.add_error(None, self.refused.message)


@admin.register(Room)
class RoomAdmin(RefusalAwareAdmin):
    form = RoomAdminForm

    def save_model(self, request, obj, form, change):
        save_room(room=obj)
    list_display = ["name", "conference", "capacity", "order"]
    list_filter = ["conference"]
    search_fields = ["name"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "title", "conference"]
    list_filter = ["conference"]
    search_fields = ["name", "organisation", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    """Read only: releases are published from the desk (registration:desk_releases) and never edited, so the
    public changelog stays what people were shown."""

    list_display = ["conference", "number", "published_at", "published_by", "note"]
    list_filter = ["conference"]
    list_select_related = ["conference", "published_by"]
    fields = ["conference", "number", "published_at", "published_by", "note"]
    readonly_fields = fields
