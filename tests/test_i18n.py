"""Every message in the code has a Thai and a Lao translation; numbers follow the locale."""

from pathlib import Path

import pytest
from catalogs import code_messages, messages_in, unmarked, unmarked_in

from cockpit import i18n


def test_code_has_messages():
    assert len(code_messages()) > 20


def test_the_extraction_sees_messages_inside_f_strings_and_only_messages():
    """`make messages` drops from the catalogs what it does not find: a message it cannot see would lose its
    translations (it once missed "open alerts", written inside an f-string)."""
    source = """
label = f"{n} {ctx.tr('open alerts')}"
shown = tr(lang, "Severity: {severity}", severity=tr(lang, LABELS["critical"]))
HIGH = N_("High")
refused = audit.refuse(engine, who, "page.audit", N_("Your role ({role}) may not read the audit trail."))
tr(lang, name)
"""
    found = [message for message, _line in messages_in(source)]
    assert sorted(found) == sorted(
        ["open alerts", "Severity: {severity}", "High", "Your role ({role}) may not read the audit trail."]
    )


def test_strings_a_loop_hands_to_tr_are_marked():
    """A loop over literal strings into tr() hides them from the extraction: "Quarters" fell out of the catalogs so."""
    source = """
a, b = (tr(h) for h in ("Quarters", "Plan"))
c = [ctx.tr(h) for h in (N_("Marked"),)]
for name in ["Loop"]:
    st.write(tr(lang, name))
d = [h.upper() for h in ("Not translated",)]
"""
    assert sorted(m for m, _line in unmarked_in(source)) == ["Loop", "Plan", "Quarters"]
    assert unmarked() == []


def test_every_message_is_translated():
    messages = code_messages()
    for lang in ("th", "lo"):
        missing = sorted(m for m in messages if m not in i18n.catalog(lang))
        assert not missing, f"{lang} catalog lacks {len(missing)} messages (run `make messages`): {missing[:10]}"


def test_every_catalog_entry_is_found_in_the_code():
    """An entry the extraction does not find is deleted by the next `make messages`, translation and all: a message
    passed on to be translated later is marked N_() where it is written."""
    messages = code_messages()
    for lang in ("th", "lo"):
        unseen = sorted(m for m in i18n.catalog(lang) if m not in messages)
        assert not unseen, f"{lang}: {len(unseen)} entries `make messages` would delete: {unseen[:10]}"


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


def test_a_count_of_one_reads_in_the_singular_in_english_only():
    message = "{n} sources have not delivered the period now due: {names}"
    assert i18n.tr("en", message, n=1, names="Budget") == "1 source has not delivered the period now due: Budget"
    assert i18n.tr("en", message, n=2, names="A, B") == "2 sources have not delivered the period now due: A, B"
    assert i18n.tr("en", "{n} days", n=i18n.number(1, "en")) == "1 day"
    assert i18n.tr("th", message, n=1, names="งบ") == i18n.tr("th", message, n=2, names="งบ").replace("2", "1", 1)


def test_each_singular_is_of_a_message_in_the_code_and_names_only_its_values():
    messages = code_messages()
    assert [m for m in i18n.SINGULAR if m not in messages] == []
    for message, one in i18n.SINGULAR.items():
        assert set(_fields(one)) <= set(_fields(message)), one
        assert {"n", "count"} & set(_fields(message)), message


def _fields(text):
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


# --- One number formatter -----------------------------------------------------------------------------------------
# Numbers shown to readers go through i18n.number / percent / measure (Babel, the reader's locale) and charts take
# i18n.plotly_separators; a number formatted in place ("75.99%", "1681", "%{y:.2f}") reads in one locale only.
SCANNED = ("views", "cockpit/ui", "cockpit/figures", "cockpit/documents")
AD_HOC = {
    "f-string format spec": r"\{[^{}\"']*:[,+]?[0-9]*\.?[0-9]*[dfe%,]\}",
    "plotly d3 format": r"%\{[a-z]+:[^}]*[df%]\}|tickformat\s*=|ticksuffix\s*=\s*\"%\"",
    "printf percent": r"format=\"[^\"]*%%",
    "percent sign glued on": r"\+\s*\"%\"|\"%\"\s*\+",
}
# Not numbers for a reader: drawing coordinates in SVG and a mm:ss countdown.
NOT_FOR_READERS = {"cockpit/ui/wall_html.py": "SVG coordinates", "views/warroom.py": "the mm:ss countdown"}


def _ad_hoc_formatting() -> list[str]:
    import re

    root = Path(__file__).resolve().parents[1]
    found = []
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name in NOT_FOR_READERS:
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                for kind, pattern in AD_HOC.items():
                    if re.search(pattern, code):
                        found.append(f"{name}:{lineno}: {kind}: {line.strip()}")
    return found


def test_no_message_writes_a_percent_sign_beside_a_placeholder():
    """A share goes into a message already written by i18n.percent, which puts the sign where the locale does."""
    import re

    glued = re.compile(r"\}\s*%|%\s*\{")
    found = sorted(m for m in code_messages() if glued.search(m))
    found += sorted(f"{lang}: {t}" for lang in ("th", "lo") for t in i18n.catalog(lang).values() if glued.search(t))
    assert not found, found


def test_numbers_are_formatted_by_the_one_formatter():
    found = _ad_hoc_formatting()
    assert not found, "format these through cockpit.i18n:\n" + "\n".join(found)


def test_the_scan_finds_what_it_is_for():
    import re

    samples = ['f"{share:.1f}%"', 'f"{n:,}"', 'hovertemplate="%{y:.2f}"', 'format="%.1f%%"', 'str(v) + "%"']
    assert all(any(re.search(p, s) for p in AD_HOC.values()) for s in samples)
    assert not any(re.search(p, 'tr("{n} days", n=text)') for p in AD_HOC.values())


@pytest.mark.parametrize(
    ("lang", "number", "percent", "separators"),
    [
        ("th", "1,681", "52.9%", ".,"),
        ("lo", "1.681", "52,9%", ",."),
        ("en", "1,681", "52.9%", ".,"),
    ],
)
def test_each_locale_writes_numbers_its_own_way(lang, number, percent, separators):
    assert i18n.number(1681, lang) == number  # incident counts grouped
    assert i18n.percent(52.94, lang, 1) == percent
    assert i18n.percent(99.83, lang, 0) == "100%"  # the indicator's decimals, the same everywhere
    assert i18n.plotly_separators(lang) == separators
    assert i18n.number(300000, lang).count(separators[1]) == 1


def test_charts_take_the_readers_separators():
    import pandas as pd

    from cockpit.figures import charts, explore_charts

    assert charts.evidence(["a"], [1.5], [None], ["met"], "v", "t", lang="lo").layout.separators == ",."
    table = pd.DataFrame({"period": ["p"], "value": [1.5], "side": ["set"], "sex": ["total"]})
    table = table.assign(side_label="s", sex_label="x")
    lao = explore_charts.set_series(table, "%", lang="lo")["config"]["locale"]["number"]
    assert (lao["decimal"], lao["thousands"]) == (",", ".")
