"""The report page's footer: run-specific lines are stamped onto a page drawn (and cached)
once."""

import pytest

from daikiri.report import footer_lines, stamped


def test_a_stamp_comes_first_in_the_footer_and_is_escaped():
    page = (f"<html><body><p>drawn once</p><footer>{footer_lines({'sha256 of the spec': 'abc'})}"
            "</footer></body></html>")
    out = stamped(page, {"created": "2026-12-02T03:00:00+00:00", "code version": "<dirty>"})
    footer = out[out.index("<footer>"):]
    assert footer.index("created") < footer.index("code version") < footer.index("sha256")
    assert "&lt;dirty&gt;" in footer and out.count("<footer>") == 1


def test_a_page_without_a_footer_is_refused():
    with pytest.raises(ValueError, match="no <footer>"):
        stamped("<html><body>nothing</body></html>", {"created": "today"})
