"""Views of the deployment itself, not of a domain: the health check."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """`/suc-khoe/`: answers 200 while the app reaches its database, 503 when it does not (for
    the reverse proxy and the load balancer). It reads the session like any page, so
    `make bench` times it as the floor of an authenticated request; it shows nothing of it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure of the database means unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok", "signed_in": request.user.is_authenticated})
