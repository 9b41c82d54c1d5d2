"""python manage.py rotate_jwt_key: print the settings for replacing the key that signs JWT access tokens."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import jwt_keys


class Command(BaseCommand):
    help = (
        "Prints a new HEADLESS_JWT_PRIVATE_KEY and, as JWT_PREVIOUS_PUBLIC_KEY, the public half of the current one, "
        "in .env format. Set both, then restart; see the README's key rotation steps."
    )

    def handle(self, *args, **options) -> None:
        current = settings.HEADLESS_JWT_PRIVATE_KEY
        if not current:
            command = jwt_keys.new_key_command()
            raise CommandError(f"There is no current key to rotate. Make a first one with: {command}.")
        self.stdout.write(jwt_keys.env_line(jwt_keys.PRIVATE_KEY_SETTING, jwt_keys.new_private_key()))
        self.stdout.write(jwt_keys.env_line(jwt_keys.PREVIOUS_PUBLIC_KEY_SETTING, jwt_keys.public_key_of(current)))
