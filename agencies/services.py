from django.db import transaction

from .models import Membership


@transaction.atomic
def grant_role(*, user, role, agency=None, title=""):
    """Give a person their role (and agency); the admin is opened to the director-general only."""
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"role": role, "agency": agency, "title": title}
    )
    membership.full_clean()
    is_staff = role == Membership.Role.DIRECTOR or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return membership
