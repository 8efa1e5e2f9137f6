"""Research compendium for Ivanova (2018), "Influence of Regional Industrial Specialty to the
Emergence of Intraregional Clusters", Economy of Region 14(4), doi:10.17059/2018-4-12.

Layers, each calling only the ones above it in this list (a test checks the imports):

- ``core.paths``                 every path of the project, resolved from the repository root
- ``core.errors``                the one exception type for bad input, with file/row/column
- ``core.escape``                user text made inert in Markdown and HTML output (no script runs)
- ``core.outputs``               atomic, byte-stable writing of tables and files
- ``core.provenance``            the files a notebook read, with their SHA-256 (a run's record)
- ``core.sources``               raw CSV files read with schema checks and SHA-256 verification
- ``core.labels``                every figure label in English and Russian: one table, one accessor
- ``core.prose``                 numbers and series in generated sentences, worded true of their data
- ``core.tidy``                   long tables to the wide views a notebook shows
- ``core.memo``                  pure functions of tables memoised on their arguments' content
- ``core.topn``                  at most N categories in a figure: the largest kept, the rest folded or dropped
- ``core.figures``               one figure style, byte-stable saving
- ``core.manifest``              each region's figures with their captions (figures/<region>/manifest.csv)
- ``indicators``                 pure functions: shares, HHI, location quotients, coefficients, ...
- ``inputs.paper``               the paper's tables and text numbers as transcribed in data/raw/paper
- ``inputs.regions``             the registry of Russia's regions and their aliases
- ``inputs.rosstat_layouts``     Rosstat's files: their sheets, titles, units, activities; the tidy columns
- ``inputs.rosstat_sheets``      reading a Rosstat sheet: cells, headers, years, numbers, region rows
- ``inputs.rosstat_importers``   importers of Rosstat's files of their own layout (GVA, population, GRP, ...)
- ``inputs.rosstat_appendix``    importers of the appendix to «Регионы России» (one layout, many sheets)
- ``inputs.rosstat``             Rosstat's tables by name: import all, write data/interim, read back
- ``inputs.national``             national cluster lists, single-industry towns, OKVED2 divisions, tile grid
- ``inputs.userdata``            a user's region folder (data/user/<region>): templates, validation
- ``inputs.usershapes``          a user's validated files in the shapes of the paper's tables, for the steps
- ``inputs.region``              what a region has: per quantity, its table and origin, or what is missing
- ``reproduction.official``      the ledger's second axis: published numbers beside official statistics
- ``reproduction.ledger``        every published number recomputed or traced, with tolerances
- ``reproduction.claims``        sentences without numbers checked against the paper's tables
- ``reproduction.checks``        checks across published numbers, and the auditable checked share
- ``steps.factor_selection``     notebook 01: factors of cluster formation
- ``steps.cluster_profiling``    notebook 02: the clusters and their link to the specialisation
- ``steps.gva_hhi``              notebook 03: structure of GVA and its Herfindahl-Hirschman index
- ``steps.coefficients``         notebook 04: per-capita production coefficients, marketability
- ``steps.freight``              notebook 05: rail freight in and out
- ``steps.localization``         notebook 06: location quotients on four bases
- ``steps.conclusion``           notebook 07: production indices, the question asked again before/after
- ``steps.conclusion_paper``     notebook 07: the paper's conclusions judged
- ``steps.conclusion_ledger``    notebook 07: the ledger's figure
- ``steps.regions_compared``     notebook 08: the region among all regions
- ``steps.national_clusters``    notebook 09: national cluster lists, monotowns and maps of all regions
- ``study``                      what every notebook imports: parameter checks, tables, figures
- ``runner.pipeline``            papermill runner behind ``python -m analysis run``
- ``runner.readings_check``      the sweep of every generated sentence and figure shape (make check-readings)
- ``runner.inprocess``           papermill engine executing notebooks in the worker (batches of regions)
- ``runner.book``                the offline book (Sphinx, MyST-NB) of executed notebooks, figures/README.md
- ``runner.book_check``          the book's offline check: no page loads from the network or runs foreign scripts
- ``runner.book_sphinx``         the book's Sphinx extension: figures linked to their full size, round citations
- ``runner.workspace``           throwaway copies of the repository (benchmarks, reliability tests)
- ``cli``                        the one command line, ``python -m analysis <command>``
"""

__version__ = "0.1.0"
