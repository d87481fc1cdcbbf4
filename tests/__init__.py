"""The planner's tests: one folder per package of `planner/`, shared builders in `helpers/`.

The helpers' asserts are rewritten as a test module's are, so a failing check says what
it saw (registered here, before any helper is imported).
"""

import pytest

pytest.register_assert_rewrite("tests.helpers")
