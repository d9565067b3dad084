from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions.imports import Action, ProgrammeImportError, apply_import, parse_rows, preview_import
from sessions.models import Conference


class Command(BaseCommand):
    help = ("Import seminars from a CSV or XLSX file (columns as in the admin's template). Prints the preview; "
            "saves only with --confirm, all rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("conference", help="The conference's slug.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--confirm", action="store_true", help="Save the rows (otherwise only preview).")
        parser.add_argument("--accept-consequences", action="store_true",
                            help="Confirm the warnings about booked attendees (seats cut, clashes).")

    def handle(self, *args, conference, file, confirm, accept_consequences, **options):
        try:
            conference = Conference.objects.get(slug=conference)
        except Conference.DoesNotExist:
            raise CommandError(f"No conference with the slug {conference!r}.") from None
        try:
            with file.open("rb") as handle:
                rows = parse_rows(handle, file.name)
        except OSError as error:
            raise CommandError(str(error)) from None
        except ProgrammeImportError as error:
            raise CommandError(error.message) from None
        preview = preview_import(conference, rows)
        for row in preview.rows:
            self.stdout.write(f"row {row.line}: {row.action} {row.code or '-'} {row.cells['title']}")
            for column, messages in row.errors.items():
                for message in messages:
                    self.stdout.write(f"  {column}: {message}")
            for warning in row.warnings:
                self.stdout.write(f"  warning ({warning.code}): {warning.message}")
        counts = {action: preview.count(action) for action in Action}
        summary = ", ".join(f"{counts[a]} {a}" for a in Action)
        self.stdout.write(summary)
        if preview.has_errors:
            raise CommandError("Rows have errors; nothing was saved.")
        if not confirm:
            self.stdout.write("Preview only; run again with --confirm to save.")
            return
        accepted = {row.line: {w.code for w in row.warnings} for row in preview.rows} if accept_consequences else {}
        try:
            apply_import(conference, preview, confirm=accepted)
        except ProgrammeImportError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Saved: {summary}."))
