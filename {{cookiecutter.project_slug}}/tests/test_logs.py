"""What the site logs about the requests it answers."""

import logging


def test_a_401_is_not_logged_but_other_client_errors_are(headless_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        signed_out = headless_client.get("auth/session")
        missing = headless_client.get("no/such/route")

    assert (signed_out.status_code, missing.status_code) == (401, 404)
    assert [record.status_code for record in caplog.records if record.name == "django.request"] == [404]
