"""GitHub login for the app client too: an access token the app got from GitHub, checked with GitHub.

allauth's GitHub provider supports only the browser's redirect flow. A GitHub
access token names no audience, so before trusting one this provider asks
GitHub whether it was issued to this site's OAuth app; otherwise any app's
token for a user would log in as that user here.
"""

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialLogin, SocialToken
from allauth.socialaccount.providers.github.provider import GitHubProvider as AllauthGitHubProvider
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpRequest


class GitHubProvider(AllauthGitHubProvider):
    supports_token_authentication = True
    package = "allauth.socialaccount.providers.github"  # where allauth finds the provider's URLs

    def verify_token(self, request: HttpRequest, token: dict) -> SocialLogin:
        access_token = token.get("access_token")
        if not access_token:
            raise get_adapter().validation_error("invalid_token")
        oauth2_adapter = self.get_oauth2_adapter(request)
        try:
            self._check_issued_to_this_app(oauth2_adapter.api_url, access_token)
            return oauth2_adapter.complete_login(request, self.app, SocialToken(app=self.app, token=access_token))
        except (OAuth2Error, requests.RequestException) as error:
            raise get_adapter().validation_error("invalid_token") from error

    def _check_issued_to_this_app(self, api_url: str, access_token: str) -> None:
        """GitHub's "check a token" API answers 404 for a token of another app, or a revoked one."""
        with get_adapter().get_requests_session() as session:
            response = session.post(
                f"{api_url}/applications/{self.app.client_id}/token",
                json={"access_token": access_token},
                auth=(self.app.client_id, self.app.secret),
                headers={"Accept": "application/vnd.github+json"},
            )
        if response.status_code != requests.codes.ok:
            raise OAuth2Error(f"GitHub did not confirm the access token ({response.status_code}).")
