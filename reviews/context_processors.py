"""What the navigation bar needs from reviews: its pages under "Xếp loại" and the unread count."""

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
    return {
        "nav_rating_pages": RATING_PAGES,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
