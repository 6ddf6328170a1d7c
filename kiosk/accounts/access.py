"""Who may open a back-office screen: one check for every package that mounts screens under /admin."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .models import Role


def has_any_role(*roles: Role) -> bool:
    return current_user.is_authenticated and any(current_user.has_role(r) for r in roles)


CARD_WORK_ROLES = (Role.EDITOR, Role.APPROVER, Role.PUBLISHER, Role.ADMINISTRATOR)


def card_department_ids(user) -> set[int]:
    """The departments whose cards `user` answers for: none unless the account holds a card role, whatever
    departments it is linked to (department staff are linked for intake cases only)."""
    if user is None or not user.is_active or not any(user.has_role(r) for r in CARD_WORK_ROLES):
        return set()
    return {d.id for d in user.departments}


def check_roles(*roles: Role):
    """None when the current person may go on; the log-in page when logged out; 403 without a role."""
    if not current_user.is_authenticated:
        return redirect(url_for("admin_auth.login", next=request.full_path))
    if not has_any_role(*roles):
        abort(403)
    return None


def roles_required(*roles: Role):
    """A view decorator applying `check_roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return check_roles(*roles) or view(*args, **kwargs)

        return wrapper

    return decorator
