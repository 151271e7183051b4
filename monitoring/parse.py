"""Reading what was fetched: feed entries, sitemap entries, and a page's own dates.

XML is first parsed by defusedxml, which refuses entity expansion and external references; only a
document that passes is handed to feedparser. HTML goes to lxml's HTML parser (no entities, no
network). htmldate is given a parsed tree, never a string, so it cannot decide to download anything.
"""

import copy
import datetime
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from htmldate import find_date

from persian.textdates import newest_jalali_date

from .models import Failure

logger = logging.getLogger(__name__)
MAX_ITEMS = 5000  # per document; a sitemap may list 50,000 addresses, we keep the newest


class Unreadable(Exception):
    def __init__(self, kind, detail):
        super().__init__(detail)
        self.kind = kind
        self.detail = str(detail)[:300]


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: datetime.datetime  # aware


def safe_xml_root(body):
    """The root element, parsed with entity expansion and external references refused."""
    try:
        return SafeElementTree.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Unreadable(Failure.BAD_CONTENT, f"unsafe XML: {type(exc).__name__}") from exc
    except SafeElementTree.ParseError as exc:
        raise Unreadable(Failure.BAD_CONTENT, f"not well-formed XML: {exc}") from exc


def _aware(struct):
    return datetime.datetime(*struct[:6], tzinfo=datetime.UTC)


def feed_items(body, base_url):
    """The entries of an RSS or Atom feed that carry a date."""
    safe_xml_root(body)
    # A stream, never bytes or a string: feedparser would read a string naming a URL or a file path.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise Unreadable(Failure.BAD_CONTENT, "not an RSS or Atom feed")
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        struct = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
        link = entry.get("link") or entry.get("id") or ""
        if struct is None or not link:
            continue
        items.append(Item(urljoin(base_url, link)[:1000], (entry.get("title") or "")[:300], _aware(struct)))
    return items


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _when(text):
    """A sitemap date (W3C datetime: 2026-11-27, 2026-11-27T10:00:00+03:30) as an aware datetime."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace("Z", "+00:00"))
        if moment is None:
            day = parse_date(text[:10])
            if day is None:
                return None
            moment = datetime.datetime.combine(day, datetime.time(12))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def sitemap_entries(body):
    """(items, child sitemaps) of a sitemap or a sitemap index; an item's date is its news publication
    date when the sitemap has one (Google News sitemaps), else its lastmod."""
    root = safe_xml_root(body)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise Unreadable(Failure.BAD_CONTENT, f"not a sitemap (<{kind}>)")
    items, children = [], []
    for node in root:
        fields = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "publication_date", "title") and name not in fields:
                fields[name] = (child.text or "").strip()
        loc = fields.get("loc", "")
        when = _when(fields.get("publication_date")) or _when(fields.get("lastmod"))
        if not loc:
            continue
        if kind == "sitemapindex":
            children.append((when, loc))
        elif when is not None:
            items.append(Item(loc[:1000], fields.get("title", "")[:300], when))
    items.sort(key=lambda item: item.published, reverse=True)
    children.sort(key=lambda pair: pair[0] or datetime.datetime.min.replace(tzinfo=datetime.UTC), reverse=True)
    return items[:MAX_ITEMS], [loc for _when_, loc in children]


# Parts of a page that print today's date or site-wide chrome, not the content's dates.
_CHROME = re.compile(r"today|clock|time-?now|current-?date|date-?now|header-?date", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "header", "nav", "footer", "template")


_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_html(body, content_type=""):
    """The page as text: the charset the server names, else the page's <meta> (wherever in the first
    4 KB it sits), else UTF-8, else Windows-1256 (older Persian sites)."""
    candidates = []
    for match in (_HEADER_CHARSET.search(content_type or ""), _META_CHARSET.search(body[:4096])):
        if match:
            name = match.group(1)
            candidates.append(name.decode("ascii", "ignore") if isinstance(name, bytes) else name)
    for encoding in [*candidates, "utf-8", "cp1256"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def parse_html(body, content_type=""):
    """An lxml tree of the page, decoded by decode_html (libxml2 alone reads a <meta charset> that
    comes after a Persian <title> as Latin-1)."""
    text = _XML_DECLARATION.sub("", decode_html(body, content_type), count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise Unreadable(Failure.BAD_CONTENT, f"unreadable HTML: {exc}") from exc


def page_text(tree):
    """The page's visible text without scripts, navigation, header, footer and today's-date widgets."""
    tree = copy.deepcopy(tree)
    doomed = [element for element in tree.iter(*_DROP_TAGS)]
    doomed += [
        element
        for element in tree.iter()
        if isinstance(element.tag, str) and _CHROME.search(f"{element.get('class', '')} {element.get('id', '')}")
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return tree.text_content()


def page_dates(tree, url, today):
    """(the page's own newest date, which reader found it): htmldate for Gregorian dates in markup,
    meta tags and text, persian.textdates for Jalali ones in the visible text; the newer wins."""
    found = []
    try:
        text = find_date(
            copy.deepcopy(tree),
            url=url,
            original_date=False,
            extensive_search=True,
            outputformat="%Y-%m-%d",
            max_date=today.isoformat(),
        )
    except (ValueError, TypeError) as exc:  # htmldate on odd markup
        logger.info("htmldate could not read %s: %s", url, exc)
        text = None
    if text:
        found.append((datetime.date.fromisoformat(text), "page"))
    jalali = newest_jalali_date(page_text(tree), not_after=today)
    if jalali is not None:
        found.append((jalali, "page_jalali"))
    if not found:
        return None, ""
    return max(found, key=lambda pair: pair[0])


def discover_feed(tree, base_url):
    """The first RSS/Atom feed a page announces (<link rel="alternate" type="application/rss+xml">)."""
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml") and href:
            return urljoin(base_url, href.strip())
    return None


def last_modified(headers):
    from email.utils import parsedate_to_datetime

    value = headers.get("last-modified")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
