"""Render a report's HTML page in headless Chromium: a PNG screenshot, or the DOM as the browser built it.

    python scripts/screenshot.py ../shared/seeds/001_695d3b899552ac9d.txt docs/img/seed-001.png
    python scripts/screenshot.py REPORT.txt out.png --width 1000 --height 1800
    python scripts/screenshot.py site/index.html index.png --height 300   # a page already written

A test-only tool (``tests/test_view_browser.py`` uses it; it is skipped where Chromium is absent):
Chromium is not a dependency of govreport. Debian: ``apt-get install chromium``. The browser runs
with a throw-away profile, no network services and no sandbox (containers have no user namespaces).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

TIMEOUT = 180
"""Seconds before a hung browser is killed: a guard against a hang, not a measure of speed."""


def find_chromium() -> str | None:
    """The browser to use: ``$GOVREPORT_CHROMIUM``, else the first of :data:`CANDIDATES` on the PATH."""
    explicit = os.environ.get("GOVREPORT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def _run(browser: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="govreport-chromium-") as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        )


def screenshot(browser: str, page: Path, png: Path, *, width: int = 1000, height: int = 1800) -> None:
    """The top ``width`` × ``height`` CSS pixels of ``page`` (an HTML file) into ``png``."""
    _run(browser, [f"--window-size={width},{height}", f"--screenshot={png.resolve()}", page.resolve().as_uri()])


def dump_dom(browser: str, page: Path) -> str:
    """The DOM Chromium built from ``page``, serialised back to HTML."""
    return _run(browser, ["--dump-dom", page.resolve().as_uri()]).stdout


def main() -> int:
    import govreport
    from govreport.export import view

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path, help="a report file, or an .html page to take as it is")
    ap.add_argument("png", type=Path, help="where to write the screenshot")
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--height", type=int, default=1800)
    args = ap.parse_args()
    browser = find_chromium()
    if browser is None:
        print(
            "no Chromium found: install it (Debian: apt-get install chromium) or set GOVREPORT_CHROMIUM",
            file=sys.stderr,
        )
        return 2
    if args.report.suffix == ".html":
        screenshot(browser, args.report, args.png, width=args.width, height=args.height)
    else:
        report = govreport.load(args.report)
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "page.html"
            page.write_text(view.report_page([view.PageResult(str(args.report), report)]), encoding="utf-8")
            screenshot(browser, page, args.png, width=args.width, height=args.height)
    print(f"wrote {args.png} ({args.png.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
