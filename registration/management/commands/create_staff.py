import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registration.roles import DOOR_STAFF, ORGANISERS

ROLES = {"organiser": ORGANISERS, "door": DOOR_STAFF}


class Command(BaseCommand):
    help = "Create (or update) a staff account: an organiser or a door-staff member. They set up MFA at first login."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--password", help="Omit to be asked (recommended: it stays out of shell history).")

    @transaction.atomic
    def handle(self, *args, email, role, password, **options):
        from allauth.account.models import EmailAddress
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email}") from None
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The passwords differ.")
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first() or User(username=email.split("@")[0][:140], email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if user.pk is None and User.objects.filter(username=user.username).exists():
            user.username = email[:150]
        user.set_password(password)
        user.is_staff = user.is_staff or role == "organiser"  # adding door duty never demotes an organiser
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(self.style.SUCCESS(
            f"{email} is now {ROLES[role]}. They will be asked to set up two-factor login at first login."
        ))
