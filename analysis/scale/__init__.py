"""Large corpora on one machine or a cluster: chunked maps, worker pools, memory, Dask.

- :func:`run_in_chunks` / :func:`map_chunks`: per-document work over Parquet partitions in
  worker processes, resumable after Ctrl-C (:mod:`analysis.scale.batch`).
- :func:`worker_pool`: the one worker setting every parallel step uses.
- :mod:`analysis.scale.distributed`: the same work on a ``dask.distributed`` cluster.
"""

from analysis.scale.batch import ChunkedResult, map_chunks, run_in_chunks
from analysis.scale.memory import release_memory
from analysis.scale.workers import worker_pool

__all__ = ["ChunkedResult", "map_chunks", "release_memory", "run_in_chunks", "worker_pool"]
