"""The execute stage: run split notebooks in their framework's kernel, with a
content-addressed cache of outputs, local GPU scheduling and Dask distribution.

Heavy dependencies (nbclient, dask, rich) are imported lazily, where used.
"""
