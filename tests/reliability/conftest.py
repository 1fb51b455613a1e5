from tests.reliability.drills import RESULTS, table


def pytest_terminal_summary(terminalreporter):
    """The drill table (issue 18's closing note quotes it), from the drills this run played."""
    if RESULTS:
        terminalreporter.write_sep("=", "fault drills (tests/reliability)")
        terminalreporter.write_line(table(RESULTS))
