from django.core.management.base import BaseCommand, CommandError

from prcouncil.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database and the evidence files, with a manifest of checksums, "
        "into a new or empty folder (docs/security.md, 'Backup and restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="where to write the backup (new, or empty)")
        parser.add_argument(
            "--method",
            choices=["auto", "sqlite", "pg_dump", "dumpdata"],
            default="auto",
            help="PostgreSQL: pg_dump (custom format; the default when pg_dump is installed) or dumpdata "
            "(the fallback: Django's dumpdata as XML, in one snapshot). "
            "SQLite: always a copy through the online backup API.",
        )

    def handle(self, *args, folder, method, **options):
        try:
            manifest = make_backup(folder, method=method)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {folder}: {manifest['method']}, {len(manifest['tables'])} tables, "
                f"{rows} rows, {len(manifest['files'])} evidence files."
            )
        )
