from django.core.management.base import BaseCommand, CommandError

from prcouncil.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an EMPTY database (DATABASE_URL) and an empty "
        "evidence folder, then check every table and file against the backup's manifest."
    )
    requires_system_checks = []  # the database is empty until the restore: nothing to check yet

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")

    def handle(self, *args, folder, **options):
        try:
            result = restore_backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {result['tables']} tables, {result['rows']} rows and {result['files']} evidence "
                "files, each the same as in the backup (0 differences)."
            )
        )
