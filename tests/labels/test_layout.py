"""Fitting label text into its box: worked examples, and properties over any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tanzuji.labels.layout import fit_text, text_width


class TestTextWidth:
    def test_ideographs_are_one_em_and_latin_letters_narrower(self) -> None:
        # 碳 1 em + space 0.3 + C 0.66 + O 0.66 + 2 0.56 = 3.18 em, at 10 units a em
        assert round(text_width("碳 CO2", 10.0), 6) == 31.8


class TestFitText:
    def test_text_that_fits_keeps_its_size(self) -> None:
        fitted = fit_text("cradle to gate", 40.0, 3.0)
        assert fitted.lines == ("cradle to gate",)
        assert fitted.size == 3.0

    def test_latin_text_wraps_at_spaces(self) -> None:
        fitted = fit_text("per 1 L baijiu (bottled, at its labelled strength)", 52.0, 3.0,
                          max_lines=2)  # fmt: skip
        assert len(fitted.lines) == 2
        assert " ".join(fitted.lines) == "per 1 L baijiu (bottled, at its labelled strength)"

    def test_a_url_wraps_after_a_slash(self) -> None:
        fitted = fit_text("https://tanzuji.example.cn/v/GZ-PCF-2026-000001", 33.5, 2.2,
                          max_lines=2)  # fmt: skip
        assert len(fitted.lines) == 2
        assert fitted.lines[0].endswith("/")
        assert "".join(fitted.lines) == "https://tanzuji.example.cn/v/GZ-PCF-2026-000001"

    def test_one_line_shrinks_before_it_is_cut(self) -> None:
        fitted = fit_text("GZ-PCF-2026-000001", 30.0, 2.9)
        assert fitted.lines == ("GZ-PCF-2026-000001",)
        assert fitted.size < 2.9

    def test_what_never_fits_ends_in_an_ellipsis(self) -> None:
        fitted = fit_text("贵州省黔南布依族苗族自治州都匀市特级明前毛尖绿茶礼盒装", 20.0, 4.0,
                          max_lines=2)  # fmt: skip
        assert len(fitted.lines) == 2
        assert fitted.lines[-1].endswith("…")
        assert fitted.size >= 4.0 * 0.7

    def test_empty_text_has_no_lines(self) -> None:
        assert fit_text("  ", 20.0, 4.0).lines == ()


@given(
    text=st.text(alphabet=st.sampled_from("碳足迹茶 abcXYZ019-/（）"), min_size=1, max_size=80),
    width=st.floats(min_value=15, max_value=60),
    max_lines=st.integers(min_value=1, max_value=3),
)
def test_fitted_text_stays_in_its_box(text: str, width: float, max_lines: int) -> None:
    """Whatever the text, no line is wider than the box, there are no more lines than allowed,
    the size stays between 70 % and 100 %, and the lines (less a final "…") spell the text's
    start in order."""
    fitted = fit_text(text, width, 4.0, max_lines=max_lines)
    assert len(fitted.lines) <= max_lines
    assert 4.0 * 0.7 <= fitted.size <= 4.0
    assert all(text_width(line, fitted.size) <= width for line in fitted.lines)
    spelled = "".join(fitted.lines).removesuffix("…").replace(" ", "")
    assert " ".join(text.split()).replace(" ", "").startswith(spelled)
