"""The floor: Django answering one JSON view, with no apps, middleware or database."""

from django.http import JsonResponse
from django.urls import path

SECRET_KEY = "bare"  # noqa: S105  (nothing is signed)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bare.settings"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True


def hello(request):
    return JsonResponse({"status": 200})


urlpatterns = [path("hello", hello)]
