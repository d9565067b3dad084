from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from sessions.demo import DEMO_FIRST_DAY, build_demo_programme, parse_day


class Command(BaseCommand):
    help = "Create (or recreate) the demo MVT2016 programme. Deterministic and safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--seminars", type=int, default=60,
                            help="How many seminars (default 60; 0 leaves rooms and tracks only).")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--first-day", type=parse_day, default=DEMO_FIRST_DAY,
                            help="YYYY-MM-DD, 'today' or '+N' days (default: 3 February 2016).")

    def handle(self, *args, seminars, seed, first_day, **options):
        if not 0 <= seminars <= 1000:
            raise CommandError("--seminars must be between 0 and 1000.")
        try:
            conference = build_demo_programme(seminars=seminars, seed=seed, first_day=first_day)
        except ProtectedError:
            raise CommandError(
                "The demo conference has registrations now; run `manage.py load_demo` to rebuild it all."
            ) from None
        self.stdout.write(self.style.SUCCESS(
            f"{conference.name}: {conference.seminars.bookable().count()} seminars, "
            f"{conference.seminars.exclude(kind='seminar').count()} plenaries, breaks and exhibition hours, "
            f"{conference.speakers.count()} speakers, {conference.rooms.count()} rooms."
        ))
