"""The Atom feed of published bulletins and their errata, in Persian with Jalali dates in the text."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from persian.jalali import format_date

from . import public

ITEMS = 50


class BulletinFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("publishing:bulletins")
    language = "fa"

    def __call__(self, request, *args, **kwargs):
        # The feed is Persian whatever language the visitor's browser asks for.
        with translation.override("fa"):
            response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response

    def title(self):
        return _("Quarterly bulletins of the provincial PR coordination council")

    def subtitle(self):
        return _(
            "Each quarter's evaluation of the agencies' public relations and the plan's progress, with corrections."
        )

    def items(self):
        entries = []
        for bulletin in public.published_with_figures():
            entries.append(("bulletin", bulletin, None, bulletin.published_at))
            entries.extend(("erratum", bulletin, erratum, erratum.published_at) for erratum in bulletin.public_errata)
        entries.sort(key=lambda entry: entry[3], reverse=True)
        return entries[:ITEMS]

    def item_title(self, item):
        kind, bulletin, _erratum, _moment = item
        if kind == "bulletin":
            return _("Bulletin of %(quarter)s") % {"quarter": bulletin.round.period.label}
        return _("Erratum to the bulletin of %(quarter)s") % {"quarter": bulletin.round.period.label}

    def item_description(self, item):
        kind, bulletin, erratum, _moment = item
        if kind == "bulletin":
            return (
                _("Published on %(date)s.") % {"date": format_date(bulletin.published_on)}
                + "\n\n"
                + bulletin.press_text
            )
        return _("Dated %(date)s: %(text)s") % {"date": format_date(erratum.published_on), "text": erratum.text}

    def item_link(self, item):
        _kind, bulletin, erratum, _moment = item
        # Built from the bulletin in hand: erratum.get_absolute_url() would read its bulletin again.
        return f"{bulletin.get_absolute_url()}#erratum-{erratum.pk}" if erratum else bulletin.get_absolute_url()

    def item_pubdate(self, item):
        return item[3]

    def item_updateddate(self, item):
        return item[3]
