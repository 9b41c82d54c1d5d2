"""Errors in allauth's headless envelope, {"status": ..., "errors": [...]}, so clients parse one shape everywhere."""

from django.http import JsonResponse

# Where the site answers in JSON: allauth's headless API and the project API.
HEADLESS_API_PREFIX = "/_allauth/"
PROJECT_API_PREFIX = "/api/"
API_PREFIXES = (HEADLESS_API_PREFIX, PROJECT_API_PREFIX)


def error_response(status: int, message: str, code: str, param: str | None = None) -> JsonResponse:
    error = {"message": message, "code": code}
    if param:
        error["param"] = param
    return errors_response(status, [error])


def errors_response(status: int, errors: list[dict[str, str]]) -> JsonResponse:
    """Several errors at once, each with its message, code and, for a field, param."""
    return JsonResponse({"status": status, "errors": errors}, status=status)
