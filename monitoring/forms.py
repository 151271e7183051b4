from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, County

from .models import WebsiteSource

MAX_FEEDS = 3
http_url = URLValidator(schemes=["http", "https"])
BAD_FEED = _("“%(url)s” is not an http or https address.")
TOO_MANY_FEEDS = _("At most %(max)s news feeds.")


def feed_lines(text):
    """The feed addresses typed one per line: each an http(s) address, at most three, no repeats."""
    urls = []
    for line in (text or "").splitlines():
        url = line.strip()
        if not url or url in urls:
            continue
        try:
            http_url(url)
        except ValidationError:
            raise ValidationError(BAD_FEED, code="bad_feed", params={"url": url[:100]}) from None
        urls.append(url)
    if len(urls) > MAX_FEEDS:
        raise ValidationError(TOO_MANY_FEEDS, code="too_many_feeds", params={"max": MAX_FEEDS})
    return urls


class SourcesForm(forms.Form):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    feed_urls = forms.CharField(
        label=_("News feeds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_(
            "RSS or Atom addresses, one per line (at most three). Without a feed the site is measured from its pages."
        ),
    )
    sitemap_url = forms.URLField(
        label=_("Sitemap"),
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )

    def clean_feed_urls(self):
        return feed_lines(self.cleaned_data["feed_urls"])

    def clean(self):
        cleaned = super().clean()
        for name in ("website", "sitemap_url"):
            value = cleaned.get(name)
            if value:
                try:
                    http_url(value)
                except ValidationError:
                    self.add_error(name, ValidationError(BAD_FEED, code="bad_url", params={"url": value[:100]}))
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
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False)
    category = forms.ChoiceField(label=_("Agency category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Agency.Category.choices]
        self.fields["county"].empty_label = _("All counties")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def agencies(self):
        """The active agencies the filters keep (an invalid filter keeps all; its error is shown)."""
        queryset = Agency.objects.active()
        if self.is_valid():
            if self.cleaned_data["county"]:
                queryset = queryset.filter(county=self.cleaned_data["county"])
            if self.cleaned_data["category"]:
                queryset = queryset.filter(category=self.cleaned_data["category"])
        return queryset
