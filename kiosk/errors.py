"""Domain errors: each carries a message a person can read."""


class DomainError(Exception):
    """A broken business rule."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class InvalidTransition(DomainError):
    status_code = 409


class ConflictError(DomainError):
    """Someone else saved first; `changes` lists what they saved."""

    status_code = 409

    def __init__(self, message: str, changes=None):
        super().__init__(message)
        self.changes = changes or []


class ValidationError(DomainError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field
