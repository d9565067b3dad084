import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts (demo only)."

    def handle(self, *args, **options):
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        from registration.demo import DEMO_TOTP_SECRET

        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        self.stdout.write(code)
