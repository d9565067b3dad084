
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registration.demo import build_demo_people, clear_demo_people
from sessions.demo import DEMO_FIRST_DAY, DEMO_SLUG, build_demo_programme, parse_day


class Command(BaseCommand):
    help = "Load the demo conference: the MVT2016 programme and ~770 attendees with bookings and lines."

    def add_arguments(self, parser):
        parser.add_argument("--seminars", type=int, default=60)
        parser.add_argument("--attendees", type=int, default=770)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--force", action="store_true",
                            help="Run even with DEBUG off (it replaces the demo conference and resets demo logins).")
        parser.add_argument(
            "--first-day", type=parse_day, default=DEMO_FIRST_DAY,
            help="Move the conference to start on this day: YYYY-MM-DD, 'today', or '+N' days from today "
                 "(e.g. +21: booking is open; today: door scanning admits people).",
        )

    def handle(self, *args, seminars, attendees, seed, first_day, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. The demo replaces the conference "
                               f"'{DEMO_SLUG}' and creates logins with a published password; add --force to do it.")
        if not 1 <= seminars <= 1000 or not 1 <= attendees <= 20000:
            raise CommandError("--seminars must be 1–1000 and --attendees 1–20000.")
        with transaction.atomic():
            clear_demo_people(DEMO_SLUG)
            conference = build_demo_programme(seminars=seminars, seed=seed, first_day=first_day)
            logins = build_demo_people(conference, attendees=attendees)
        registrations = conference.registrations.count()
        municipalities = conference.registrations.exclude(municipality=None).values("municipality").distinct().count()
        self.stdout.write(self.style.SUCCESS(
            f"{conference.name}: {conference.seminars.bookable().count()} seminars, {registrations} attendees from "
            f"{municipalities} municipalities, {conference.delegations.count()} delegations."
        ))
        self.stdout.write(
            f"Demo logins (password for all: {logins.password}):\n"
            f"  organiser:  {logins.organiser}  (admin at /admin/)\n"
            f"  door staff: {logins.door_staff}  (scanner at /staff/door/)\n"
            f"  attendee:   {logins.attendee}  (my programme at /{conference.slug}/me/)\n"
            "Staff accounts use two-factor login: the code is printed by `python manage.py demo_totp`\n"
            f"(TOTP secret {logins.totp_secret}, which you can also add to an authenticator app)."
        )
