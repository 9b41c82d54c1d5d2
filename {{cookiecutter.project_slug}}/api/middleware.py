"""Keeps the project API's answers to unsupported methods in the JSON error envelope."""

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from core.errors import PROJECT_API_PREFIX, error_response


class JSONMethodNotAllowedMiddleware(MiddlewareMixin):
    """Turns django-ninja's plain-text 405 on the project API into the JSON envelope, keeping its Allow header."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # path_info: the path the site routes, without the prefix (SCRIPT_NAME) of a site mounted under one.
        if response.status_code != 405 or not request.path_info.startswith(PROJECT_API_PREFIX):
            return response
        allowed = response.get("Allow", "")
        answer = error_response(
            405, f"{request.method} is not allowed here; use {allowed or 'another method'}.", "method_not_allowed"
        )
        answer["Allow"] = allowed
        return answer
