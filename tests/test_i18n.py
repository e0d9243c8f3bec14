"""Every message in the code has a Thai and a Lao translation; numbers follow the locale."""

from catalogs import code_messages

from cockpit import i18n


def test_code_has_messages():
    assert len(code_messages()) > 20


def test_every_message_is_translated():
    messages = code_messages()
    for lang in ("th", "lo"):
        missing = sorted(m for m in messages if m not in i18n.catalog(lang))
        assert not missing, f"{lang} catalog lacks {len(missing)} messages (run `make messages`): {missing[:10]}"


def test_placeholders_survive_translation():
    for lang in ("th", "lo"):
        for message, translation in i18n.catalog(lang).items():
            assert set(_fields(message)) == set(_fields(translation)), f"{lang}: {message!r} -> {translation!r}"


def test_numbers_follow_the_locale():
    assert i18n.number(12345.678, "en", 1) == "12,345.7"
    assert i18n.number(12345.678, "lo", 1) == "12.345,7"
    assert i18n.percent(12.34, "th", 1) == "12.3%"
    assert i18n.measure(None, "%", 1, "th") == i18n.NO_VALUE


def test_translation_fills_placeholders():
    assert i18n.tr("en", "FY{year}", year=2567) == "FY2567"
    assert i18n.tr("th", "FY{year}", year=2567) == "ปีงบประมาณ 2567"


def _fields(text):
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
