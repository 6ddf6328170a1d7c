"""Client addresses as keyed hashes: enough to rate-limit, useless to anyone reading the table."""

import hashlib
import hmac

from flask import current_app


def address_key(address: str | None) -> str:
    """A stable, secret-keyed hash of a client address (64 hex characters)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()
