"""pytest runs the post-install tests; at-install tests already ran when the test database was built."""
import pytest


def pytest_collection_modifyitems(config, items):
    keep, ran_at_install = [], []
    for item in items:
        tags = getattr(getattr(item, "cls", None), "test_tags", set()) or set()
        (ran_at_install if "at_install" in tags else keep).append(item)
    if ran_at_install:
        config.hook.pytest_deselected(items=ran_at_install)
        items[:] = keep


# Odoo skips a browser test when Chromium or its DevTools cannot be reached, and a PDF test when
# wkhtmltopdf cannot convert it; here that is a failure: a test that did not run proves nothing.
BROWSER_SKIP_REASONS = ("chrome", "devtools", "websocket-client", "wkhtmltopdf")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value)
        if any(word in reason.lower() for word in BROWSER_SKIP_REASONS):
            report.outcome = "failed"
            report.longrepr = f"test could not run: {reason}"
