"""manage.py create_api_token <username> <name>: a personal API token; prints its secret once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services


class Command(BaseCommand):
    help = "Make an API token for a person and print its secret (shown only this once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'national dashboard'.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active.")
        try:
            token, secret = services.create_token(user=user, name=name.strip())
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(f"Token {token.name!r} for {username} (prefix {token.prefix}). Its secret, shown once:")
        self.stdout.write(secret)
