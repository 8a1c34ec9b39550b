from newscast.cli import translate


def test_desk_words_become_prefixed_commands():
    assert translate(["data", "load", "--format", "nyt", "f.csv"]) == [
        "datadesk_load", "--format", "nyt", "f.csv",
    ]  # fmt: skip
    assert translate(["wire", "poll", "--feed", "CNN"]) == ["wire_poll", "--feed", "CNN"]
    assert translate(["weather", "refresh"]) == ["weather_refresh"]
    assert translate(["station", "set", "call_sign", "WTVA"]) == [
        "station_set",
        "call_sign",
        "WTVA",
    ]
    assert translate(["news", "section", "local"]) == ["news_section", "local"]
    assert translate(["backup", "site.tar.gz"]) == ["backup", "site.tar.gz"]


def test_other_commands_pass_through():
    assert translate(["demo", "--port", "8001"]) == ["demo", "--port", "8001"]
    assert translate(["check", "--deploy"]) == ["check", "--deploy"]
    assert translate(["wire", "--help"]) == ["wire", "--help"]
