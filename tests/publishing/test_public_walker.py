"""Nothing unpublished reaches anonymous: with a locked-and-published round (summer 1405, its bulletin
published), an open round (autumn 1405) and a draft bulletin (spring 1405) in the database, and their texts
salted with markers, every URL of the site that anonymous may GET (from the URL × role tables: status 200
for "anonymous"), the feed, the open data and every API list and detail among them, are read as anonymous,
and the links found in those answers that stay on the site are followed (a bounded crawl). No marker of the
open round or of the draft may appear anywhere, and the draft's addresses are 404s."""

import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations.models import ScoreSheet
from publishing.models import Bulletin, GoalNarrative
from tests.urltable import all_tables

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout/")
MARKERS = {
    "open round's public comment": "UNLOCKED-PUBLIC-4q7",
    "open round's private note": "UNLOCKED-PRIVATE-4q7",
    "draft's press text": "DRAFT-PRESS-6t1",
    "draft's narrative": "DRAFT-NARRATIVE-6t1",
    "draft's next step": "DRAFT-NEXT-6t1",
}


def salt(world):
    ScoreSheet.objects.filter(round=world.round).update(
        public_comment=MARKERS["open round's public comment"], private_note=MARKERS["open round's private note"]
    )
    draft = world.draft_bulletin
    Bulletin.objects.filter(pk=draft.pk).update(press_text=MARKERS["draft's press text"])
    GoalNarrative.objects.update_or_create(
        bulletin=draft,
        goal=world.goal,
        defaults={"done": MARKERS["draft's narrative"], "next": MARKERS["draft's next step"]},
    )


def anonymous_urls(world):
    """Every GET the tables give anonymous a 200 for, with its query string."""
    urls = []
    for name, entry in all_tables().items():
        for case in entry.cases:
            if case.method != "GET" or case.status_for("anonymous") != 200:
                continue
            args = (case.args or entry.args or (lambda w: []))(world)
            url = reverse(name, args=args)
            if case.query:
                url += "?" + "&".join(f"{key}={value}" for key, value in case.query.items())
            urls.append(url)
    return urls


def on_site(base, link):
    absolute = urljoin(base, link)
    parts = urlsplit(absolute)
    if parts.scheme not in {"", "http", "https"} or parts.netloc not in {"", "testserver"}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(SKIPPED_PREFIXES) else path


def links_in(url, response):
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        found = []

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and (value.startswith("/") or value.startswith("http://testserver")):
                found.append(value)

        walk(json.loads(response.content))
        return found
    if "html" in content_type or "xml" in content_type:
        return [link.replace("&amp;", "&") for link in LINK.findall(response.content.decode())]
    return []


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def test_anonymous_never_reads_an_open_round_or_a_draft_bulletin(client, url_world_db):
    world = url_world_db
    salt(world)
    draft = world.draft_bulletin
    assert not draft.is_published
    assert not world.round.is_locked
    assert world.bulletin.is_published

    start = anonymous_urls(world)
    # The tables give anonymous the feed, the open data and every public API list and detail: walked below.
    for name in ("publishing:feed", "publishing:data_json", "publishing:data_csv", "api:bulletins", "api:bulletin"):
        assert any(url.startswith(reverse(name, args=[world.bulletin.pk, "goals"][: _arity(name)])) for url in start)

    # The anonymous rate limit counts in the cache: start with none used, so no page of the walk is a 429.
    cache.clear()
    queue, seen, leaks, errors, read = deque(start), set(start), [], [], 0
    while queue and read < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        read += 1
        if response.status_code >= 500 or (url in start and response.status_code != 200):
            errors.append(f"{url}: {response.status_code}")
        if response.status_code != 200:
            continue
        body = body_of(response)
        leaks += [f"{url}: {what}" for what, marker in MARKERS.items() if marker in body]
        if response.streaming:
            continue
        for link in links_in(url, response):
            path = on_site(url, link)
            if path and path not in seen:
                seen.add(path)
                queue.append(path)
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
    assert read > len(start)  # the crawl followed links beyond the tables' URLs

    # The draft's addresses: the page, its open data and the API are 404s for anonymous, and nothing links there.
    draft_urls = [
        reverse("publishing:bulletin", args=[draft.pk]),
        reverse("publishing:data_json", args=[draft.pk]),
        reverse("publishing:data_csv", args=[draft.pk, "goals"]),
        reverse("publishing:data_csv", args=[draft.pk, "agencies"]),
        reverse("api:bulletin", args=[draft.pk]),
    ]
    for url in draft_urls:
        assert client.get(url).status_code == 404, url
    assert not seen & set(draft_urls)


def _arity(name):
    return {"publishing:data_json": 1, "publishing:data_csv": 2, "api:bulletin": 1}.get(name, 0)
