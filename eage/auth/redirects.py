"""Where a redirect may go: a path on this site, never another site.

`?next=` after sign-in and the language switch both take their target from the request, so a
link could send a user — just signed in — to a look-alike site. Browsers read `//host`,
`/\\host`, `\\\\host` and `/<TAB>/host` as another host, and ignore tabs and line breaks
inside a URL: only a clean absolute path is kept."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (`/…`, not `//…`), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def same_site_path(url: str | None, host_url: str) -> str | None:
    """The path of `url` if it is an address of this site (`host_url`, e.g. the Referer of a
    page of ours), else None."""
    if not url:
        return None
    parts, here = urlsplit(url), urlsplit(host_url)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path)
