"""frozen_ticks: the same pixels in less time, and the figure's own tick machinery back afterwards."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plotting.compare import plot_prevalence_grid  # noqa: E402
from analysis.plotting.layout import frozen_ticks  # noqa: E402


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    return buffer.getvalue()


def _grid():
    """A prevalence grid with umlauts, an empty period and a shared date axis."""
    periods = pd.date_range("2021-10-01", periods=9, freq="MS", tz="UTC")
    rows = [{"outlet": outlet, "topic": topic, "period": str(start)[:7], "period_start": start,
             "estimate": np.nan if (i == 3 and outlet == "Süddeutsche") else 0.1 + 0.01 * i,
             "ci_lower": np.nan if (i == 3 and outlet == "Süddeutsche") else 0.05, "ci_upper": 0.3, "n_docs": 5 + i}
            for outlet in ("Süddeutsche", "taz") for topic in ("Krieg · Front", "Hilfe · Flüchtlinge", "Wirtschaft")
            for i, start in enumerate(periods)]
    return plot_prevalence_grid(pd.DataFrame(rows), events={"Invasion": "2022-02-24"}, n_cols=2).flat[0].figure


def _small_values():
    """A log axis and a linear axis whose labels need an offset text (×1e-5)."""
    fig, (left, right) = plt.subplots(1, 2)
    left.loglog([1, 10, 1000], [2, 30, 4000])
    right.plot([0, 1, 2], [1e-5, 3e-5, 2e-5])
    fig.tight_layout()
    return fig


@pytest.mark.parametrize("make", [_grid, _small_values])
def test_files_written_inside_are_the_same_pixels(make):
    plain, frozen = make(), make()
    expected = _png(plain)
    with frozen_ticks(frozen):
        assert _png(frozen) == expected
        assert _png(frozen) == expected  # a second pass too
    plt.close("all")


def test_the_axes_follow_new_limits_after_the_block():
    fig = _small_values()
    right = fig.axes[1]
    with frozen_ticks(fig):
        fig.canvas.draw()
    right.set_ylim(0, 1)
    labels = [t.get_text() for t in right.get_yticklabels()]
    assert labels[0] == "0.0" and labels[-1] == "1.0"
    assert right.yaxis.get_major_formatter().get_offset() == ""  # no stale "1e-5" from the frozen labels
    plt.close(fig)
