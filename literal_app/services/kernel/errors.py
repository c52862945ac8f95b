"""Domain errors raised by services; the API maps them to HTTP/GraphQL errors, the UI to toasts."""


class DomainError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class TooManyAttempts(DomainError):
    status_code = 429


class Conflict(DomainError):
    status_code = 409
