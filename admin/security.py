"""Who may see what: one secured base for every back-office view, and a per-action role check."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from kiosk.accounts.access import has_any_role as has_any
from kiosk.accounts.models import Role, User
from kiosk.extensions import db, login_manager
from kiosk.requestargs import parse_int

CARD_ROLES = (Role.EDITOR, Role.APPROVER, Role.PUBLISHER)
ANY_ROLE = tuple(Role)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    number = parse_int(user_id)
    user = db.session.get(User, number) if number is not None else None
    return user if user is not None and user.active else None


def requires(*roles: Role):
    """Narrow a view method to people holding one of `roles` (403 otherwise)."""

    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if not has_any(*roles):
                abort(403)
            return fn(*args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorator


class SecuredMixin:
    """Logged-out visitors go to the log-in page; logged-in people without a role get 403."""

    allowed_roles: tuple[Role, ...] = ANY_ROLE

    def is_accessible(self) -> bool:
        return has_any(*self.allowed_roles)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("admin_auth.login", next=request.full_path))
        abort(403)


class SecuredView(SecuredMixin, BaseView):
    pass


class SecuredIndexView(SecuredMixin, AdminIndexView):
    pass


class SecuredModelView(SecuredMixin, ModelView):
    """Shared facts and other plain tables; the administrator edits them."""

    allowed_roles = (Role.ADMINISTRATOR,)
    can_delete = False
    can_view_details = True
    page_size = 50

    def get_one(self, id):
        """None ("record does not exist") for an `?id=` that is no id at all, never a database error."""
        number = parse_int(str(id))
        return super().get_one(str(number)) if number is not None else None
