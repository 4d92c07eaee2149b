"""Date finding: Arabic month systems, double forms, clitics, digits, Hijri, relative months,
English forms, and numbers that are not dates."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.dates import find_dates


def values(text: str, lang: str = "ar", published: str | None = None) -> list[str]:
    return [d.value for d in find_dates(text, lang, published)]


def spans(text: str, lang: str = "ar", published: str | None = None) -> list[tuple[str, str]]:
    return [(d.text, d.value) for d in find_dates(text, lang, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Egyptian/Gulf names, hamza variants
        ("وصل الوفد في 3 أبريل 2019 وغادر في 9 ابريل 2019.", ["2019-04-03", "2019-04-09"]),
        ("عقدت القمة في 7 يونيه 2016 ثم في 1 يوليه 2016.", ["2016-06-07", "2016-07-01"]),
        ("وفي 30 أغسطس 2015 و2 اكتوبر 2015 و4 إبريل 2016 صدر البيان.",
         ["2015-08-30", "2015-10-02", "2016-04-04"]),
        # Levantine/Iraqi names
        ("اجتمع المجلس في 12 شباط 2017 و5 آذار 2017 و20 تشرين الأول 2017.",
         ["2017-02-12", "2017-03-05", "2017-10-20"]),
        ("في 1 كانون الثاني 2014 و31 كانون الأول 2014 و9 أيلول 2014 و2 آب 2014.",
         ["2014-01-01", "2014-12-31", "2014-09-09", "2014-08-02"]),
        # Maghrebi and Algerian/Tunisian names
        ("زار الرباط في 3 يوليوز 2017 و12 غشت 2017 و5 شتنبر 2018 و1 دجنبر 2019 و6 نونبر 2019.",
         ["2017-07-03", "2017-08-12", "2018-09-05", "2019-12-01", "2019-11-06"]),
        ("وصل يوم 4 جوان 2016 وغادر في 2 جويلية 2016 وعاد في 8 أفريل 2017 و1 فيفري 2018.",
         ["2016-06-04", "2016-07-02", "2017-04-08", "2018-02-01"]),
        ("انعقد المؤتمر في 15 ماي 2018.", ["2018-05-15"]),
        # month and year, with year words
        ("تراجعت الصادرات في ديسمبر 2017 وفي شهر مارس من عام 2018.", ["2017-12", "2018-03"]),
        # diacritics and tatweel
        ("وُقِّعَ الاتفاقُ في ١٩ يَنايِر ٢٠٢٠.", ["2020-01-19"]),
        # Eastern Arabic and Persian digits
        ("جرت الانتخابات في ١٥ آذار ٢٠١٩ و۲۰ نیسان ۲۰۱۹.", ["2019-03-15", "2019-04-20"]),
        # years
        ("تأسست المنظمة عام 2002 وتوسعت سنة ٢٠٠٥ ثم في العام 2018.", ["2002", "2005", "2018"]),
        ("ومنذ 1967 لم يتغير شيء حتى 2015م.", ["1967", "2015"]),
        ("بين عامي 2012 و2014 تضاعف العدد.", ["2012", "2014"]),
    ],
)
def test_arabic_dates(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_double_form_is_one_date() -> None:
    text = "وقعت الاتفاقية في 19 يناير/كانون الثاني 2020 في القاهرة."
    assert spans(text) == [("19 يناير/كانون الثاني 2020", "2020-01-19")]
    assert spans("في 4 تموز (يوليو) 2014 بدأ الهجوم.") == [("4 تموز (يوليو) 2014", "2014-07-04")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بدأت المحادثات بيناير 2020.", [("يناير 2020", "2020-01")]),
        ("وفي 19 يناير، 2020 اجتمعوا.", [("19 يناير، 2020", "2020-01-19")]),
        ("وديسمبر 2017 كان صعبا.", [("ديسمبر 2017", "2017-12")]),
    ],
)
def test_clitics(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


def test_two_months_one_year() -> None:
    assert values("تراجع الإنتاج في نوفمبر وديسمبر 2017.") == ["2017-11", "2017-12"]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("اجتمعوا في شهر ديسمبر الماضي.", "2018-03-15", ["2017-12"]),
        ("اجتمعوا في فبراير الماضي.", "2018-03-15", ["2018-02"]),
        ("اجتمعوا في مارس الماضي.", "2018-03-15", ["2017-03"]),
        ("وقع الحادث في 10 مارس الماضي.", "2018-03-15", ["2018-03-10"]),
        ("ستعقد القمة في منتصف مايو المقبل.", "2018-03-15", ["2018-05"]),
        ("ستعقد القمة في فبراير القادم.", "2018-03-15", ["2019-02"]),
        ("حدث ذلك في أغسطس/آب من العام الماضي.", "2018-03-15", ["2017-08"]),
        ("يبدأ الاجتماع في 25 الجاري.", "2018-03-15", ["2018-03-25"]),
        ("يبدأ الاجتماع في 25 من الشهر الجاري.", "2018-03-15", ["2018-03-25"]),
        ("The talks began last December.", "2019-03-01", ["2018-12"]),
        ("The talks resume next March.", "2019-03-01", ["2020-03"]),
        ("They met in August last year.", "2019-03-01", ["2018-08"]),
        ("The vote is on 16 June.", "2009-06-15", ["2009-06-16"]),
        ("اجتمع الوزراء في يونيو/حزيران.", "2018-10-19", ["2018-06"]),
        ("سيجتمع الوزراء في فبراير/شباط.", "2018-10-19", ["2019-02"]),
    ],
)
def test_relative_with_published(text: str, published: str, expected: list[str]) -> None:
    assert values(text, "en" if text.isascii() else "ar", published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "اجتمعوا في شهر ديسمبر الماضي.",
        "يبدأ الاجتماع في 25 الجاري.",
        "The talks began last December.",
        "The vote is on 16 June.",
        "اجتمع الوزراء في يونيو/حزيران.",
    ],
)
def test_relative_without_published_is_skipped(text: str) -> None:
    assert values(text, "ar") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("صدر القرار في 15 رمضان 1439 هـ.", ["2018-05-30"]),
        ("أعلن ذلك عام 1439هـ.", ["2017"]),
        ("في شهر رمضان 1439 تصاعد القتال.", ["2018-05"]),
        ("في 1 محرم 1440 هـ بدأ العام.", ["2018-09-11"]),
    ],
)
def test_hijri(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_hijri_span_keeps_tatweel() -> None:
    [d] = find_dates("أعلن ذلك عام 1439هـ.", "ar")
    assert d.text == "1439هـ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council met on January 19, 2020.", ["2020-01-19"]),
        ("The council met on 19 January 2020.", ["2020-01-19"]),
        ("The council met on Jan. 19, 2020.", ["2020-01-19"]),
        ("The council met on the 3rd of March, 2015.", ["2015-03-03"]),
        ("Prices fell in March 2018.", ["2018-03"]),
        ("The group was founded in 2002.", ["2002"]),
        ("It has been occupied since 1967.", ["1967"]),
        ("The report is dated 2011-11-29.", ["2011-11-29"]),
        ("The report is dated 29/11/2011.", ["2011-11-29"]),
    ],
)
def test_english_dates(text: str, expected: list[str]) -> None:
    assert values(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("طالب القرار 2254 بوقف إطلاق النار.", "ar"),
        ("وأشار إلى القرار رقم 2216 وإلى قرار مجلس الأمن 2401.", "ar"),
        ("بلغت المساعدات 2.96 بليون دولار و500 مليون يورو.", "ar"),
        ("نزح 2000 شخص وقتل 1999 مدنيا.", "ar"),
        ("اجتمع الوزراء يوم الخميس، وقال الاثنان إن الوضع صعب.", "ar"),
        ("ومارس الضغط على الحكومة وكان الأب في باب المدينة.", "ar"),
        ("Resolution 2401 was adopted; Security Council resolution 2334 too.", "en"),
        ("Aid reached $2.96 billion, then 1.5 billion and 2015 people fled.", "en"),
        ("A 57-nation group met on Wednesday, yesterday and today.", "en"),
        ("In the 1990s the talks failed. Call 2012 3456 now.", "en"),
        ("Resolution No. 2401 passed. It may rain.", "en"),
    ],
)
def test_not_dates(text: str, lang: str) -> None:
    assert values(text, lang, "2018-03-15") == []


def test_offsets_and_order() -> None:
    text = "وُلِد في ١٩ يناير ٢٠٢٠ ثم انتقل عام 2002 وفي 3 آب 2014."
    found = find_dates(text, "ar")
    assert [d.value for d in found] == ["2020-01-19", "2002", "2014-08-03"]
    for d in found:
        assert text[d.start:d.end] == d.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert found[0].precision == "day" and found[1].precision == "year"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["ar", "en"]), st.sampled_from([None, "2018-03-15", "bad"]))
def test_property_offsets(text: str, lang: str, published: str | None) -> None:
    prev_end = 0
    for d in find_dates(text, lang, published):
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text
        assert d.start >= prev_end
        prev_end = d.end


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "في", " ", "19", "2020", "١٩", "٢٠٢٠", "يناير", "/", "كانون الثاني", "الماضي", "هـ", "1439",
    "رمضان", "ـ", "ُ", "January", "May", ",", ".", "last", "عام", "القرار", "2254", "و", "ب",
])).map("".join))
def test_property_date_like_text(text: str) -> None:
    for d in find_dates(text, "ar", "2018-03-15"):
        assert text[d.start:d.end] == d.text


def test_fast_enough() -> None:
    import time
    text = ("اجتمع الوزراء في 19 يناير/كانون الثاني 2020 وأشاروا إلى القرار 2254 عام 2015. "
            "The council met on January 19, 2020. ") * 30
    find_dates(text, "ar", "2020-02-01")
    t0 = time.perf_counter()
    for _ in range(10):
        find_dates(text, "ar", "2020-02-01")
    assert (time.perf_counter() - t0) / 10 < 0.05
