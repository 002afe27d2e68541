import gc

import pytest

from childfirst.collector import collector_paused


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_is_off_inside_and_as_it_was_after(was_on: bool) -> None:
    (gc.enable if was_on else gc.disable)()
    try:
        with collector_paused(collect_after=True):
            assert not gc.isenabled()
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


def test_cycles_made_inside_are_collected_after() -> None:
    class Node:
        other: "Node"

    gc.collect()
    with collector_paused(collect_after=True):
        for _ in range(1000):
            a, b = Node(), Node()
            a.other, b.other = b, a
        del a, b
        assert sum(isinstance(o, Node) for o in gc.get_objects()) == 2000
    assert sum(isinstance(o, Node) for o in gc.get_objects()) == 0


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("stop")
    assert gc.isenabled()
