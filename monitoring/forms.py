from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County
from persian import search, values
from persian.forms import PersianURLField

from .models import WebsiteSource

MAX_FEEDS = 3
FEED_MAX_LENGTH = 500
TOO_MANY_FEEDS = _("At most %(max)s news feeds.")


def feed_lines(text):
    """The feed addresses typed one per line: each an http(s) address (persian.values.clean_url), at most
    three, no repeats."""
    urls = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            url = values.clean_url(line, max_length=FEED_MAX_LENGTH)
        except values.InvalidValue as exc:
            raise exc.as_validation_error() from None
        if url not in urls:
            urls.append(url)
    if len(urls) > MAX_FEEDS:
        raise ValidationError(TOO_MANY_FEEDS, code="too_many_feeds", params={"max": MAX_FEEDS})
    return urls


class SourcesForm(forms.Form):
    website = PersianURLField(label=_("Website"), required=False, max_length=200)
    feed_urls = forms.CharField(
        label=_("News feeds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_(
            "RSS or Atom addresses, one per line (at most three). Without a feed the site is measured from its pages."
        ),
    )
    sitemap_url = PersianURLField(label=_("Sitemap"), required=False, max_length=500)

    def clean_feed_urls(self):
        return feed_lines(self.cleaned_data["feed_urls"])

    def clean(self):
        cleaned = super().clean()
        for name in ("website", "sitemap_url"):
            cleaned[name] = cleaned.get(name) or ""
        if (cleaned.get("feed_urls") or cleaned.get("sitemap_url")) and not cleaned.get("website") and not self.errors:
            self.add_error("website", _("Give the website's address too: feeds and sitemaps belong to a website."))
        return cleaned


class WebsiteSourceAdminForm(forms.ModelForm):
    class Meta:
        model = WebsiteSource
        fields = ["agency", "feed_urls", "sitemap_url"]

    def clean_feed_urls(self):
        return "\n".join(feed_lines(self.cleaned_data["feed_urls"]))


class WebsiteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Agency name"), required=False, max_length=100, help_text=_("Part of the name, however it is typed.")
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    category = forms.ChoiceField(label=_("Agency category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Agency.Category.choices]
        self.fields["county"].empty_label = _("All counties")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update({"class": "form-control form-control-sm", "type": "search"})

    def agencies(self):
        """The active agencies the filters keep (an invalid filter keeps all; its error is shown)."""
        queryset = Agency.objects.active()
        if self.is_valid():
            if self.cleaned_data["county"]:
                queryset = queryset.filter(county=self.cleaned_data["county"])
            if self.cleaned_data["category"]:
                queryset = queryset.filter(category=self.cleaned_data["category"])
            queryset = search.search(queryset, ["name", "code"], self.cleaned_data["q"])
        return queryset
