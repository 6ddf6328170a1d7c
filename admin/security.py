"""Who may see what: one secured base for every back-office view, and a per-action role check."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from kiosk.accounts import services as accounts
from kiosk.accounts.access import has_any_role as has_any
from kiosk.accounts.models import Role, User
from kiosk.extensions import login_manager

CARD_ROLES = (Role.EDITOR, Role.APPROVER, Role.PUBLISHER)
ANY_ROLE = tuple(Role)
# Roles that work in the card back office; department staff work only the intake screens.
BACK_OFFICE_ROLES = tuple(r for r in Role if r != Role.DEPARTMENT_STAFF)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Every request: the cookie's session must still be open and its account active."""
    return accounts.session_user(token)


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

    allowed_roles: tuple[Role, ...] = BACK_OFFICE_ROLES

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
