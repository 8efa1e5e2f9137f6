"""Open the pages of an offline book in headless Chromium and say what went wrong.

Used by ``tests/runner/test_report.py``; also runs on its own against a built book:

    .venv/bin/python tests/runner/browser_check.py build/report/kemerovo [SEARCH_WORD]

For each page, a copy with a small inline script is made in a temporary folder next to copies of
the site's files; the script records, when the window's ``load`` event fires and then every 200 ms
of the page's (virtual) time, which ``<img>`` did not load (``complete && naturalWidth > 0``),
every Resource Timing entry, how many formulas MathJax has typeset and, on the search page, the
pages the search found. Chromium runs the page for :data:`BUDGET_MS` of virtual time (so MathJax
and the search finish), dumps the DOM (``--dump-dom``) with the last record, and writes a NetLog
(``--log-net-log``) of every network request it makes. The search page is opened once more with
``?q=SEARCH_WORD``, as the search box does. A page passes when its images all load, its resources are all ``file:``/``data:``
and the NetLog holds no request made on the page's behalf. Chromium's own background requests
(update checks and the like, which carry no page initiator) are not the page's; to be sure that
nothing at all leaves the machine, every host name resolves to nothing
(``--host-resolver-rules="MAP * ~NOTFOUND"``).

No Python package beyond the standard library is needed; only a Chromium binary
(``chromium``, ``chromium-browser``, ``google-chrome``; or the path in ``$CHROMIUM``).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1280,2000",
]
BUDGET_MS = 5000  # virtual time each page runs before its DOM is dumped
MARK = "data-report-check"
CHECK_SCRIPT = """<script>
(function () {
  function record() {
    var imgs = Array.prototype.slice.call(document.images);
    var bad = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                  .map(function (i) { return (i.getAttribute("src") || "").slice(0, 120); });
    var res = performance.getEntriesByType("resource").map(function (e) { return e.name; });
    var math = document.querySelectorAll(".MathJax, .MathJax_Display, .MathJax_SVG, mjx-container").length;
    var found = Array.prototype.slice.call(document.querySelectorAll("#search-results a"))
                     .map(function (a) { return a.getAttribute("href") || ""; });
    document.documentElement.setAttribute("__MARK__", JSON.stringify(
      {images: imgs.length, broken: bad, resources: res, url: location.href, title: document.title,
       math: math, found: found}));
  }
  window.addEventListener("load", function () { record(); setInterval(record, 200); });
})();
</script>""".replace("__MARK__", MARK)  # str.format would need every JavaScript brace doubled


def find_chromium() -> str | None:
    """The Chromium binary: ``$CHROMIUM`` if set, else the first of :data:`BINARIES` on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if (os.path.isfile(env) and os.access(env, os.X_OK)) or shutil.which(env) else None
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageResult:
    page: str
    loaded: bool = False  # the load event fired and the check ran
    title: str = ""
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)  # Resource Timing entries
    network_requests: list[str] = field(default_factory=list)  # NetLog requests made for the page
    math: int = 0  # elements of formulas typeset by MathJax
    found: list[str] = field(default_factory=list)  # search results (links), on the search page
    error: str = ""

    @property
    def problems(self) -> list[str]:
        out = []
        if not self.loaded:
            out.append(f"did not load ({self.error or 'no check record in the dumped DOM'})")
        if self.broken_images:
            out.append(f"images that did not load: {self.broken_images}")
        off = [r for r in self.resources if not r.startswith(("file:", "data:"))]
        if off:
            out.append(f"resources not from file:/data: {off}")
        if self.network_requests:
            out.append(f"network requests: {self.network_requests}")
        return out


def inject(text: str) -> str:
    """The page with :data:`CHECK_SCRIPT` as the first thing in ``<head>``."""
    m = re.search(r"<head[^>]*>", text, re.I)
    if not m:
        raise ValueError("page has no <head>")
    return text[: m.end()] + CHECK_SCRIPT + text[m.end() :]


def page_requests(netlog: Path) -> list[str]:
    """URLs of the network requests the NetLog shows made on behalf of a page.

    Requests Chromium makes for itself carry the initiator ``"not an origin"``; a page's
    requests carry its origin (``"null"`` for a ``file://`` page) and its network isolation key.
    """
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # Chromium killed before closing the file: close it ourselves
        log = json.loads(text.rstrip(",") + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for ev in log.get("events", []):
        if names.get(ev.get("type")) != "URL_REQUEST_START_JOB":
            continue
        p = ev.get("params", {})
        if "url" not in p:  # the END event of a request: its BEGIN event has the URL
            continue
        if p.get("initiator") != "not an origin" or "file://" in str(p.get("network_isolation_key", "")):
            urls.append(p.get("url", "?"))
    return sorted(set(urls))


def check_page(
    chromium: str, site_copy: Path, page: str, work: Path, timeout: float = 60, query: str = ""
) -> PageResult:
    """Load ``site_copy/page`` (already injected; ``?query`` appended if given) in a fresh headless
    Chromium profile."""
    res = PageResult(page + (f"?{query}" if query else ""))
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "netlog.json"
    cmd = [
        chromium,
        *FLAGS,
        f"--user-data-dir={work / 'profile'}",
        f"--log-net-log={netlog}",
        f"--virtual-time-budget={BUDGET_MS}",
        "--dump-dom",
        (site_copy / page).resolve().as_uri() + (f"?{query}" if query else ""),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        res.error = f"chromium timed out after {timeout} s"
        return res
    m = re.search(MARK + r'="([^"]*)"', proc.stdout)
    if not m:
        res.error = f"exit {proc.returncode}; stderr: {proc.stderr.strip()[-500:]}"
        return res
    record = json.loads(html.unescape(m.group(1)))
    res.loaded = True
    res.title = record.get("title", "")
    res.images = int(record.get("images", 0))
    res.broken_images = list(record.get("broken", []))
    res.resources = list(record.get("resources", []))
    res.math = int(record.get("math", 0))
    res.found = list(record.get("found", []))
    if netlog.exists():
        res.network_requests = page_requests(netlog)
    else:
        res.loaded = False
        res.error = "chromium wrote no NetLog"
    return res


def check_site(
    site: Path, chromium: str | None = None, jobs: int = 4, work: Path | None = None, search: str = ""
) -> dict[str, PageResult]:
    """Check every ``*.html`` page of ``site``; page name -> result. With ``search``, also the search
    page asked for that word, under the name ``search.html?q=<word>``."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise FileNotFoundError("no Chromium binary found (set $CHROMIUM or install chromium)")
    site = Path(site)
    own_tmp = None
    if work is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="report-browser-")
        work = Path(own_tmp.name)
    try:
        copy = work / "site"
        shutil.copytree(site, copy)
        pages = sorted(p.name for p in copy.glob("*.html"))
        for name in pages:
            p = copy / name
            p.write_text(inject(p.read_text(encoding="utf-8")), encoding="utf-8")
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {
                name: pool.submit(check_page, chromium, copy, name, work / "runs" / name) for name in pages
            }
            if search and "search.html" in pages:
                query = urlencode({"q": search})
                futures[f"search.html?{query}"] = pool.submit(
                    check_page, chromium, copy, "search.html", work / "runs" / "search-query", query=query
                )
            return {name: f.result() for name, f in futures.items()}
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (1, 2):
        print("usage: browser_check.py SITE_FOLDER [SEARCH_WORD]", file=sys.stderr)
        return 2
    results = check_site(Path(argv[0]), search=argv[1] if len(argv) == 2 else "")
    failed = 0
    for name, r in results.items():
        probs = r.problems
        failed += bool(probs)
        print(
            f"{'FAIL' if probs else 'ok  '} {name}: {r.images} images, {r.math} formula elements"
            + (f", found {r.found}" if r.found else "")
            + "".join(f"\n      {p}" for p in probs)
        )
    print(f"{len(results)} pages, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
