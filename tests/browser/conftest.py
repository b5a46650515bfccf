"""End-to-end journeys in Chromium against the live server (GitHub issue 6).

One browser for the whole session; each person in a journey gets their own browser context
(own cookies), so several people can work side by side in one test. Every page a person's
browser lands on must be checked with axe-core before the test ends (see `Person`).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread; Django refuses ORM calls
# from such a thread unless told they are synchronous on purpose (test data, outbox reads).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.browser.people import People  # noqa: E402

STATIC = Path(__file__).parent / "static"
# Debian's Chromium (.ci/run installs it); another build can be named with BRO_CHROMIUM.
CHROMIUM = os.environ.get("BRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browsers here."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser journeys need Chromium at {CHROMIUM} "
                    "(apt-get install chromium, or set BRO_CHROMIUM).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _browser_settings(settings, live_server):
    """axe-core is served by the live server itself (a test-only static folder), so the strict
    CSP (script-src 'self') lets it run; links in emails point at the live server."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("bro-tests", STATIC)]
    settings.SITE_URL = live_server.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_passed = report.passed
    return report


@pytest.fixture
def people(request, new_context, live_server):
    """Opens a browser for one person at a time: `people.open("Kari")`. After a passing test,
    fails if any page a person landed on was not checked with axe-core."""
    crowd = People(new_context, live_server.url)
    yield crowd
    if getattr(request.node, "browser_call_passed", False):
        crowd.assert_every_page_checked()
