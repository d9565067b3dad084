"""Browser fixtures: Playwright (PyPI) driving Debian's Chromium against pytest-django's live server.

Use the `page` fixture (a fresh 390×844 phone-sized page per test) with `live_server.url`, and
`axe_check(page)` to assert an accessibility scan finds nothing. Tests here are marked `browser`
automatically; without /usr/bin/chromium they skip, unless MVT_REQUIRE_BROWSER=1 (set in CI),
which turns a missing browser into a failure.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run while one
# is running unless told that it is safe (it is: the loop only talks to the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MVT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if os.environ.get("MVT_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"MVT_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A new page in a fresh context (no cookies), phone-sized, Swedish, with short timeouts."""
    context = browser.new_context(viewport=PHONE, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def axe_check(page, *, disable: tuple[str, ...] = (), include: str | None = None) -> None:
    """Run axe-core on the current page and fail with a readable list if it finds any violation.

    `disable` names axe rule ids to skip; `include` (a CSS selector) checks only that part of the page.
    Give the reason beside the call when you use either.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    options = {"rules": {rule: {"enabled": False} for rule in disable}}
    result = page.evaluate("([include, options]) => axe.run(include ? {include: [include]} : document, options)",
                           [include, options])
    violations = result["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{_describe(violations)}"
