"""GET /healthz: is this copy of the app able to serve? For load balancers and monitoring."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False


def redis_ok():
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        return bool(client.ping())
    except Exception:
        logger.warning("Health check: Redis did not answer", exc_info=True)
        return False


@never_cache
@require_safe
def healthz(request):
    """200 and {"status": "ok"} when the database (and Redis, when configured) answer; else 503."""
    checks = {"database": database_ok()}
    redis_status = redis_ok()
    if redis_status is not None:
        checks["redis"] = redis_status
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
