"""Accounts: password hashing, log-in with a rate limit, and account management.

Services add and flush; the caller (a view or a CLI command) commits.
"""

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select

from kiosk.audit import record_audit
from kiosk.clock import now
from kiosk.errors import DomainError, NotFound, ValidationError
from kiosk.extensions import db

from .models import LoginAttempt, Role, User

MIN_PASSWORD_LENGTH = 10
KEEP_ATTEMPTS = timedelta(days=1)


class LoginFailed(DomainError):
    status_code = 401


class LoginLocked(DomainError):
    status_code = 429


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


def _failures(column, value: str, since) -> int:
    query = select(func.count(LoginAttempt.id)).where(column == value, LoginAttempt.at >= since,
                                                      LoginAttempt.success.is_(False))  # fmt: skip
    if column is LoginAttempt.username:
        last_ok = select(func.max(LoginAttempt.at)).where(LoginAttempt.username == value,
                                                          LoginAttempt.success.is_(True))  # fmt: skip
        ok_at = db.session.scalar(last_ok)
        if ok_at is not None:
            query = query.where(LoginAttempt.at > ok_at)
    return db.session.scalar(query) or 0


def _check_lock(username: str, address: str) -> None:
    cfg = current_app.config
    minutes = cfg["LOGIN_WINDOW_MINUTES"]
    since = now() - timedelta(minutes=minutes)
    if (_failures(LoginAttempt.username, username, since) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or _failures(LoginAttempt.address, address, since) >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]):  # fmt: skip
        raise LoginLocked(
            f"Zbyt wiele nieudanych prób logowania. Logowanie zostało zablokowane na {minutes} minut; "
            "spróbuj ponownie później albo poproś administratora o pomoc."
        )


def authenticate(username: str, password: str, address: str) -> User:
    """The active user with these credentials; every attempt is recorded and rate-limited."""
    username = (username or "").replace("\x00", "").strip().lower()[:80]
    address = (address or "unknown")[:64]
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - KEEP_ATTEMPTS))
    _check_lock(username, address)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    ok = user is not None and bool(user.password_hash) and check_password(user, password or "")
    if user is None:
        hash_password(password or "")  # same work either way, so timing does not reveal accounts
    ok = ok and user.active
    db.session.add(LoginAttempt(at=now(), username=username, address=address, success=ok))
    db.session.flush()
    if not ok:
        raise LoginFailed("Nieprawidłowa nazwa użytkownika lub hasło (albo konto jest wyłączone).")
    record_audit(user, "login", user)
    return user


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
    """Replace the user's roles (and, when given, the departments they approve for)."""
    user.roles = _roles(roles)
    if departments is not None:
        user.departments = list(departments)
    record_audit(actor, "set_roles", user, roles=user.roles_csv,
                 departments=[d.slug for d in user.departments])  # fmt: skip
    return user


def disable_user(user: User, actor: User | None = None) -> User:
    """Switch the account off; its history stays."""
    if actor is not None and actor.id == user.id:
        raise ValidationError("Nie możesz wyłączyć własnego konta.", "active")
    user.active = False
    record_audit(actor, "disable_user", user)
    return user


def change_password(user: User, old: str, new: str) -> User:
    """Change one's own password after checking the current one."""
    if not check_password(user, old or ""):
        raise ValidationError("Obecne hasło jest nieprawidłowe.", "old_password")
    _validate_password(new, user)
    user.password_hash = hash_password(new)
    record_audit(user, "change_password", user)
    return user


def get_user(username: str) -> User:
    """The account named `username`."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise NotFound(f"Nie ma użytkownika „{username}”.")
    return user
