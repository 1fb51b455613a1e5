"""Who may do what. Roles: learner (every account), instructor (the `instructors` group, which
holds the bank's permissions), staff (Django admin)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

INSTRUCTOR_GROUP = "instructors"
INSTRUCTOR_PERMISSIONS = (
    ("bank", "curate_question"),
    ("bank", "add_question"),
    ("bank", "change_question"),
    ("bank", "view_question"),
)


def instructor_group() -> Group:
    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in INSTRUCTOR_PERMISSIONS
    ]
    group.permissions.add(*permissions)
    return group


def is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("bank.curate_question"))
