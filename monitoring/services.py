"""The one way an agency's website sources are written (the app's edit page and the admin both call it)."""

from django.db import transaction

from .models import WebsiteSource


@transaction.atomic
def save_sources(*, agency, website, feed_urls, sitemap_url, by):
    """Set the agency's website (on Agency) and its feeds and sitemap (on WebsiteSource) together."""
    if agency.website != website:
        agency.website = website
        agency.full_clean()
        agency.save(update_fields=["website"])
    source, _created = WebsiteSource.objects.update_or_create(
        agency=agency,
        defaults={"feed_urls": "\n".join(feed_urls), "sitemap_url": sitemap_url, "updated_by": by},
    )
    source.full_clean()
    return source
