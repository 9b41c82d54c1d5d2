"""Rejects request bodies the headless API cannot read, with a JSON error instead of an empty 400."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from .errors import error_response

API_PREFIX = "/_allauth/"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class JSONBodyMiddleware(MiddlewareMixin):
    # A view hook, so that CsrfViewMiddleware (listed before) has answered first.
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not request.path.startswith(API_PREFIX):
            return None
        if not request.body:
            return None
        try:
            data = json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError:
            return error_response(400, "The request body is not valid UTF-8.", "invalid_encoding")
        except (json.JSONDecodeError, RecursionError):
            return error_response(400, "The request body is not valid JSON.", "invalid_json")
        if not isinstance(data, dict):
            return error_response(400, "The request body must be a JSON object.", "invalid_json")
        return None
