"""Error responses in allauth's headless envelope, so clients parse one shape everywhere."""

from django.http import JsonResponse


def error_response(status: int, message: str, code: str, param: str | None = None) -> JsonResponse:
    error = {"message": message, "code": code}
    if param:
        error["param"] = param
    return JsonResponse({"status": status, "errors": [error]}, status=status)
