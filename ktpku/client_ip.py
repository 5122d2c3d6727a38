"""The client's address, trusting exactly as many proxies as the deployment has.

Behind the office's nginx (TRUSTED_PROXY_HOPS=1) the address is the last entry of
X-Forwarded-For, the one nginx itself appended; everything to its left was written by the
client and may be forged. Without a proxy (0) the header is ignored. axes keys its lockout
on this address (AXES_CLIENT_IP_CALLABLE) and the event log records it.
"""

import ipaddress

from django.conf import settings


def _valid(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [part.strip() for part in chain if part.strip()]
        if len(chain) >= hops:
            found = _valid(chain[-hops])
            if found:
                return found
    return _valid(remote) or remote or None
