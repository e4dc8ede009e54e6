"""duplicate_key is ``" ".join(text.casefold().split())`` for every text (the contract), however it is computed."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.seen import duplicate_key

WHITESPACE = [c for c in map(chr, range(0x110000)) if c.isspace()]  # what str.split() splits at


def reference(text):
    return " ".join(text.casefold().split())


def test_every_code_point_between_runs_of_every_whitespace():
    every = [chr(c) for c in range(0x110000)]
    random.Random(0).shuffle(every)
    assert duplicate_key("".join(every)) == reference("".join(every))
    rng = random.Random(1)
    text = "".join(c + "".join(rng.choices(WHITESPACE, k=rng.randint(1, 4))) for c in every)
    assert duplicate_key(text) == reference(text)
    assert duplicate_key("".join(WHITESPACE) * 3) == "" == reference("".join(WHITESPACE))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(WHITESPACE) | st.sampled_from("aAäÄöÖüÜßẞİıΣσςﬁ .-") | st.characters(), max_size=80))
def test_equals_casefold_split_join(text):
    assert duplicate_key(text) == reference(text)
