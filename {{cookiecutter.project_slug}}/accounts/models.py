"""The user model: a UUID primary key, so ids in URLs and tokens reveal nothing."""

import uuid

from django.contrib.auth.models import AbstractUser
{%- if cookiecutter.login_method == "email" %}
from django.contrib.auth.models import UserManager as DjangoUserManager
{%- endif %}
from django.db import models
from django.db.models.functions import Lower
{%- if cookiecutter.login_method == "email" %}


class UserManager(DjangoUserManager):
    """Creates users by email; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)
{%- endif %}


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", unique=True)
    # How the user wants to be addressed; changed through PATCH /api/v1/me.
    display_name = models.CharField("display name", max_length=150, blank=True)
{%- if cookiecutter.login_method == "email" %}
    username = None

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
{%- endif %}

    class Meta:
        constraints = [
            # One account per address, whatever its case, even under concurrent signups.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email
