"""Email a feedback link to everyone who took part in a conference's ended seminars and was not asked yet."""

from django.core.management.base import BaseCommand, CommandError

from sessions.models import Conference

from ...services.feedback import request_feedback


class Command(BaseCommand):
    help = ("Promise one feedback email (through the outbox) per person and ended seminar they took part in. "
            "Safe to run again, e.g. hourly from cron during the conference: nobody is asked twice.")

    def add_arguments(self, parser):
        parser.add_argument("conference", help="The conference's slug, e.g. mvt2016.")

    def handle(self, *args, conference, **options):
        conf = Conference.objects.filter(slug=conference).first()
        if conf is None:
            raise CommandError(f"No conference with the slug {conference!r}.")
        promised = request_feedback(conference=conf)
        self.stdout.write(f"{promised} feedback emails promised; the worker sends them.")
