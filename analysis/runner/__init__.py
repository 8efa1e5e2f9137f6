"""The machinery: running the notebooks with papermill, the HTML report, throwaway copies of the
repository for benchmarks and reliability tests."""
