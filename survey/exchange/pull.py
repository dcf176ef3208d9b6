"""Pull mode: fetch a signed package from a source server's API and import it."""

import json
import urllib.error
import urllib.parse
import urllib.request

from survey.exchange.signing import ExchangeRefused

PACKAGE_PATH = "/api/v1/exchange/package"
TIMEOUT_SECONDS = 60
PACKAGE_MAX = 64 * 1024 * 1024


def package_address(base_url: str, scope: str, first: str, last: str) -> str:
    """Return the address of a source's package of a scope over months first..last."""
    query = urllib.parse.urlencode({"scope": scope, "from": first, "to": last})
    return f"{base_url.rstrip('/')}{PACKAGE_PATH}?{query}"


def fetch(address: str, token: str) -> dict:
    """Return the package a source serves; raise ExchangeRefused with the reason."""
    request = urllib.request.Request(address, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(PACKAGE_MAX + 1)
    except urllib.error.HTTPError as error:
        raise ExchangeRefused(f"server sumber menjawab {error.code}: {_message(error)}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ExchangeRefused(f"server sumber tidak dapat dihubungi: {error}") from None
    if len(body) > PACKAGE_MAX:
        raise ExchangeRefused("paket dari server sumber terlalu besar")
    try:
        return json.loads(body)
    except ValueError:
        raise ExchangeRefused("jawaban server sumber bukan paket JSON") from None


def _message(error: urllib.error.HTTPError) -> str:
    try:
        return json.loads(error.read())["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return error.reason
