"""Checks request bodies before allauth's headless API reads them, and refuses those it would misread.

allauth answers a body that is not JSON with an empty 400, and its inputs are
Django form fields, which turn any JSON value into text: a password sent as
``{"a": 1}`` would be stored as the string "{'a': 1}". Here each field that an
endpoint's input declares as text must arrive as a JSON string, each boolean
as a JSON boolean and each multiple choice as a list; null is refused too
(leave the field out instead). Ids of objects (sessions, passkeys) must be
ids the database can compare: SQLite fails on integers beyond 64 bits. A
password longer than PASSWORD_MAX_LENGTH is refused here too, before any hashing.

allauth reads the body on every method but GET, an OPTIONS or an unknown method
included (its views validate the input before they look at the method), so the
body is checked on all of those. Requests are matched by the view they were
routed to, not by their path, which a path prefix (SCRIPT_NAME) would change.
"""

import json

from allauth.headless.base.views import APIView
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, RawPostDataException
from django.utils.deprecation import MiddlewareMixin

from core.errors import error_response


class JSONBodyMiddleware(MiddlewareMixin):
    # A view hook, listed after CsrfViewMiddleware: a request without its CSRF token gets the 403 first.
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not reads_json_body(view, request.method):
            return None
        try:
            body = request.body
        except RawPostDataException:
            # CsrfViewMiddleware has already read a multipart form from the stream: a form, not JSON.
            return error_response(400, "The request body is not valid JSON.", "invalid_json")
        if not body:
            return None
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return error_response(400, "The request body is not valid UTF-8.", "invalid_encoding")
        except (json.JSONDecodeError, RecursionError):
            return error_response(400, "The request body is not valid JSON.", "invalid_json")
        if not isinstance(data, dict):
            return error_response(400, "The request body must be a JSON object.", "invalid_json")
        fields = _declared_fields(view, request.method)
        return _wrong_type(data, fields) or _invalid_id(data, fields) or _overlong_password(data, fields)


def reads_json_body(view, method: str) -> bool:
    """Whether ``view`` is one of allauth's headless API views and parses the body of a ``method`` request as JSON.

    The provider redirect reads none: it is a plain form post, whose body the CSRF check may already have
    consumed (multipart), so it must not be touched.
    """
    view_class = getattr(view, "view_class", None)
    return (
        isinstance(view_class, type)
        and issubclass(view_class, APIView)
        and view_class.handle_json_input
        and method != "GET"
    )


def input_class_of(view, method: str) -> type[forms.Form] | None:
    """The form class an allauth headless view validates ``method``'s body with, if any."""
    input_class = getattr(getattr(view, "view_class", None), "input_class", None)
    if isinstance(input_class, dict):
        input_class = input_class.get(method)
    return input_class


def _declared_fields(view, method: str) -> dict[str, forms.Field]:
    return getattr(input_class_of(view, method), "base_fields", {})


def _wrong_type(data: dict, fields: dict[str, forms.Field]) -> HttpResponse | None:
    for name, field in fields.items():
        if name not in data:
            continue
        expected = _expected_json_type(field)
        if expected and not isinstance(data[name], expected[0]):
            return error_response(400, f"This field must be {expected[1]}.", "invalid", param=name)
    return None


def _invalid_id(data: dict, fields: dict[str, forms.Field]) -> HttpResponse | None:
    """Refuses an id its model's primary key cannot hold (e.g. 2**64), which the database would fail on."""
    for name, field in fields.items():
        if not isinstance(field, forms.ModelChoiceField) or name not in data:
            continue
        primary_key = field.queryset.model._meta.pk
        for value in data[name] if isinstance(data[name], list) else [data[name]]:
            try:
                primary_key.clean(value, None)
            except ValidationError:
                return error_response(400, f"{str(value)[:40]} is not a valid id.", "invalid", param=name)
    return None


def _overlong_password(data: dict, fields: dict[str, forms.Field]) -> HttpResponse | None:
    """Refuses a password longer than any valid one before it reaches a (deliberately slow) hasher."""
    limit = settings.PASSWORD_MAX_LENGTH
    for name, field in fields.items():
        value = data.get(name)
        if "password" in name and isinstance(field, forms.CharField) and isinstance(value, str) and len(value) > limit:
            return error_response(400, f"A password has at most {limit} characters.", "password_too_long", param=name)
    return None


def _expected_json_type(field: forms.Field) -> tuple[type, str] | None:
    """The JSON type a form field needs, or None where several make sense (a model's id, a passkey response)."""
    if isinstance(field, forms.BooleanField):
        return bool, "true or false"
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return list, "a list"
    if isinstance(field, forms.ModelChoiceField | forms.JSONField):
        return None
    if isinstance(field, forms.CharField | forms.ChoiceField):
        return str, "a string"
    return None
