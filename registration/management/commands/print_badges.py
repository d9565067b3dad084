"""Write a batch of badges to a PDF: all, one delegation, one category, or those not printed yet."""

import sys
import uuid

from django.core.management.base import BaseCommand, CommandError

from registration.badge_pdf import BATCH_ORDERS, LAYOUT_A4, LAYOUT_A6, LAYOUTS, batch_registrations, print_batch
from registration.models import Delegation, TicketCategory
from sessions.models import Conference


class Command(BaseCommand):
    help = "Print a batch of badges to a PDF file and mark them printed."

    def add_arguments(self, parser):
        parser.add_argument("--conference", required=True, help="Conference slug, e.g. mvt2016.")
        parser.add_argument("--delegation", help="A delegation's public id (UUID) or exact organisation name.")
        parser.add_argument("--category", choices=TicketCategory.values)
        parser.add_argument("--not-printed", action="store_true", help="Only badges not printed yet.")
        parser.add_argument("--layout", choices=LAYOUTS, default=LAYOUT_A6,
                            help=f"{LAYOUT_A6}: one A6 badge per page; {LAYOUT_A4}: four per A4 with cut marks.")
        parser.add_argument("--order", choices=BATCH_ORDERS, default="name",
                            help="Order of the badges: name, surname, organisation or delegation (default name).")
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, **options):
        try:
            conference = Conference.objects.get(slug=options["conference"])
        except Conference.DoesNotExist:
            raise CommandError(f"No conference with slug {options['conference']!r}.") from None
        delegation = None
        if options["delegation"]:
            delegations = Delegation.objects.filter(conference=conference)
            try:
                delegation = delegations.filter(public_id=uuid.UUID(options["delegation"])).first()
            except ValueError:
                delegation = delegations.filter(organisation_name=options["delegation"]).first()
            if delegation is None:
                raise CommandError(f"No delegation {options['delegation']!r} in {conference}.")
        registrations = batch_registrations(conference, delegation=delegation, category=options["category"],
                                            not_printed=options["not_printed"], order=options["order"])
        width = 30

        def progress(done, total):
            total = total or 1
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        with open(options["output"], "wb") as out:
            count = print_batch(registrations, out, layout=options["layout"], progress=progress,
                                title=conference.name)
        self.stdout.write(f"Wrote {count} badges to {options['output']}.")
