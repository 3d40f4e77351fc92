"""Who is on the other end: the client address, read from forwarding headers only via a proxy.

A header such as X-Forwarded-For is written by whoever sends the request, so it is believed
only when the TCP peer is one of the `trusted_proxies`; then the client is the right-most
address in the chain that is not itself a trusted proxy (a client can prepend anything, but
the proxy appends what it saw).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from fastapi import Request

Network = IPv4Network | IPv6Network
_FORWARDED_FOR = re.compile(r'for=("?)\[?([^\]";,]+)\]?(?::\d+)?\1', re.IGNORECASE)


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in net for net in proxies)


def forwarded_chain(headers: Mapping[str, str]) -> list[str]:
    """Return the client chain a request's Forwarded or X-Forwarded-For header names, in order."""
    get = headers.get
    forwarded = get("forwarded")
    if forwarded:
        return [m.group(2) for m in _FORWARDED_FOR.finditer(forwarded)]
    chain = get("x-forwarded-for") or ""
    return [part.strip() for part in chain.split(",") if part.strip()]


def client_address(peer: str | None, chain: Sequence[str], proxies: Sequence[Network]) -> str:
    """Return the client's address: the peer, unless the peer is a trusted proxy.

    Through trusted proxies, it is the right-most address of the chain that is not a trusted
    proxy; an unparsable entry there stops the walk at the proxy that passed it on.
    """
    current = peer or "unknown"
    if not _trusted(_parse(current), proxies):
        return current
    for entry in reversed(chain):
        parsed = _parse(entry)
        if parsed is None:
            return current
        current = str(parsed)
        if not _trusted(parsed, proxies):
            return current
    return current


def request_address(request: Request) -> str:
    """Return the client address of a request under the app's `trusted_proxies` setting."""
    proxies = request.app.state.settings.proxies
    peer = request.client.host if request.client else None
    return client_address(peer, forwarded_chain(request.headers) if proxies else [], proxies)
