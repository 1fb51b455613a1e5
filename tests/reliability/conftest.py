import pytest

from tests.reliability.drills import RESULTS, table


@pytest.fixture(scope="package")
def stack():
    """The throwaway full stack (tests/reliability/stack.py), shared by this package's tests and
    stopped after its last one."""
    from tests.reliability.stack import Stack

    with Stack() as stack:
        yield stack


def pytest_terminal_summary(terminalreporter):
    """The drill table (issue 18's closing note quotes it), from the drills this run played."""
    if RESULTS:
        terminalreporter.write_sep("=", "fault drills (tests/reliability)")
        terminalreporter.write_line(table(RESULTS))
