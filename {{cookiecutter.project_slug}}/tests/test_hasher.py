"""The password hasher: Argon2id at OWASP's recommended cost, and older hashes still accepted."""

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

from accounts.hashers import Argon2idHasher
from config import settings as site_settings

PASSWORD = "Correct-horse-battery-9"
# OWASP Password Storage Cheat Sheet: Argon2id with at least 19 MiB of memory, 2 passes, 1 lane.
OWASP_MINIMUM = {"m": 19 * 1024, "t": 2, "p": 1}


def test_the_site_hashes_with_argon2id_at_least_at_owasps_cost():
    # The tests themselves hash with MD5 for speed (conftest.py), so read the site's own setting.
    assert site_settings.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"
    encoded = Argon2idHasher().encode(PASSWORD, Argon2idHasher().salt())
    variant, _version, parameters = encoded.split("$")[1:4]
    assert variant == "argon2id"
    cost = {name: int(value) for name, value in (item.split("=") for item in parameters.split(","))}
    assert all(cost[name] >= minimum for name, minimum in OWASP_MINIMUM.items()), cost
    assert Argon2idHasher().verify(PASSWORD, encoded)
    assert not Argon2idHasher().verify("wrong", encoded)


def test_a_hash_made_at_djangos_argon2_cost_is_accepted_and_then_redone(settings):
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    redone = []

    assert check_password(PASSWORD, old, setter=redone.append)
    assert redone == [PASSWORD]
    assert not Argon2idHasher().must_update(make_password(PASSWORD))
