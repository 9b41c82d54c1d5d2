"""The OpenID Connect provider in the admin: clients and their tokens, never a secret or a token's hash.

A new client's secret is shown once, right after it is saved (allauth's page does that); the site keeps
only a hash of it, which no page shows either. A token's page shows whose it is, for which client and
until when; deleting it revokes it.
"""

from allauth.idp.oidc.admin import ClientAdmin as AllauthClientAdmin
from allauth.idp.oidc.models import Client, Token
from django.contrib import admin
from django.http import HttpRequest

TOKEN_SHOWN = ("client", "type", "user", "scopes", "created_at", "expires_at")

admin.site.unregister(Client)
admin.site.unregister(Token)


@admin.register(Client)
class ClientAdmin(AllauthClientAdmin):
    exclude = ("secret",)
    readonly_fields = ("created_at",)


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = ("client", "type", "user", "created_at", "expires_at")
    fields = TOKEN_SHOWN
    readonly_fields = TOKEN_SHOWN
    list_filter = ("type",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Token | None = None) -> bool:
        return False
