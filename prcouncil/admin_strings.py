"""Django 6.1's admin words that its own Persian catalogue does not have yet.

They are listed here so that `make messages` keeps them in the site's catalogue (locale/fa), which comes
before Django's own in LOCALE_PATHS: the admin then says «اجرا» instead of "Run" and «- انتخاب کنید -"
instead of "- Select an option -". Nothing imports this module; only makemessages reads it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

ADMIN_WORDS = [
    gettext_noop("Run"),
    # django-simple-history's page titles (it has no Persian catalogue).
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("- Select an option -"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("No %s matches the given query."),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related objects, but your "
        "account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related "
        "items will be deleted:"
    ),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", 1),
    ngettext_lazy("entry", "entries", 1),
    # django-tasks-db's result model, in the admin's menu.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
