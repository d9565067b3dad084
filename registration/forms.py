"""Forms validate input; services decide. No form saves a registration or booking by itself."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.text import collapse_whitespace, validate_single_line

from .badge_pdf import LAYOUT_A4, LAYOUT_A6
from .models import (
    MAX_MESSAGE_BODY,
    MAX_MESSAGE_SUBJECT,
    Audience,
    Delegation,
    Municipality,
    OrganisationType,
    Region,
    TicketCategory,
)
from .services.door import NONCE_RE
from .services.registrations import MAX_DELEGATION, Member


class SingleLineField(forms.CharField):
    """A name or title: whitespace runs (a pasted line break or tab) become one space; other control
    characters are refused with the models' own message."""

    default_validators = [validate_single_line]

    def to_python(self, value):
        return collapse_whitespace(super().to_python(value))


class OrganisationFields(forms.Form):
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name"), required=False,
        empty_label=_("Choose a municipality"), help_text=_("Sweden's 290 municipalities."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False,
        empty_label=_("Choose a region"),
    )
    organisation_name = SingleLineField(
        label=_("Organisation name"), max_length=200, required=False,
        help_text=_("For companies, user and relatives' organisations and others."),
    )
    category = forms.ChoiceField(label=_("Ticket category"), choices=TicketCategory.choices)

    def clean(self):
        data = super().clean()
        kind = data.get("organisation_type")
        if kind == OrganisationType.MUNICIPALITY:
            if not data.get("municipality"):
                self.add_error("municipality", _("Choose your municipality from the list."))
            data["region"], data["organisation_name"] = None, ""
        elif kind == OrganisationType.REGION:
            if not data.get("region"):
                self.add_error("region", _("Choose your region from the list."))
            data["municipality"], data["organisation_name"] = None, ""
        elif kind:
            if not data.get("organisation_name", "").strip() and "organisation_name" not in self.errors:
                self.add_error("organisation_name", _("Enter the name of your organisation."))
            data["municipality"], data["region"] = None, None
        return data

    def organisation_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in
                ("organisation_type", "municipality", "region", "organisation_name", "category")}


class RegistrationForm(OrganisationFields):
    name = SingleLineField(label=_("Your name"), max_length=150)
    job_title = SingleLineField(label=_("Job title"), max_length=150, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example wheelchair place, hearing loop, interpreter or diet. Only the organisers see it."),
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=[("sv", _("Swedish")), ("en", _("English"))])

    field_order = ["name", "organisation_type", "municipality", "region", "organisation_name", "job_title",
                   "category", "accessibility_needs", "language"]

    def service_fields(self) -> dict:
        return {**self.organisation_fields(), "job_title": self.cleaned_data["job_title"],
                "accessibility_needs": self.cleaned_data["accessibility_needs"],
                "language": self.cleaned_data["language"]}


def parse_members(text: str) -> list[Member]:
    """One person per line, "Name, email" (a tab or semicolon also separates). Errors name the line."""
    members, errors = [], []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.replace("\t", ",").replace(";", ",").rsplit(",", 1)]
        if len(parts) != 2 or not parts[0]:
            errors.append(_("Line %(n)d: write the name, a comma and the email address.") % {"n": number})
            continue
        name, email = collapse_whitespace(parts[0]), parts[1]
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(_("Line %(n)d: “%(email)s” is not a valid email address.") % {"n": number, "email": email})
            continue
        if len(name) > 150:
            errors.append(_("Line %(n)d: the name is longer than 150 characters.") % {"n": number})
            continue
        try:
            validate_single_line(name)
        except ValidationError:
            errors.append(_("Line %(n)d: the name contains a control character.") % {"n": number})
            continue
        members.append(Member(name=name, email=email))
    if errors:
        raise ValidationError(errors)
    if not 1 <= len(members) <= MAX_DELEGATION:
        raise ValidationError(_("A delegation has 1 to %(max)d people; you listed %(n)d.")
                              % {"max": MAX_DELEGATION, "n": len(members)})
    return members


class DelegationForm(OrganisationFields):
    members = forms.CharField(
        label=_("Colleagues"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One person per line: name, comma, email. For example: Anna Andersson, anna@example.se. "
                    "1 to 20 people."),
    )
    language = forms.ChoiceField(label=_("Language for their emails"),
                                 choices=[("sv", _("Swedish")), ("en", _("English"))])

    def clean_members(self):
        return parse_members(self.cleaned_data["members"])

    def clean(self):
        data = super().clean()
        if data.get("organisation_type") == OrganisationType.MUNICIPALITY and data.get("municipality"):
            data["organisation_name"] = data["municipality"].name
        elif data.get("organisation_type") == OrganisationType.REGION and data.get("region"):
            data["organisation_name"] = data["region"].name
        return data


class MemberForm(forms.Form):
    name = SingleLineField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)


class ClaimSignupForm(forms.Form):
    password1 = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from django.contrib.auth import password_validation

        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


# Door and badges

MAX_CODE_LENGTH = 500


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=MAX_CODE_LENGTH, strip=True,
                           error_messages={"required": _("Scan a badge or type its code.")})
    nonce = forms.RegexField(regex=NONCE_RE, widget=forms.HiddenInput,
                             error_messages={"invalid": _("The scanner sent a malformed request.")})
    walk_in = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({
            "autofocus": True, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
            "enterkeyhint": "go", "class": "scan-input",
        })


class BadgeBatchForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Paper"), initial=LAYOUT_A6,
        choices=[(LAYOUT_A6, _("A6, one badge per sheet")),
                 (LAYOUT_A4, _("A4, four badges per sheet with cut marks"))],
    )
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=Delegation.objects.none(),
                                        required=False, empty_label=_("All delegations and individuals"))
    category = forms.ChoiceField(label=_("Ticket category"), required=False,
                                 choices=[("", _("All categories")), *TicketCategory.choices])
    not_printed = forms.BooleanField(label=_("Only badges not printed yet"), required=False)
    order = forms.ChoiceField(
        label=_("Order"), required=False, initial="name",
        choices=[("name", _("By name")), ("surname", _("By surname")),
                 ("organisation", _("By municipality or organisation")), ("delegation", _("By delegation"))],
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.filter(conference=conference).select_related(
            "coordinator").order_by("organisation_name", "created_at")
        # Several delegations may come from one municipality: tell them apart by coordinator and date.
        self.fields["delegation"].label_from_instance = lambda d: (
            f"{d.organisation_name} ({d.coordinator.email}, {d.created_at:%Y-%m-%d})"
        )


class MessageForm(forms.Form):
    """An organisers' message: who gets it, and its text (optionally also in English)."""

    audience = forms.ChoiceField(label=_("Recipients"), choices=Audience.choices, widget=forms.RadioSelect,
                                 initial=Audience.SEMINAR_ALL)
    seminar = forms.ModelChoiceField(
        label=_("Seminar"), queryset=None, required=False, to_field_name="code",
        empty_label=_("Choose a seminar"), help_text=_("Only for the seminar groups above."),
    )
    subject = SingleLineField(label=_("Subject"), max_length=MAX_MESSAGE_SUBJECT)
    body = forms.CharField(
        label=_("Text"), max_length=MAX_MESSAGE_BODY, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Each recipient's email starts with a greeting by name and ends with the reason "
                    "they get it, in their language."),
    )
    subject_en = SingleLineField(label=_("Subject in English"), max_length=MAX_MESSAGE_SUBJECT, required=False)
    body_en = forms.CharField(
        label=_("Text in English"), max_length=MAX_MESSAGE_BODY, required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Optional. People who chose English get this version; without it they get the text above."),
    )
    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", widget=forms.HiddenInput,
                             error_messages={"invalid": _("The form was damaged. Please start again.")})

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        from sessions.models import Seminar

        self.fields["seminar"].queryset = Seminar.objects.filter(conference=conference).order_by("start", "title")
        self.fields["seminar"].label_from_instance = lambda s: (
            f"{s.title} ({formats.date_format(timezone.localtime(s.start), 'D j M H:i')})"
        )

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n").strip()

    def clean_body_en(self):
        return self.cleaned_data["body_en"].replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        if data.get("audience") in Audience.for_seminar() and not data.get("seminar"):
            self.add_error("seminar", _("Choose the seminar whose attendees should get the message."))
        if bool(data.get("subject_en")) != bool(data.get("body_en")) and not (
            self.has_error("subject_en") or self.has_error("body_en")
        ):
            self.add_error("body_en" if data.get("subject_en") else "subject_en",
                           _("An English version needs both a subject and a text."))
        return data
