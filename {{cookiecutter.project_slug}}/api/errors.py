"""Error responses in allauth's headless envelope, so clients parse one shape everywhere."""

from django.http import JsonResponse


def error_response(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"status": status, "errors": [{"message": message, "code": code}]}, status=status)
