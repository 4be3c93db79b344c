"""What the navigation bar needs from reviews: its pages under "Xếp loại", the unread count and
the cycles a user may switch between."""

from reviews.selectors import CYCLE_SESSION_KEY, cycles_for_user

#: Pages under "Xếp loại" in the navigation bar.
RATING_PAGES = (
    "pool-list",
    "pool",
    "rating-override",
    "rating-history",
    "submission",
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cycles = cycles_for_user(user)
    chosen = request.session.get(CYCLE_SESSION_KEY)
    current = next((c for c in cycles if c.pk == chosen), cycles[0] if cycles else None)
    return {
        "nav_rating_pages": RATING_PAGES,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "nav_cycles": cycles if len(cycles) > 1 else [],
        "nav_cycle": current,
    }
