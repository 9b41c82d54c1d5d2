"""The project API, version 1, at /api/v1/: the place for the site's own endpoints (django-ninja).

Every endpoint accepts the headless API's three ways to authenticate
(api/security.py) unless it is declared with ``auth=None``, and every error
comes in allauth's envelope. To add endpoints, write a router module like
api/me.py and add it below. The OpenAPI document is served at
/api/v1/openapi.json and the interactive docs at /api/v1/docs.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from core.errors import error_response, errors_response
{% if cookiecutter.mfa != "none" %}
from . import deletion, events, export, me, mfa
{%- else %}
from . import deletion, events, export, me
{%- endif %}
from .security import AUTHENTICATION, CSRFFailed

# Codes for the errors django-ninja raises, in the style of allauth's.
HTTP_ERROR_CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 429: "too_many_requests"}

api = NinjaAPI(
    title="{{ cookiecutter.project_name }} API",
    version="1",
    description=(
        "The site's own endpoints. Authenticate as on the headless API: the browser's session cookie "
        "(with the X-CSRFToken header on unsafe methods), the X-Session-Token header, or a JWT access token "
        "in Authorization: Bearer."
    ),
    auth=AUTHENTICATION,
    urls_namespace="api-v1",
)
api.add_router("", me.router)
api.add_router("", events.router)
api.add_router("", export.router)
api.add_router("", deletion.router)
{%- if cookiecutter.mfa != "none" %}
api.add_router("", mfa.router)
{%- endif %}


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return error_response(
        401,
        "Log in first, then send the session cookie, the X-Session-Token header or an access token "
        "in Authorization: Bearer.",
        "not_authenticated",
    )


@api.exception_handler(CSRFFailed)
def csrf_failed(request: HttpRequest, error: CSRFFailed) -> HttpResponse:
    return error_response(403, error.message, "csrf_failed")


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = []
    for detail in error.errors:
        param = _param(detail["loc"])
        if param is None and detail["loc"][0] == "body":
            # The body as a whole: missing, or JSON that is not an object.
            errors.append({"message": "The request body must be a JSON object.", "code": "invalid_json"})
        else:
            code = "required" if detail["type"] == "missing" else "invalid"
            errors.append({"message": detail["msg"], "code": code, **({"param": param} if param else {})})
    return errors_response(400, errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400 and isinstance(error.__cause__, ValueError):
        # django-ninja could not decode the body as JSON.
        return error_response(400, "The request body is not valid JSON.", "invalid_json")
    return error_response(error.status_code, error.message, HTTP_ERROR_CODES.get(error.status_code, "error"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(404, "There is no such object.", "not_found")


def _param(location: list) -> str | None:
    """The field an error is about: ("body", "changes", "display_name") names display_name."""
    fields = location[2:] if location and location[0] == "body" else location[1:]
    return ".".join(str(part) for part in fields) or None
