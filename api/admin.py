"""Organisers create and revoke API tokens here; the secret is shown once, right after creation."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ReadOnlyAdmin

from .models import ApiToken, ApiTokenUse, Scope
from .services import hash_secret, new_secret


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ["name", "conference", "scopes", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("The token would have expired already."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "conference", "prefix", "scope_list", "created_by", "expires_at", "revoked_at",
                    "last_used_at"]
    list_filter = ["conference"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    readonly_fields = ["conference", "scopes", "expires_at", "prefix", "created_by", "created_at", "revoked_at",
                       "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["name", *self.readonly_fields] if obj is not None else ApiTokenForm.Meta.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("scopes"))
    def scope_list(self, token):
        return ", ".join(token.scopes)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the use log stays readable

    def save_model(self, request, obj, form, change):
        if not change:
            prefix, secret = new_secret()
            obj.prefix, obj.secret_hash, obj.created_by = prefix, hash_secret(secret), request.user
            obj.scopes = sorted(set(form.cleaned_data["scopes"]))
            super().save_model(request, obj, form, change)
            messages.warning(request, _(
                "The token's secret, shown only now: %(secret)s — copy it into the program that uses it. "
                "It cannot be shown again; if it is lost, revoke the token and create a new one."
            ) % {"secret": secret})
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "token", "method", "operation", "status"]
    list_filter = ["token", "status"]
    list_select_related = ["token"]
