"""What a label says: its fields are checked, its numbers formatted for the language."""

from __future__ import annotations

import datetime

import pytest

from tanzuji.errors import LabelError
from tanzuji.labels import LabelContent, format_value
from tests.labels.conftest import make_content


class TestLabelContent:
    def test_the_last_day_of_validity_is_a_day_in_china(self, content: LabelContent) -> None:
        assert content.valid_until_day() == datetime.date(2028, 3, 1)

    def test_the_name_follows_the_language(self, content: LabelContent) -> None:
        assert content.product_name("zh") == "都匀毛尖绿茶"
        assert content.product_name("en") == "Duyun Maojian green tea"

    def test_without_an_english_name_the_chinese_one_is_shown(self) -> None:
        assert make_content(product_name_en=" ").product_name("en") == "都匀毛尖绿茶"

    @pytest.mark.parametrize("grade", [0, 6, -1])
    def test_a_grade_outside_one_to_five_is_refused(self, grade: int) -> None:
        with pytest.raises(LabelError, match=f"grade {grade} is not one of 1") as caught:
            make_content(grade=grade)
        assert caught.value.field == "grade"

    @pytest.mark.parametrize("field", ["product_name_zh", "unit", "declared_unit",
                                       "certificate_number"])  # fmt: skip
    def test_an_empty_field_is_named(self, field: str) -> None:
        with pytest.raises(LabelError, match=f"{field} is empty"):
            make_content(**{field: "  "})

    def test_a_value_that_is_not_a_number_is_refused(self) -> None:
        with pytest.raises(LabelError, match="value nan is not a number"):
            make_content(value=float("nan"))

    def test_validity_needs_a_timezone(self) -> None:
        with pytest.raises(LabelError, match="valid_until needs a timezone"):
            make_content(valid_until=datetime.datetime(2028, 3, 1))

    @pytest.mark.parametrize("url", ["ftp://example.cn/v/1", "/v/GZ-PCF-2026-000001", ""])
    def test_the_url_must_be_one_a_phone_can_open(self, url: str) -> None:
        with pytest.raises(LabelError, match="is not an http\\(s\\) URL") as caught:
            make_content(verification_url=url)
        assert caught.value.field == "verification_url"


class TestFormatValue:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (0.92345, "0.923"),  # three significant digits
            (0.5, "0.500"),  # the digits are kept even when zero
            (12.34, "12.3"),
            (2013.4, "2,013"),  # never fewer digits than the integer part, grouped
            (0.0, "0.00"),
            (-1.256, "-1.26"),  # a net removal keeps its sign
        ],
    )
    def test_three_significant_digits(self, value: float, shown: str) -> None:
        assert format_value(value, "en") == shown

    def test_chinese_groups_thousands_the_same_way(self) -> None:
        assert format_value(123456.7, "zh") == "123,457"
