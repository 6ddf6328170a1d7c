"""Accounts: password hashing, log-in with a rate limit, and account management.

Services add and flush; the caller (a view or a CLI command) commits.
"""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select

from kiosk.audit import record_audit
from kiosk.clock import now
from kiosk.errors import DomainError, NotFound, ValidationError
from kiosk.extensions import db
from kiosk.ratelimit import LOGIN

from .models import Role, User, UserSession

MIN_PASSWORD_LENGTH = 10


class LoginFailed(DomainError):
    status_code = 401


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"],
                          parallelism=cfg["ARGON2_PARALLELISM"])  # fmt: skip


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """True when `password` matches; re-hashes with the current cost when it changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def _validate_password(password: str, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Hasło musi mieć co najmniej {MIN_PASSWORD_LENGTH} znaków.", "password")
    if len(password) > 200:
        raise ValidationError("Hasło może mieć najwyżej 200 znaków.", "password")
    if user is not None and password.lower() in {user.username.lower(), (user.display_name or "").lower()}:
        raise ValidationError("Hasło nie może być takie samo jak nazwa użytkownika.", "password")


def authenticate(username: str, password: str, address: str) -> User:
    """The active user with these credentials; every attempt is recorded and limited per source.

    Failures lock the address for that account (and, in greater number, the address altogether), never the
    account itself: the real person still gets in from their own desk while someone guesses elsewhere.
    """
    username = (username or "").replace("\x00", "").strip().lower()[:80]
    LOGIN.check(address, username)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    ok = user is not None and bool(user.password_hash) and check_password(user, password or "")
    if user is None:
        hash_password(password or "")  # same work either way, so timing does not reveal accounts
    ok = ok and user.active
    LOGIN.record(address, username, success=ok)
    if not ok:
        raise LoginFailed("Nieprawidłowa nazwa użytkownika lub hasło (albo konto jest wyłączone).")
    record_audit(user, "login", user)
    return user


def unlock_account(user: User, actor: User | None = None, address: str | None = None) -> int:
    """Forget failed log-ins to `user` (from every address, or from `address` only); returns how many."""
    removed = LOGIN.clear(subject=user.username.lower(), address=address)
    record_audit(actor, "unlock_account", user, removed=removed)
    return removed


def unlock_address(address: str) -> int:
    """Forget every failed log-in from `address` (e.g. a shared office address that got locked)."""
    return LOGIN.clear(address=address.strip())


# --- sessions ---------------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a session for `user` and return its token (set on `user.session_token` for Flask-Login)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_token_hash(token), created_at=now()))
    db.session.flush()
    user.session_token = token
    return token


def session_user(token: str | None) -> User | None:
    """The active account whose session has this token, or None (ended, unknown or disabled)."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(select(User).join(UserSession, UserSession.user_id == User.id)
                             .where(UserSession.token_hash == _token_hash(token)))  # fmt: skip
    if user is None or not user.active:
        return None
    user.session_token = token
    return user


def end_session(token: str | None) -> None:
    """End one session (log-out): its cookie, replayed, no longer opens anything."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def end_sessions(user: User) -> int:
    """End every session of `user` at once; returns how many were open."""
    return db.session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount or 0


def _roles(values) -> list[Role]:
    try:
        return [Role(v) for v in values]
    except ValueError as exc:
        names = ", ".join(r.value for r in Role)
        raise ValidationError(f"Nieznana rola; dostępne: {names}.", "roles") from exc


def create_user(username: str, display_name: str, password: str, roles=(), *, email: str = "",
                departments=(), actor: User | None = None) -> User:  # fmt: skip
    """Create an account with an argon2-hashed password."""
    username = username.strip()
    if not username or len(username) > 80:
        raise ValidationError("Nazwa użytkownika musi mieć od 1 do 80 znaków.", "username")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValidationError(f"Użytkownik „{username}” już istnieje.", "username")
    user = User(username=username, display_name=(display_name.strip() or username)[:120], email=email[:120])
    _validate_password(password, user)
    user.password_hash = hash_password(password)
    user.roles = _roles(roles)
    user.departments = list(departments)
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "create_user", user, roles=sorted(user.roles_csv.split(",")))
    return user


def set_roles(user: User, roles, actor: User | None = None, departments=None) -> User:
    """Replace the user's roles (and, when given, their departments).

    Taking anything away (every role, one role, a department) ends the account's open sessions at once.
    """
    before_roles, before_departments = user.roles, {d.id for d in user.departments}
    user.roles = _roles(roles)
    if departments is not None:
        user.departments = list(departments)
    narrowed = not before_roles <= user.roles or not before_departments <= {d.id for d in user.departments}
    ended = end_sessions(user) if narrowed or not user.roles else 0
    record_audit(actor, "set_roles", user, roles=user.roles_csv, sessions_ended=ended,
                 departments=[d.slug for d in user.departments])  # fmt: skip
    return user


def disable_user(user: User, actor: User | None = None) -> User:
    """Switch the account off and end its sessions; its history stays."""
    if actor is not None and actor.id == user.id:
        raise ValidationError("Nie możesz wyłączyć własnego konta.", "active")
    user.active = False
    end_sessions(user)
    record_audit(actor, "disable_user", user)
    return user


def change_password(user: User, old: str, new: str) -> User:
    """Change one's own password after checking the current one; every open session ends (the caller
    starts a new one for the browser that made the change)."""
    if not check_password(user, old or ""):
        raise ValidationError("Obecne hasło jest nieprawidłowe.", "old_password")
    _validate_password(new, user)
    user.password_hash = hash_password(new)
    end_sessions(user)
    record_audit(user, "change_password", user)
    return user


def get_user(username: str) -> User:
    """The account named `username`."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise NotFound(f"Nie ma użytkownika „{username}”.")
    return user
