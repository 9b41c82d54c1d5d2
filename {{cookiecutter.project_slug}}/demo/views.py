"""The demo frontend's page: the same index.html at / and at every route of the single-page app."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

INDEX_HTML = (Path(__file__).resolve().parent / "static" / "demo" / "index.html").read_bytes()


@never_cache
@require_safe
def index(request: HttpRequest, route: str = "") -> HttpResponse:
    """The app's script reads the path and shows the screen of ``route``."""
    return HttpResponse(INDEX_HTML, content_type="text/html; charset=utf-8")
