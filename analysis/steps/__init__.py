"""One module per notebook, named as the notebook (``03_gva_hhi`` <-> ``steps/gva_hhi.py``): the
computations and figures of each step of the study. Calls the layers below."""
