"""No API answer, to anyone, carries a person's name or username, an evaluator's identity, a private note,
a report's note, or an evidence file's name: the fields are salted with markers and every API URL of the
table is read as every role, with a session. A returned report's reason reaches only the officer of the
report's agency (its "my agency" page shows it to them), on the reports' endpoints."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import ProgressUpdate
from tests.api.test_urls import API_TABLE
from tests.urltable import ROLES, _as

pytestmark = pytest.mark.django_db


def salt(world):
    markers = []
    for role, user in world.users.items():
        if user is None:
            continue
        get_user_model().objects.filter(pk=user.pk).update(first_name=f"FIRST{role}9q", last_name=f"LAST{role}7z")
        markers += [f"FIRST{role}9q", f"LAST{role}7z"]
    markers += ["officer-education", "officer-gas"]
    ProgressUpdate.objects.filter(pk=world.update_b.pk).update(
        review_state=ProgressUpdate.ReviewState.RETURNED,
        review_reason="RETURN-REASON-3k8",
        reviewed_by=world.users["director"],
        reviewed_at=world.update_b.created_at,
        note="REPORT-NOTE-5m2",
    )
    world.round_locked.sheets.update(private_note="PRIVATE-NOTE-8v4")
    world.evidence_a.__class__.objects.filter(pk=world.evidence_a.pk).update(original_name="EVIDENCE-NAME-2w6.pdf")
    return [*markers, "RETURN-REASON-3k8", "REPORT-NOTE-5m2", "PRIVATE-NOTE-8v4", "EVIDENCE-NAME-2w6"]


def test_no_api_answer_carries_private_data(client, url_world_db):
    world = url_world_db
    markers = salt(world)
    # The salt took: the markers are in the database the API reads.
    assert ProgressUpdate.objects.filter(note="REPORT-NOTE-5m2", review_reason="RETURN-REASON-3k8").exists()
    assert world.round_locked.sheets.filter(private_note="PRIVATE-NOTE-8v4").exists()
    leaks = []
    for name, entry in API_TABLE.items():
        for case in entry.cases:
            if case.method != "GET":
                continue
            url = reverse(name, args=(case.args or entry.args or (lambda w: []))(world))
            for role in ROLES:
                _as(client, world, role)
                body = client.get(url, case.query).content.decode()
                allowed = RETURN_REASON if (role == "other_officer" and name in REASON_URLS) else None
                leaks += [f"{url} as {role}: {marker}" for marker in markers if marker in body and marker != allowed]
    assert not leaks, "\n".join(leaks)


RETURN_REASON = "RETURN-REASON-3k8"
REASON_URLS = ("api:reports", "api:report")


def test_officer_reads_own_returned_reason_only(client, url_world_db):
    """Agency B's officer reads why their report was returned (list and detail); nobody else reads it there,
    and once a newer state replaces "returned" (accepted), the reason is gone from the answer."""
    world = url_world_db
    salt(world)
    report = reverse("api:report", args=[world.update_b.pk])
    _as(client, world, "other_officer")
    listed = {row["id"]: row for row in client.get(reverse("api:reports")).json()["results"]}
    assert listed[world.update_b.pk]["return_reason"] == RETURN_REASON
    assert client.get(report).json()["return_reason"] == RETURN_REASON
    for role in ("evaluator", "viewer", "director"):
        _as(client, world, role)
        assert client.get(report).json()["return_reason"] is None, role
    ProgressUpdate.objects.filter(pk=world.update_b.pk).update(review_state=ProgressUpdate.ReviewState.ACCEPTED)
    _as(client, world, "other_officer")
    answer = client.get(report).json()
    assert answer["review_state"] == "accepted"
    assert answer["return_reason"] is None
