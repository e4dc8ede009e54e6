"""The garbage collector around loops over many documents (analysis.scale.memory.gc_paused) and
between the chunks of a long run (release_memory, analysis.scale.batch.COLLECT_EVERY)."""

import gc
import weakref

import pandas as pd

from analysis.scale.batch import COLLECT_EVERY, map_chunks
from analysis.scale.memory import gc_paused, release_memory


class _Node:
    def __init__(self):
        self.other = None


def test_what_a_paused_loop_keeps_joins_the_oldest_generation_so_no_young_collection_rescans_it():
    with gc_paused():
        kept = [[n, str(n)] for n in range(5000)]  # e.g. cached token tuples
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(o) in oldest for o in kept)
    assert gc.get_freeze_count() == 0


def test_cycles_made_in_a_paused_loop_are_still_collected():
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_a_collector_that_was_off_stays_off_and_a_program_s_frozen_objects_stay_frozen():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused():
            kept = [[n] for n in range(100)]
        assert gc.get_freeze_count() == frozen and gc.isenabled() and len(kept) == 100
    finally:
        gc.unfreeze()


def _cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_release_memory_collects_cycles_unless_told_not_to():
    gc.disable()  # only release_memory may collect
    try:
        gone = _cycle()
        release_memory(collect=False)
        assert gone() is not None
        release_memory()
        assert gone() is None
    finally:
        gc.enable()


def test_a_long_chunked_run_collects_its_cyclic_garbage_every_few_chunks():
    made = []

    def step(chunk):  # a step that leaves a reference cycle behind, once per chunk
        made.append(_cycle())
        return chunk

    chunks = (pd.DataFrame({"doc_id": [f"d{k}"], "text": ["Kämpfe um Kyjiw."]}) for k in range(3 * COLLECT_EVERY))
    gc.disable()  # only the run may collect
    try:
        for _ in map_chunks(step, chunks):
            pass
    finally:
        gc.enable()
    alive = sum(ref() is not None for ref in made)
    assert len(made) == 3 * COLLECT_EVERY and 0 < alive <= COLLECT_EVERY
