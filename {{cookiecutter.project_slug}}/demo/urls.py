"""The demo frontend's routes: its home page, and the account/ routes that the mails link to by default."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.index, name="demo"),
    re_path(r"^(?P<route>account/.*)$", views.index),
]
