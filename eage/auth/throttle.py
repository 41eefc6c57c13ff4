"""Sign-in throttling (OWASP ASVS V2.2.1): failures counted per account and per client address
in Flask-Limiter's storage (RATELIMIT_STORAGE_URI: memory:// by default, Redis in production so
that every worker shares the counts).

Only failures count (a successful sign-in costs nothing), in moving windows. Several limits per
key make the lock grow: the 6th failure on an account within 15 minutes waits out those 15
minutes, the 11th within the hour waits out the hour. Per address the limits are looser (an
office behind one address); the reset-link requests are counted whether they succeed or not."""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.strategies import MovingWindowRateLimiter

from eage.extensions import limiter

ACCOUNT = "LOGIN_LIMITS_ACCOUNT"
ADDRESS = "LOGIN_LIMITS_ADDRESS"
RESET = "RESET_LIMITS"
DEFAULTS = {
    ACCOUNT: "5 per 15 minutes; 10 per hour",
    ADDRESS: "20 per 15 minutes; 100 per day",
    RESET: "3 per 15 minutes; 10 per day",
}


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _strategy() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limiter.storage)


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config.get(setting) or DEFAULTS[setting])


def _keys(scope: str, account: str | None, address: str | None) -> list[tuple[str, str, str]]:
    """(setting, scope, key) for each counter a request touches."""
    keys = []
    if account:
        keys.append((ACCOUNT if scope == "login" else RESET, f"{scope}-account", account[:200]))
    if address:
        keys.append((ADDRESS if scope == "login" else RESET, f"{scope}-address", address))
    return keys


def wait_seconds(scope: str, account: str | None, address: str | None) -> int:
    """0 when the attempt may go on; else how long until a counter has room again."""
    if not _enabled():
        return 0
    strategy, wait = _strategy(), 0.0
    now = time.time()
    for setting, name, key in _keys(scope, account, address):
        for item in _limits(setting):
            if not strategy.test(item, name, key):
                reset_at = strategy.get_window_stats(item, name, key).reset_time
                wait = max(wait, reset_at - now, 1)
    return math.ceil(wait)


def count(scope: str, account: str | None, address: str | None) -> None:
    """Count one failure (sign-in) or one request (reset link) on every counter."""
    if not _enabled():
        return
    strategy = _strategy()
    for setting, name, key in _keys(scope, account, address):
        for item in _limits(setting):
            strategy.hit(item, name, key)


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
