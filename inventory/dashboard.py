"""The inventory's counts on the dashboard: overdue check-outs, low stock, maintenance due, one's check-outs."""
from django.urls import reverse

from accounts.roles import MEMBER, VIEWER, has_role

from . import queries


def tiles(user) -> list[dict]:
    """Counts that matter to ``user``, each linking to the page where they are dealt with."""
    if not has_role(user, VIEWER):
        return []
    overdue = queries.overdue_checkouts().count()
    low = queries.low_stock().count()
    due = queries.maintenance_overdue().count()
    shown = [
        {"key": "overdue", "label": "Overdue check-outs", "count": overdue, "url": reverse("inventory:overdue"),
         "alert": overdue > 0},
        {"key": "low-stock", "label": "Low stock", "count": low, "url": reverse("inventory:materials") + "?low=1",
         "alert": low > 0},
        {"key": "maintenance", "label": "Maintenance due", "count": due,
         "url": reverse("inventory:assets") + "?maintenance=due", "alert": due > 0},
    ]
    if has_role(user, MEMBER):
        mine = queries.open_checkouts().filter(to_user=user).count()
        shown.append({"key": "my-checkouts", "label": "My check-outs", "count": mine,
                      "url": reverse("inventory:my-checkouts")})
    return shown
