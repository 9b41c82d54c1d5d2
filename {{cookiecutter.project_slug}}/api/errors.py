"""Error responses in allauth's headless envelope, so clients parse one shape everywhere."""

from django.http import JsonResponse
from ninja import Schema


def error_response(status: int, message: str, code: str, param: str | None = None) -> JsonResponse:
    error = {"message": message, "code": code}
    if param:
        error["param"] = param
    return errors_response(status, [error])


def errors_response(status: int, errors: list[dict[str, str]]) -> JsonResponse:
    """Several errors at once, each with its message, code and, for a field, param."""
    return JsonResponse({"status": status, "errors": errors}, status=status)


class Error(Schema):
    message: str
    code: str
    param: str | None = None


class Errors(Schema):
    """The envelope's shape, for the OpenAPI document."""

    status: int
    errors: list[Error]


# The error answers every authenticated endpoint of the project API can give, for its OpenAPI description.
NOT_AUTHENTICATED = {401: Errors}
INVALID_INPUT = {400: Errors, 401: Errors, 403: Errors}
