"""Who may see what: one secured base for every back-office view, and a per-action role check."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from sqlalchemy import Enum, Integer

from kiosk.accounts import services as accounts
from kiosk.accounts.access import has_any_role as has_any
from kiosk.accounts.models import Role, User
from kiosk.extensions import login_manager
from kiosk.requestargs import parse_int

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


MAX_LIST_PAGE = 10_000


def _filter_value_fits(flt, value: str) -> bool:
    column_type = getattr(getattr(flt, "column", None), "type", None)
    parts = [p.strip() for p in str(value).split(",")]
    if isinstance(column_type, Enum):
        return all(p in column_type.enums for p in parts)
    if isinstance(column_type, Integer):
        return all(parse_int(p.removeprefix("-"), 0) is not None for p in parts)
    return True


def _tolerant(validate):
    def check(value) -> bool:
        try:
            return validate(value)
        except (KeyError, ValueError, TypeError):
            return False

    return check


class SecuredModelView(SecuredMixin, ModelView):
    """Shared facts and other plain tables; the administrator edits them."""

    allowed_roles = (Role.ADMINISTRATOR,)
    can_delete = False
    can_view_details = True
    page_size = 50

    def _get_list_extra_args(self):
        """Flask-Admin reads `?page=` with `int()`: a negative or huge page would reach OFFSET (a database error)."""
        args = super()._get_list_extra_args()
        page = args.page if 0 <= (args.page or 0) <= MAX_LIST_PAGE else 0
        page_size = args.page_size if args.page_size in self.page_size_options else 0
        return args.clone(page=page, page_size=page_size)

    def scaffold_filters(self, name):
        """Flask-Admin's enum filters raise KeyError on a value that is no member: treat it as invalid."""
        made = super().scaffold_filters(name)
        for flt in made or ():
            flt.validate = _tolerant(flt.validate)
        return made

    def _get_list_filter_args(self):
        """Filter values the column cannot hold (integers beyond its range, unknown enum values) are dropped."""
        kept = super()._get_list_filter_args()
        return None if kept is None else [f for f in kept if _filter_value_fits(self._filters[f[0]], f[2])]

    def get_one(self, id):
        """None ("record does not exist") for an `?id=` that is no id at all, never a database error."""
        number = parse_int(str(id))
        return super().get_one(str(number)) if number is not None else None
