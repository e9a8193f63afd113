from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """Compact relative time for busy readers: "just now", "12 min ago", "3 h ago", "2 days ago"."""
    if moment is None:
        return ""
    seconds = int(((now or timezone.now()) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''} ago"
