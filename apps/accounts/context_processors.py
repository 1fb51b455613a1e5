from apps.accounts.roles import is_instructor


def roles(request):
    user = getattr(request, "user", None)
    return {"is_instructor": bool(user and is_instructor(user))}
