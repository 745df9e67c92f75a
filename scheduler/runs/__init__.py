"""Many solves at once, where the work is: what-if comparisons and robustness sweeps, in a local
process pool or on a Dask.distributed cluster (``scheduler.runs.engine``)."""
