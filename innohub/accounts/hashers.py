"""How passwords are hashed: Argon2id at OWASP's recommended cost (ADR 0026).

Django's own Argon2 hasher asks for 100 MiB and 8 lanes a hash. On an app server of two
cores that is a fifth of a second of CPU for every sign-in, and a morning rush of field
officers signing in queues every other page behind it. OWASP's password storage cheat sheet
names 19 MiB, two passes and one lane as its first recommended setting for Argon2id; that
costs about a sixth as much here, and still far more than an attacker's budget per guess
of PBKDF2 or bcrypt at their usual settings.

The algorithm's name stays ``argon2``, so every hash made before verifies as it is, and Django
makes it again at these costs the next time its owner signs in (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
