"""How many password-reset e-mails one account and one address may ask for in an hour.

Counted in Django's cache (the database cache: shared by every worker and server), in
windows of one hour that start with the first request. Every request counts, whether the
address belongs to an account or not, so that the answer never tells them apart.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, email: str, address: str) -> bool:
    """Count one request for this e-mail address and this client address; False when over."""
    account_key = "password-reset:account:" + hashlib.sha256(email.lower().encode()).hexdigest()
    address_key = "password-reset:address:" + hashlib.sha256(address.encode()).hexdigest()
    per_address = _count(address_key)
    per_account = _count(account_key)
    return (
        per_address <= settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR
        and per_account <= settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR
    )
