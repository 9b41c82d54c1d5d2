"""Social login in the admin: which provider accounts are connected to which user, never a provider's token.

Provider credentials come from the environment alone and the site ignores SocialApp rows, so the admin
offers no page to type them into (whose secret it would show again). Provider tokens are kept only with
SOCIALACCOUNT_STORE_TOKENS on; their page then shows whose they are and when they expire, not the tokens.
"""

from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.http import HttpRequest

SHOWN = ("account", "app", "expires_at")

admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


@admin.register(SocialToken)
class SocialTokenAdmin(admin.ModelAdmin):
    list_display = SHOWN
    fields = SHOWN
    readonly_fields = SHOWN
    list_filter = ("account__provider", "expires_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SocialToken | None = None) -> bool:
        return False
