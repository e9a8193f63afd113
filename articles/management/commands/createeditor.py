import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

PASSWORD_VARIABLE = "NEWSROOM_EDITOR_PASSWORD"  # noqa: S105 (a variable name)


class Command(BaseCommand):
    help = (
        "Create an editor (or make an existing user one) in the Editors group. The password is "
        f"prompted for, or read from ${PASSWORD_VARIABLE} for scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *, username: str, email: str, **options) -> str:
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        if email:
            user.email = email
        password = os.environ.get(PASSWORD_VARIABLE) or self.ask_password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        how = "updated" if user.pk else "created"
        user.set_password(password)
        user.save()
        user.groups.add(editors_group())
        return f"{how} editor {username}"

    def ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the passwords do not match")
        if not password:
            raise CommandError(f"no password given (type one, or set ${PASSWORD_VARIABLE})")
        return password


def editors_group() -> Group:
    """The Editors group from migration 0003, made again if someone deleted it."""
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="add_revision")
    )
    return group
