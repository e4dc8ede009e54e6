"""The garbage collector around loops over many documents (analysis.scale.memory.gc_paused)."""

import gc
import weakref

from analysis.scale.memory import gc_paused


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
