"""Who may do what with notifications (built on agencies.rules, the one place that decides).

Everyone who is signed in has a notifications page and an email preference, their own only; the
holiday table, the reminder history and the message log are the director-general's (in the admin).
"""

import rules

from agencies.rules import is_director


@rules.predicate
def is_recipient(user, notification):
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notifications", rules.is_authenticated)
rules.add_perm("notifications.open_notification", rules.is_authenticated & is_recipient)
rules.add_perm("notifications.change_own_preference", rules.is_authenticated)

# The admin: the director-general edits the holidays and reads the history and the log.
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"notifications.{action}_holiday", is_director)
for model in ("digest", "escalation", "message", "notification", "scheduledrun"):
    rules.add_perm(f"notifications.view_{model}", is_director)
rules.add_perm("notifications", is_director)

# The worker's task results (django-tasks-db's read-only admin): did the daily reminders run, and how?
rules.add_perm("django_tasks_database.view_dbtaskresult", is_director)
rules.add_perm("django_tasks_database", is_director)
