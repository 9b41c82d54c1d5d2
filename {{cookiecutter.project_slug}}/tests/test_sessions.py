"""A user sees their sessions and can end the others."""

from .conftest import HeadlessClient


def test_list_and_end_another_session(headless_client, user):
    headless_client.login()
    other_device = HeadlessClient(headless_client.kind)
    other_device.login()

    sessions = headless_client.get("auth/sessions").json()["data"]
    assert len(sessions) == 2
    [other] = [session for session in sessions if not session["is_current"]]

    response = headless_client.delete("auth/sessions", {"sessions": [other["id"]]})

    assert response.status_code == 200
    assert [session["is_current"] for session in response.json()["data"]] == [True]
    assert other_device.get("auth/session").status_code in (401, 410)
    assert headless_client.get("auth/session").status_code == 200
