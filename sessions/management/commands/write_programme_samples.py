from django.core.management.base import BaseCommand

from sessions.demo_samples import write_samples


class Command(BaseCommand):
    help = ("Write the sample import spreadsheets (sessions/demo_data/) "
            "from the demo programme; the database is left as it was.")

    def handle(self, *args, **options):
        for path in write_samples():
            self.stdout.write(f"wrote {path}")
