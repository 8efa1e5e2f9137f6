"""The core layer: paths from the repository root, the input error, atomic byte-stable outputs,
checksummed raw sources, and the figure style. Imports nothing else of the package."""
