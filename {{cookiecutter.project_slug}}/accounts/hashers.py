"""The password hasher: Argon2id at the cost OWASP recommends."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with 19 MiB of memory, 2 passes and 1 lane: OWASP's Password Storage Cheat Sheet setting.

    Django's own parameters (100 MiB, 8 lanes) make each login several times slower and keep
    100 MiB per login in flight. The algorithm's name is Django's, so hashes made with its
    parameters still verify and are rehashed at these ones on the next login.
    """

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
