"""The public side's reads: published bulletins only, kept in the cache until the next publish or erratum
(services.invalidate_public_cache moves the cache generation on, so every key below goes stale at once)."""

from django.core.cache import cache

from .models import Bulletin, Erratum
from .services import cache_generation

TIMEOUT = 60 * 60


def _key(*parts):
    return ":".join(["publishing", str(cache_generation()), *map(str, parts)])


def published_bulletin(pk):
    """(bulletin, errata) of a published bulletin, or None (a draft or no such bulletin): two queries, or
    none from the cache."""
    key = _key("bulletin", pk)
    found = cache.get(key)
    if found is None:
        bulletin = Bulletin.objects.published().select_related("round", "plan").filter(pk=pk).first()
        found = (bulletin, list(Erratum.objects.filter(bulletin=bulletin))) if bulletin else (None, [])
        cache.set(key, found, TIMEOUT)
    return found if found[0] is not None else None


def published_list():
    """Every published bulletin, the newest quarter first (one query, or none from the cache)."""
    key = _key("list")
    found = cache.get(key)
    if found is None:
        found = list(Bulletin.objects.for_public_list().defer("figures"))
        cache.set(key, found, TIMEOUT)
    return found


def published_with_figures():
    """Every published bulletin with its figures and errata (the agency pages, the feed): two queries."""
    key = _key("all")
    found = cache.get(key)
    if found is None:
        bulletins = list(Bulletin.objects.for_public_list())
        errata = {}
        for erratum in Erratum.objects.filter(bulletin__in=bulletins).order_by("published_at", "pk"):
            errata.setdefault(erratum.bulletin_id, []).append(erratum)
        for bulletin in bulletins:
            bulletin.public_errata = errata.get(bulletin.pk, [])
        found = bulletins
        cache.set(key, found, TIMEOUT)
    return found


def last_updated(bulletin, errata):
    """When the bulletin last changed in public: its publication or its latest erratum."""
    moments = [bulletin.published_at, *(erratum.published_at for erratum in errata)]
    return max(moment for moment in moments if moment is not None)


def everything_last_updated():
    """The latest publication or erratum of any bulletin (the index and the feed), or None."""
    return max(
        (last_updated(bulletin, bulletin.public_errata) for bulletin in published_with_figures()),
        default=None,
    )
