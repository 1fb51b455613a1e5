from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import instructor_grant, instructor_revoke


class Command(BaseCommand):
    help = "Make a user an instructor (member of the 'instructors' group), or --revoke it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, username: str, revoke: bool, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if revoke:
            instructor_revoke(user=user)
            self.stdout.write(f"{username} is no longer an instructor.")
        else:
            instructor_grant(user=user)
            self.stdout.write(f"{username} is now an instructor.")
