"""Rejects request bodies the headless API would misread, with a JSON error naming the problem.

allauth answers a body that is not JSON with an empty 400, and its inputs are
Django form fields, which turn any JSON value into text: a password sent as
``{"a": 1}`` would be stored as the string "{'a': 1}". Here each field that an
endpoint's input declares as text must arrive as a JSON string, and each
boolean as a JSON boolean; null is refused too (leave the field out instead).
"""

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from .errors import error_response

API_PREFIX = "/_allauth/"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class JSONBodyMiddleware(MiddlewareMixin):
    # A view hook, so that CsrfViewMiddleware (listed before) has answered first.
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not request.path.startswith(API_PREFIX) or not request.body:
            return None
        try:
            data = json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError:
            return error_response(400, "The request body is not valid UTF-8.", "invalid_encoding")
        except (json.JSONDecodeError, RecursionError):
            return error_response(400, "The request body is not valid JSON.", "invalid_json")
        if not isinstance(data, dict):
            return error_response(400, "The request body must be a JSON object.", "invalid_json")
        return _wrong_type(data, _declared_fields(view, request.method))


def _declared_fields(view, method: str) -> dict[str, forms.Field]:
    input_class = getattr(getattr(view, "view_class", None), "input_class", None)
    if isinstance(input_class, dict):
        input_class = input_class.get(method)
    return getattr(input_class, "base_fields", {})


def _wrong_type(data: dict, fields: dict[str, forms.Field]) -> HttpResponse | None:
    for name, field in fields.items():
        if name not in data:
            continue
        value = data[name]
        if isinstance(field, forms.BooleanField):
            expected, ok = "true or false", isinstance(value, bool)
        elif isinstance(field, forms.CharField | forms.ChoiceField):
            expected, ok = "a string", isinstance(value, str)
        else:
            continue
        if not ok:
            return error_response(400, f"This field must be {expected}.", "invalid", param=name)
    return None
