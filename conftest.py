"""pytest runs the post-install tests; at-install tests already ran when the test database was built."""


def pytest_collection_modifyitems(config, items):
    keep, ran_at_install = [], []
    for item in items:
        tags = getattr(getattr(item, "cls", None), "test_tags", set()) or set()
        (ran_at_install if "at_install" in tags else keep).append(item)
    if ran_at_install:
        config.hook.pytest_deselected(items=ran_at_install)
        items[:] = keep
