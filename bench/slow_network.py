"""Time the citizen form on emulated slow networks, against a peer survey product.

    .venv/bin/python bench/slow_network.py [--runs 5] [--profiles none,2g,3g] [--no-peer]

No target of DESIGN.md §8 of its own: it shows what the form's weight (form_bytes.py) means to
a citizen on a slow phone connection, next to django-survey-and-report (PyPI), a Django survey
app whose survey pages load Bootstrap 3, jQuery and jQuery UI.

1. Serves SUARA (wsgi:app) on a scratch database (migrations, regions, demo data, a new service
   point per journey) and the peer (bench/_peer_survey.py: a minimal Django project in a venv
   of its own under ~/.cache/suara-bench-peer or $SUARA_BENCH_PEER, installed by pip when
   missing; when it cannot be set up, SUARA alone is measured and the reason printed; one
   survey of nine required radio questions of four choices, SUARA's texts and labels), each
   under gunicorn with 2 gthread workers of 4 threads, on loopback ports.
2. For each network profile, each product, --runs times: a fresh browser context (empty
   cache, no cookies) in headless Chromium on a 360-px phone, the profile set through CDP
   Network.emulateNetworkConditions before the first request. Then two journeys:
   - "tap": navigation to the form's URL until the form is usable: the first question's
     four radio buttons and the send button laid out with a size, in an animation frame,
     and not before the first contentful paint (a page whose stylesheet is still loading
     shows nothing). Also DOMContentLoaded and load (Navigation Timing).
   - "send": the nine questions answered (a click on one label each), then a click on the
     send button until the thank-you page's heading is laid out, in the same way. The time
     origin of the thank-you page is the start of the navigation the click began (the POST,
     its redirect and the GET: Navigation Timing).
   Every response counts from Chromium's network log, as in form_bytes.py: CDP
   Network.loadingFinished encodedDataLength (headers and body as received; redirects by
   their redirectResponse), until the network is quiet after load; requests are those sent
   on the network (memory or HTTP cache hits not counted).
3. Prints the median of the runs per profile, product and journey, and the spread.

--suara-env NAME=VALUE gives SUARA's server more environment (SUARA_PROXY_COMPRESSES=1: no
gzip, as behind a proxy that compresses); --peer-gzip adds Django's GZipMiddleware to the peer.

Times depend on the machine's load (the browser's work is not throttled, only its network):
bytes and request counts are exact, times are not.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

import _peer_survey
from _common import (CHROMIUM, CHROMIUM_ARGS, ROOT, SECRET_KEY, add_points, free_port,
                     prepare_database, scratch_databases, wait_for_port)

BIN = Path(sys.executable).parent
TIMEOUT_MS = 180_000


@dataclass(frozen=True)
class Network:
    """Network.emulateNetworkConditions parameters: latency in ms, throughputs in bytes/s."""
    label: str
    latency: float
    download: float
    upload: float
    connection: str


# The presets, with the arithmetic of their sources (kbit there; bytes/s here):
# - "2g": DevTools' "Regular 2G" (250 kbit/s down, 50 kbit/s up, 300 ms), from
#   front_end/components/NetworkConditionsSelector.js as at Chromium commit 3ff085d0 (2016;
#   DevTools has had no 2G preset since), as copied with that citation into Chromium's
#   telemetry presets (NETWORK_CONFIGS["Regular-2G"] = 250 * 1024 / 8, 50 * 1024 / 8, 300).
# - "3g": DevTools' "3G" (called "Slow 3G" before 2024), ChromeDevTools/devtools-frontend
#   front_end/core/sdk/NetworkManager.ts, Slow3GConditions: download = upload =
#   500 * 1000 / 8 * .8, latency = 400 * 5 (a 400 ms RTT times DevTools' adjustment factor).
# - "slow4g": DevTools' "Slow 4G" (called "Fast 3G" before May 2024), Slow4GConditions in the
#   same file: 1.6 * 1000 * 1000 / 8 * .9 down, 750 * 1000 / 8 * .9 up, 150 * 3.75 ms; the
#   devtools-throttling form of Lighthouse's default mobileSlow4G (GoogleChrome/lighthouse
#   core/config/constants.js: rttMs 150, throughputKbps 1.6 * 1024, with
#   DEVTOOLS_RTT_ADJUSTMENT_FACTOR 3.75 and DEVTOOLS_THROUGHPUT_ADJUSTMENT_FACTOR 0.9).
PROFILES = {
    "none": None,
    "2g": Network("Regular 2G: 250/50 kbit/s, 300 ms", 300, 250 * 1024 / 8, 50 * 1024 / 8,
                  "cellular2g"),
    "3g": Network("3G (Slow 3G): 400/400 kbit/s, 2 000 ms", 400 * 5, 500 * 1000 / 8 * .8,
                  500 * 1000 / 8 * .8, "cellular3g"),
    "slow4g": Network("Slow 4G (Fast 3G): 1 440/675 kbit/s, 562.5 ms", 150 * 3.75,
                      1.6 * 1000 * 1000 / 8 * .9, 750 * 1000 / 8 * .9, "cellular4g"),
}


@dataclass
class Product:
    """A served survey form, and how to tell in its pages that a journey is done."""
    name: str
    base: str
    paths: list[str]             # one form URL path per journey, taken in turn
    groups: list[str]            # the nine radio groups' names, in page order
    thanks_url: str              # regular expression of the thank-you page's URL
    thanks: str                  # CSS selector of what shows the thank-you page
    runs: dict = field(default_factory=dict)

    def next_path(self) -> str:
        return self.paths.pop(0) if len(self.paths) > 1 else self.paths[0]


# In every document: record, in the first animation frame where it holds, when the form is
# usable and when the thank-you page shows, and the first contentful paint.
WATCH = """
(() => {
  const spec = %s;
  const mark = window.__bench = {};
  const laid = el => { const r = el && el.getBoundingClientRect();
    return !!r && r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const labelOf = input => (input.id && document.querySelector(`label[for="${input.id}"]`))
    || input.closest('label') || input;
  const usable = () => { const radios = [...document.querySelectorAll(spec.radios)];
    return radios.length >= 4 && radios.every(r => laid(labelOf(r)))
      && laid(document.querySelector(spec.submit)); };
  new PerformanceObserver(list => { for (const e of list.getEntries())
    if (e.name === 'first-contentful-paint') mark.fcp = e.startTime; })
    .observe({type: 'paint', buffered: true});
  const frame = now => {
    if (mark.usable === undefined && usable()) mark.usable = performance.now();
    if (mark.thanks === undefined && laid(document.querySelector(spec.thanks)))
      mark.thanks = performance.now();
    if (mark.usable === undefined || mark.thanks === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""

MARKS = """key => { const m = window.__bench || {};
  const nav = performance.getEntriesByType('navigation')[0];
  return {at: m[key], fcp: m.fcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd}; }"""


class NetworkLog:
    """Bytes and requests of a page from CDP's Network events, taken journey by journey."""

    def __init__(self, cdp):
        self.bytes, self.requests = 0, 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._cached)

    def _sent(self, event):
        if event["request"]["url"].startswith("http"):
            self.requests += 1
        if "redirectResponse" in event:
            self.bytes += event["redirectResponse"].get("encodedDataLength", 0)

    def _cached(self, _event):
        self.requests -= 1

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]

    def take(self) -> dict:
        taken = {"bytes": self.bytes, "requests": self.requests}
        self.bytes, self.requests = 0, 0
        return taken


def settled_marks(page, key: str) -> dict:
    """Wait until the page recorded `key`, its first paint and its load; return the marks."""
    page.wait_for_function(f"() => window.__bench && window.__bench.{key} !== undefined && "
                           "window.__bench.fcp !== undefined && "
                           "performance.getEntriesByType('navigation')[0].loadEventEnd > 0",
                           timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    marks = page.evaluate(MARKS, key)
    marks["shown"] = max(marks["at"], marks["fcp"])
    return marks


def journey(browser, product: Product, network: Network | None) -> dict:
    """Open the form in a fresh context, answer, send; return the times and bytes of both."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    context.add_init_script(WATCH % json.dumps({
        "radios": f'input[type=radio][name="{product.groups[0]}"]',
        "submit": "form[method=post] [type=submit]", "thanks": product.thanks}))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    log = NetworkLog(cdp)
    if network:
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": network.latency, "downloadThroughput": network.download,
            "uploadThroughput": network.upload, "connectionType": network.connection})
    try:
        page.goto(product.base + product.next_path(), wait_until="commit", timeout=TIMEOUT_MS)
        tap = {**settled_marks(page, "usable"), **log.take()}
        for name in product.groups:
            radio = page.locator(f'input[type=radio][name="{name}"]').nth(2)
            page.locator(f'label[for="{radio.get_attribute("id")}"]').click()
        page.locator("form[method=post] [type=submit]").click(no_wait_after=True)
        page.wait_for_url(re.compile(product.thanks_url), wait_until="commit", timeout=TIMEOUT_MS)
        send = {**settled_marks(page, "thanks"), **log.take()}
    finally:
        context.close()
    return {"tap": tap, "send": send}


def suara_product(url: str, tmp: Path, count: int,
                  extra_env: dict) -> tuple[Product, list[dict], subprocess.Popen]:
    """Prepare SUARA's database and server; return it, its nine questions, its process."""
    from survey.db import make_engine
    from survey.responses import default_questionnaire

    prepare_database(url)
    tokens = add_points(url, count)
    engine = make_engine(url)
    with Session(engine) as session:
        items = sorted(default_questionnaire(session).items, key=lambda item: item.position)
        questions = [{"code": item.element_code, "text": item.text_id,
                      "labels": list(item.labels_id)} for item in items]
    engine.dispose()
    port = free_port()
    server = serve([str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--worker-class",
                    "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                    "wsgi:app"], ROOT, {**os.environ, "DATABASE_URL": url,
                                        "SECRET_KEY": SECRET_KEY,
                                        "SUARA_BASE_URL": f"http://127.0.0.1:{port}",
                                        **extra_env},
                   port, tmp / "suara.log")
    product = Product("SUARA", f"http://127.0.0.1:{port}", [f"/s/{t}" for t in tokens],
                      [q["code"] for q in questions], r"/terima-kasih", "h1")
    return product, questions, server


def peer_product(tmp: Path, questions: list[dict],
                 gzip: bool) -> tuple[Product, subprocess.Popen, str]:
    """Install (once) and serve django-survey-and-report; return it, its process, versions."""
    version = _peer_survey.install()
    folder = tmp / "peer"
    folder.mkdir()
    env = _peer_survey.project(folder, tmp / "peer.db", gzip)
    made = _peer_survey.make_survey(folder, env, questions)
    port = free_port()
    server = serve(_peer_survey.server_command(port), folder, env, port, tmp / "peer.log")
    product = Product("peer", f"http://127.0.0.1:{port}", [f"/survey/{made['survey']}/"],
                      made["groups"], r"/confirm/", ".alert-success")
    return product, server, (f"django-survey-and-report {version}, Django {made['django']}"
                             + (", GZipMiddleware" if gzip else ""))


def serve(command: list[str], cwd: Path, env: dict, port: int, log: Path) -> subprocess.Popen:
    """Start a server; return its process once it listens on the port."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
    except TimeoutError:
        process.terminate()
        raise RuntimeError(f"{command[0]} did not start:\n{log.read_text()[-2000:]}")
    return process


def measure(products: list[Product], profiles: list[str], runs: int) -> None:
    """Run every journey: per profile, the products in turn, `runs` times; fill product.runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for product in products:  # a warm-up each: imports, first queries, workers' caches
                journey(browser, product, None)
            for profile in profiles:
                for _ in range(runs):
                    for product in products:
                        result = journey(browser, product, PROFILES[profile])
                        product.runs.setdefault(profile, []).append(result)
        finally:
            browser.close()


def spread(values: list[float]) -> str:
    """Return the median of times in ms as seconds, with their range."""
    return (f"{statistics.median(values) / 1000:6.2f} s ({min(values) / 1000:.2f}–"
            f"{max(values) / 1000:.2f})")


def report(products: list[Product], profiles: list[str]) -> list[str]:
    """Return the lines of the table of medians."""
    lines = [f"  {'profile':<7} {'product':<6} {'journey':<5} {'shown: median (min–max)':<27}"
             f"{'FCP':>8} {'DCL':>8} {'load':>8} {'bytes':>9} {'requests':>9}"]
    for profile in profiles:
        for product in products:
            for name in ("tap", "send"):
                runs = [run[name] for run in product.runs[profile]]
                median = {key: statistics.median(run[key] for run in runs)
                          for key in ("fcp", "dcl", "load", "bytes", "requests")}
                byte_counts = sorted({run["bytes"] for run in runs})
                counted = (f"{median['bytes']:>9,.0f}" if len(byte_counts) == 1
                           else f"{byte_counts[0]:,}–{byte_counts[-1]:,}")
                lines.append(
                    f"  {profile:<7} {product.name:<6} {name:<5} "
                    f"{spread([run['shown'] for run in runs]):<27}"
                    f"{median['fcp'] / 1000:7.2f}s {median['dcl'] / 1000:7.2f}s "
                    f"{median['load'] / 1000:7.2f}s {counted:>9} {median['requests']:>9.0f}")
    return lines


def arguments(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="journeys per profile and product")
    parser.add_argument("--profiles", default="none,2g,3g",
                        help=f"comma-separated, of: {', '.join(PROFILES)}")
    parser.add_argument("--no-peer", action="store_true", help="measure SUARA only")
    parser.add_argument("--peer-gzip", action="store_true",
                        help="serve the peer with Django's GZipMiddleware")
    parser.add_argument("--suara-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for SUARA's server (repeatable)")
    args = parser.parse_args(argv)
    args.profiles = args.profiles.split(",")
    if unknown := set(args.profiles) - set(PROFILES):
        parser.error(f"unknown profiles: {', '.join(sorted(unknown))}")
    return args


def run(args, tmp: Path, url: str) -> tuple[list[Product], str]:
    """Serve both products, measure them; return them and what serves the peer (or why not)."""
    extra_env = dict(pair.split("=", 1) for pair in args.suara_env)
    servers, peer_note = [], "not measured (--no-peer)"
    try:
        suara, questions, server = suara_product(url, tmp, args.runs * len(args.profiles) + 1,
                                                 extra_env)
        servers.append(server)
        products = [suara]
        if not args.no_peer:
            try:
                peer, server, peer_note = peer_product(tmp, questions, args.peer_gzip)
                servers.append(server)
                products.append(peer)
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                peer_note = f"MISSING, it could not be set up: {error}"
        measure(products, args.profiles, args.runs)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    return products, peer_note


def main(argv=None) -> int:
    args = arguments(argv)
    with tempfile.TemporaryDirectory(prefix="suara-bench-") as tmp, \
            scratch_databases(None, Path(tmp)) as urls:
        products, peer_note = run(args, Path(tmp), urls["main"])

    load = os.getloadavg()
    print(f"The citizen form on a 360-px phone, headless Chromium, a fresh context (empty cache) "
          f"per journey; median of {args.runs} runs; {os.cpu_count()} CPUs, load average now "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (times are noisy, bytes exact)")
    suara_env = " ".join(args.suara_env)
    print(f"  SUARA: wsgi:app{' with ' + suara_env if suara_env else ''}; peer: {peer_note}; "
          f"each under gunicorn, 2 gthread workers × 4 threads, SQLite")
    for profile in args.profiles:
        network = PROFILES[profile]
        print(f"  {profile}: " + (f"{network.label} (latency {network.latency:g} ms, down "
                                  f"{network.download:,.0f} B/s, up {network.upload:,.0f} B/s)"
                                  if network else "no throttling (loopback)"))
    print("  shown: tap = navigation start to the first question's radios and the send button "
          "laid out (not before FCP); send = click to the thank-you page laid out")
    for line in report(products, args.profiles):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
