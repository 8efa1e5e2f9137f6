"""Research compendium for Ivanova (2018), "Influence of Regional Industrial Specialty to the
Emergence of Intraregional Clusters", Economy of Region 14(4), doi:10.17059/2018-4-12.

Modules (each named for what it holds):

- ``paths``       every path of the project, resolved from the repository root
- ``errors``      the one exception type for bad input, with file/row/column
- ``sources``     loading raw CSV files with schema checks and SHA-256 verification
- ``indicators``  pure functions: shares, HHI, location quotients, coefficients, ...
- ``regions``     the registry of Russia's regions and their aliases
- ``rosstat``     importers of Rosstat's official tables into tidy long tables
- ``ledger``      the reproduction ledger: every published number, recomputed or traced
- ``figures``     one figure style, bilingual labels, byte-stable saving
- ``pipeline``    papermill runner used by ``python -m analysis run``
"""

__version__ = "0.1.0"
