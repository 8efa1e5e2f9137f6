"""pytest configuration shared by unit tests and nbval.

nbval compares only what is meant to be compared: cells tagged ``nbval-check-output`` (run with
``--nbval-lax``), as plain text. HTML and JavaScript reprs and stderr (warnings, progress) vary
between machines and library versions, so they are never compared.
"""


def pytest_collectstart(collector):
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += (
            "text/html",
            "application/javascript",
            "stderr",
            "image/png",
            "image/svg+xml",
        )


# Property-based tests draw the same examples on every run: CI and reruns stay reproducible.
try:
    from hypothesis import settings

    settings.register_profile("compendium", derandomize=True, deadline=None, print_blob=True)
    settings.load_profile("compendium")
except ImportError:  # pragma: no cover
    pass
