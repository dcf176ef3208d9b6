"""Service-point tokens: short, unguessable, and easy to type from a printed poster."""

import secrets

# Lower case without look-alikes (0/o, 1/l/i): people copy these from paper.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 10  # 31^10 ≈ 8·10^14 possibilities


def point_token() -> str:
    """Return a new random service-point token."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
