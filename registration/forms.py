"""Forms validate input; services decide. No form saves a registration or booking by itself."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.text import collapse_whitespace, validate_single_line

from .badge_pdf import LAYOUT_A4, LAYOUT_A6
from .errors import Code
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


CONFLICT_MESSAGES = {
    "municipality": _("You chose %(type)s as the type of organisation, but also a municipality. Empty the "
                      "municipality, or choose Municipality as the type."),
    "region": _("You chose %(type)s as the type of organisation, but also a region. Empty the region, or choose "
                "Region as the type."),
    "organisation_name": _("You chose %(type)s as the type of organisation, but also wrote an organisation name. "
                           "Empty the name, or choose the type that fits it."),
}


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

    # Which of the three organisation fields belongs to which type; the others must stay empty.
    FIELD_FOR_TYPE = {OrganisationType.MUNICIPALITY: "municipality", OrganisationType.REGION: "region"}
    ORGANISATION_FIELDS = ("municipality", "region", "organisation_name")

    def field_for_type(self, kind: str) -> str:
        return self.FIELD_FOR_TYPE.get(kind, "organisation_name")

    def clean(self):
        data = super().clean()
        kind = data.get("organisation_type")
        if not kind:
            return data
        chosen = self.field_for_type(kind)
        if chosen == "municipality" and not data.get("municipality") and "municipality" not in self.errors:
            self.add_error("municipality", _("Choose your municipality from the list."))
        elif chosen == "region" and not data.get("region") and "region" not in self.errors:
            self.add_error("region", _("Choose your region from the list."))
        elif chosen == "organisation_name" and not data.get("organisation_name", "").strip() \
                and "organisation_name" not in self.errors:
            self.add_error("organisation_name", _("Enter the name of your organisation."))
        # Contradictory input is refused, never silently dropped: the person sees what clashes.
        type_label = dict(OrganisationType.choices)[kind]
        for other in self.ORGANISATION_FIELDS:
            if other != chosen and data.get(other):
                self.add_error(other, ValidationError(
                    str(CONFLICT_MESSAGES[other]) % {"type": str(type_label).lower()},
                    code=Code.ORGANISATION_CONFLICT,
                ))
        for other in self.ORGANISATION_FIELDS:
            if other != chosen:
                data[other] = "" if other == "organisation_name" else None
        return data

    def organisation_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in
                ("organisation_type", "municipality", "region", "organisation_name", "category")
                if key in self.fields}


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


class RegistrationEditForm(RegistrationForm):
    """What an attendee may change about their registration: everything but the ticket category."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]

    @classmethod
    def initial_for(cls, registration) -> dict:
        return {"name": registration.name, "organisation_type": registration.organisation_type,
                "municipality": registration.municipality_id, "region": registration.region_id,
                "organisation_name": registration.organisation_name, "job_title": registration.job_title,
                "accessibility_needs": registration.accessibility_needs, "language": registration.language}

    def service_fields(self) -> dict:
        return {"name": self.cleaned_data["name"], **super().service_fields()}


def _split_member_line(line: str) -> list[str]:
    """[name, email] from one line. Pasted from a spreadsheet (tabs), the email is the last cell with an @
    and the cells before it make the name ("Anna⇥Andersson⇥anna@example.se"); else a comma or semicolon
    separates the name from the email."""
    if "\t" in line:
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        at = max((i for i, cell in enumerate(cells) if "@" in cell), default=None)
        if at is not None:
            return [" ".join(cells[:at]), cells[at]]
    return [p.strip() for p in line.replace("\t", ",").replace(";", ",").rsplit(",", 1)]


def parse_members(text: str) -> list[Member]:
    """One person per line, "Name, email" (a tab or semicolon also separates). Errors name the line."""
    members, errors = [], []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = _split_member_line(line)
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


class AddMembersForm(forms.Form):
    members = forms.CharField(
        label=_("Colleagues to add"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One person per line: name, comma, email (or paste two columns from a spreadsheet)."),
    )

    def clean_members(self):
        return parse_members(self.cleaned_data["members"])


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


class EraseAccountForm(forms.Form):
    """Erasing one's account: a tick that says what it means, and the password, so a borrowed logged-in
    phone cannot do it."""

    confirm = forms.BooleanField(
        label=_("I understand: my registrations are cancelled, my seats go to others, and this cannot be undone."),
    )
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."), code="wrong_password")
        return password


class FeedbackForm(forms.Form):
    """A rating from 1 to 5 and an optional comment about one seminar."""

    rating = forms.TypedChoiceField(
        label=_("How was the seminar?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 – very good")), (4, _("4 – good")), (3, _("3 – fair")), (2, _("2 – poor")),
                 (1, _("1 – very poor"))],
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The speakers never see your name or your comment; the organisers see comments without names."),
    )

    def clean_comment(self):
        return self.cleaned_data["comment"].replace("\x00", "").strip()


class SpeakerBadgeForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Paper"), initial=LAYOUT_A6,
        choices=[(LAYOUT_A6, _("A6, one badge per sheet")),
                 (LAYOUT_A4, _("A4, four badges per sheet with cut marks"))],
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
