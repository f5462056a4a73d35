"""The contact form's limit on submissions per client, counted in Django's cache.

Shared by every worker with Redis. When the cache fails the limit is not applied (a warning
is logged): losing a prospect's message is worse than a burst of spam.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

from enfuse import middleware

logger = logging.getLogger(__name__)

KEY_PREFIX = "contact-rate"


def client_ip(request):
    """The client's address (enfuse.middleware.client_ip: REMOTE_ADDR, or the X-Forwarded-For
    entry written by the last of the DJANGO_TRUSTED_PROXY_COUNT proxies), if it is one."""
    candidate = middleware.client_ip(request)
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        if candidate != request.META.get("REMOTE_ADDR", ""):
            logger.warning("Ignoring a malformed X-Forwarded-For entry: %r", candidate[:64])
        return request.META.get("REMOTE_ADDR", "")


def client_key(ip):
    """One counter per IPv4 address, and per /64 network for IPv6 (one household or server)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _window_key(ip, period, now):
    return f"{KEY_PREFIX}:{client_key(ip)}:{int(now // period)}"


def is_limited(ip, now=None):
    """True when this client has used up its submissions for the current window."""
    limit = settings.CONTACT_RATE_LIMIT
    if not limit:
        return False
    count, period = limit
    try:
        used = cache.get(_window_key(ip, period, now or time.time()), 0)
    except Exception:
        logger.warning("Contact rate limit not checked: the cache is unavailable", exc_info=True)
        return False
    return used >= count


def record(ip, now=None):
    """Count one submission from this client."""
    limit = settings.CONTACT_RATE_LIMIT
    if not limit:
        return
    _, period = limit
    key = _window_key(ip, period, now or time.time())
    try:
        # add() starts the window's counter (a no-op when it exists); incr() is atomic in Redis.
        cache.add(key, 0, timeout=period + 60)
        cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr().
        cache.set(key, 1, timeout=period + 60)
    except Exception:
        logger.warning("Contact rate limit not counted: the cache is unavailable", exc_info=True)


def retry_after(now=None):
    """Seconds until the current window ends (for the Retry-After header)."""
    limit = settings.CONTACT_RATE_LIMIT
    if not limit:
        return 0
    _, period = limit
    now = now or time.time()
    return max(1, int(period - now % period))
