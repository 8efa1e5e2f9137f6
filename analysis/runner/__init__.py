"""The machinery: running the notebooks with papermill, the HTML report, throwaway copies of the
repository for benchmarks and reliability tests."""

import sys

# nbformat (papermill, the report) imports jsonschema, which imports rfc3987_syntax when it is
# installed (jupyterlab's dependencies bring it) and builds its IRI grammar at import: 0.8 s of
# every runner process and worker, for a string format no notebook schema uses. With the import
# blocked, jsonschema leaves out that one format checker (tests/runner/test_pipeline.py).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
