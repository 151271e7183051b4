"""Fetching URLs that people typed, within bounds.

- only http and https; at most MONITORING_MAX_REDIRECTS redirects, followed here one hop at a time so
  that every hop is checked like the first;
- the address is decided after DNS resolution, in the connection itself (GuardedBackend): a name that
  resolves to a loopback, link-local, private or otherwise non-public address is refused unless
  MONITORING_ALLOWED_NETWORKS lists it, and the socket is opened to the very address that was
  checked, so a second DNS answer cannot slip in between (no DNS-rebinding gap);
- connect and read timeouts, a deadline per response (a slow drip cannot hold us), and the run's
  total time budget; at most MONITORING_MAX_BYTES read per response, streamed and cut off;
- only the content types the caller can parse are read at all;
- a polite User-Agent, no proxies from the environment, one request at a time per host (HostLocks).

Every failure becomes a FetchFailure whose `kind` names what it is (models.Failure).
"""

import ipaddress
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from .models import Failure

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"


class FetchFailure(Exception):
    def __init__(self, kind, detail="", *, url="", status=None, elapsed_ms=None, tls_valid=None):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = str(detail)[:300]
        self.url = url
        self.status = status
        self.elapsed_ms = elapsed_ms
        self.tls_valid = tls_valid


@dataclass
class Policy:
    """The bounds of one run, read from settings (tests override the settings)."""

    allowed_networks: list = field(default_factory=list)
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    response_timeout: float = 20.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = ""
    ca_bundle: str = ""

    @classmethod
    def from_settings(cls):
        return cls(
            allowed_networks=[ipaddress.ip_network(net, strict=False) for net in settings.MONITORING_ALLOWED_NETWORKS],
            connect_timeout=settings.MONITORING_CONNECT_TIMEOUT,
            read_timeout=settings.MONITORING_READ_TIMEOUT,
            response_timeout=settings.MONITORING_RESPONSE_TIMEOUT,
            max_bytes=settings.MONITORING_MAX_BYTES,
            max_redirects=settings.MONITORING_MAX_REDIRECTS,
            user_agent=settings.MONITORING_USER_AGENT,
            ca_bundle=settings.MONITORING_CA_BUNDLE,
        )

    def address_allowed(self, address):
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.allowed_networks):
            return True
        # is_global is False for loopback, link-local (169.254/16, the cloud metadata address), private
        # (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10), reserved and documentation ranges.
        return ip.is_global and not ip.is_multicast


class Budget:
    """The run's total time: every request is given at most what is left, and none starts after it ends."""

    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def remaining(self):
        return self.deadline - time.monotonic()

    def check(self):
        if self.remaining() <= 0:
            raise FetchFailure(Failure.BUDGET, "the run's time budget is spent")


class HostLocks:
    """At most one request at a time per host name, whatever the number of worker threads."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks = {}

    @contextmanager
    def hold(self, host):
        with self._guard:
            lock = self._locks.setdefault(host.lower(), threading.Lock())
        with lock:
            yield


def resolve(host, port):
    """The addresses a name resolves to (a module function, so tests can give a name any address)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class GuardedBackend(httpcore.SyncBackend):
    """Resolves the name itself, refuses non-public addresses, and connects to the address it checked."""

    def __init__(self, policy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchFailure(Failure.DNS, f"{host}: {exc}") from exc
        allowed = [address for address in addresses if self.policy.address_allowed(address)]
        if not allowed:
            raise FetchFailure(Failure.REFUSED, f"{host} resolves to {', '.join(sorted(set(addresses)))}")
        return super().connect_tcp(
            allowed[0], port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )


def ssl_context(policy):
    context = ssl.create_default_context()
    try:
        import certifi

        context.load_verify_locations(certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with httpx
        pass
    if policy.ca_bundle:
        context.load_verify_locations(policy.ca_bundle)
    return context


def make_client(policy):
    """An httpx client whose every connection goes through GuardedBackend."""
    context = ssl_context(policy)
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx builds its own pool; ours is the same pool with the guarded network backend.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context, max_connections=20, max_keepalive_connections=10, network_backend=GuardedBackend(policy)
    )
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": policy.user_agent, "Accept": ACCEPT},
        trust_env=False,
        follow_redirects=False,
    )


@dataclass
class Fetched:
    url: str  # the final address, after redirects
    status: int
    content_type: str
    body: bytes
    headers: dict
    elapsed_ms: int
    tls_valid: bool | None
    hops: list


def _is_tls_error(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ssl.SSLError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def check_url(url):
    """Refuse what is not an absolute http(s) address with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchFailure(Failure.BAD_URL, str(exc), url=url) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchFailure(Failure.BAD_URL, url, url=url)
    return parts


def fetch(client, url, *, policy, budget, locks, accept=HTML_TYPES):
    """GET `url` within the policy's bounds; a Fetched, or a FetchFailure naming what went wrong."""
    started = time.monotonic()
    hops, seen = [], set()
    current = url
    for _hop in range(policy.max_redirects + 1):
        parts = check_url(current)
        if current in seen:
            raise FetchFailure(Failure.REDIRECT_LOOP, " → ".join([*hops, current])[:300], url=current)
        seen.add(current)
        hops.append(current)
        tls = True if parts.scheme.lower() == "https" else None

        def failure(kind, detail="", status=None, *, tls_valid=tls, at=current):
            return FetchFailure(
                kind,
                detail,
                url=at,
                status=status,
                elapsed_ms=int((time.monotonic() - started) * 1000),
                tls_valid=tls_valid,
            )

        with locks.hold(parts.hostname):
            budget.check()
            remaining = budget.remaining()
            deadline = time.monotonic() + min(policy.response_timeout, remaining)
            timeout = httpx.Timeout(
                connect=min(policy.connect_timeout, remaining),
                read=min(policy.read_timeout, remaining),
                write=min(policy.read_timeout, remaining),
                pool=min(policy.connect_timeout, remaining),
            )
            try:
                with client.stream("GET", current, timeout=timeout) as response:
                    status = response.status_code
                    if status in REDIRECT_STATUSES and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"].strip())
                        continue
                    if status >= 500:
                        raise failure(Failure.SERVER_ERROR, f"HTTP {status}", status)
                    if status >= 400:
                        raise failure(Failure.CLIENT_ERROR, f"HTTP {status}", status)
                    if not 200 <= status < 300:
                        raise failure(Failure.CLIENT_ERROR, f"HTTP {status}", status)
                    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if content_type not in accept:
                        raise failure(Failure.NOT_HTML, content_type or "no content type", status)
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > policy.max_bytes:
                        raise failure(Failure.TOO_LARGE, f"{int(length):,} bytes announced", status)
                    chunks, size = [], 0
                    for chunk in response.iter_bytes(chunk_size=64 * 1024):
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise failure(Failure.TOO_LARGE, f"more than {policy.max_bytes:,} bytes", status)
                        if time.monotonic() > deadline:
                            raise failure(Failure.TIMEOUT, "the response took longer than its deadline", status)
                        chunks.append(chunk)
                    return Fetched(
                        url=current,
                        status=status,
                        content_type=content_type,
                        body=b"".join(chunks),
                        headers=dict(response.headers),
                        elapsed_ms=int((time.monotonic() - started) * 1000),
                        tls_valid=tls,
                        hops=hops,
                    )
            except FetchFailure as exc:
                if exc.elapsed_ms is None:  # raised in the connection (DNS, refused): add where and when
                    raise failure(exc.kind, exc.detail, exc.status) from exc
                raise
            except httpx.TimeoutException as exc:
                raise failure(Failure.TIMEOUT, type(exc).__name__) from exc
            except httpx.TransportError as exc:
                if _is_tls_error(exc):
                    raise failure(Failure.TLS, str(exc) or type(exc).__name__, tls_valid=False) from exc
                raise failure(Failure.CONNECTION, str(exc) or type(exc).__name__) from exc
            except httpx.DecodingError as exc:
                raise failure(Failure.BAD_CONTENT, str(exc)) from exc
    raise FetchFailure(
        Failure.TOO_MANY_REDIRECTS,
        f"more than {policy.max_redirects} redirects",
        url=current,
        elapsed_ms=int((time.monotonic() - started) * 1000),
    )
