from .menu import menu_for
from .scoping import user_permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": menu_for(user, request.path), "user_perms": user_permissions(user)}
