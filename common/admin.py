"""Admin pieces both apps' desks use."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


class KeySafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up again to label it when a form with errors
    is shown; a value that cannot be a key ("x" for a number, one too large for the column, a NUL byte for
    PostgreSQL) made that lookup raise, so the form error became a 500. Such a value is not looked up:
    the form field has already reported it."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._could_be_key(v)], attr)

    def _could_be_key(self, value) -> bool:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        try:
            key = target.to_python(value)
            target.run_validators(key)  # includes the column's integer range or length
            ProhibitNullCharactersValidator()(key)
        except ValidationError:
            return False
        return True


class KeySafeAutocompleteMixin:
    """For a ModelAdmin or inline: its autocomplete_fields use KeySafeAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Organisers may look; changes go through the services, which keep the rules."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
