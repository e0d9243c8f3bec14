"""Importing real-format files: an OBEC-style Thai table (cp874, B.E., merged headers, Thai digits, a รวม row),
the same figures retyped with English names spelt several ways (Excel), a Lao table by district in Lao script,
a LESMIS DHIS2 dataValueSets export (JSON and CSV) and a UIS SDMX-CSV. The report accounts for every row, and
the totals survive: what was read equals what was imported plus what the report lists."""

import codecs
import csv
import dataclasses
import io
import json
import shutil
import struct
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import DATA_DIR, ROOT
from openpyxl import Workbook

from cockpit.data import indicators as indicator_names
from cockpit.data import plausibility
from cockpit.data.versions import Store
from cockpit.importer import imports, matching, parsing, publishing, readers, report, specs
from cockpit.importer.__main__ import main as cli
from cockpit.importer.problems import Problem
from cockpit.publish import versions

SAMPLES = Path(__file__).resolve().parent / "samples"
SPECS = ROOT / "config" / "import"
# Each sample spec with its file, as received.
SAMPLE_FILES = [
    ("obec_lower_secondary", "obec_lower_secondary_2566.csv"),
    ("lower_secondary_en", "lower_secondary_2023_en.xlsx"),
    ("lao_ece_age5", "lao_ece_age5_by_district.csv"),
    ("lesmis_ner_primary", "lesmis_dataValueSets_2023July.json"),
    ("uis_ger_lower_secondary", "uis_ger_lower_secondary.csv"),
]


def base(country):
    return publishing.from_folder(country, DATA_DIR / country)


def spec(name, **changes):
    loaded = specs.load(SPECS / f"{name}.yaml")
    if loaded.format == "dhis2":
        changes.setdefault("orgunits", str(SAMPLES / "la_orgunits.csv"))
    return dataclasses.replace(loaded, **changes)


def run(name, *files, aliases=None, **changes):
    s = spec(name, **changes)
    b = base(s.country)
    data = [(f, (SAMPLES / f).read_bytes()) if isinstance(f, str) else f for f in files]
    return imports.run(s, data, b.frame("areas"), b.frame("indicators"), aliases=aliases or Path("/nonexistent"))


def accounted(result):
    """Every figure read is imported or listed: read = imported + each status that left some out."""
    t = result.totals
    left = t[[c for c in imports.FIGURE_STATUSES if c != "imported"]].sum(axis=1)
    assert (t["read"] - t["imported"] - left).abs().max() < 1e-6
    c = result.counts()
    assert c["imported"] + c["ambiguous"] + c["unmatched"] + c["skipped"] + c["rejected"] == c["rows_read"]


def imported_total(result, role, sex="total"):
    obs = result.observations
    return obs.loc[obs["sex"] == sex, role].sum()


def total_row(text_rows, label, column):
    return parsing.number(next(r for r in text_rows if r[0] == label)[column])


# ---- the five samples -------------------------------------------------------------------------------------------


def test_an_obec_table_in_thai_by_province_is_read_whole(tmp_path):
    result = run("obec_lower_secondary", "obec_lower_secondary_2566.csv")
    assert result.files == [dict(name="obec_lower_secondary_2566.csv", encoding="cp874", rows=78)]
    c = result.counts()
    assert (c["rows_read"], c["imported"], c["skipped"]) == (78, 77, 1)
    assert c["matched_by"]["name"] == 77 and c["ambiguous"] == c["unmatched"] == c["rejected"] == 0
    assert result.rows.loc[result.rows["status"] == "skipped", "reason"].tolist() == [imports.TOTAL_ROW]
    # The file's own รวม row says what the 77 provinces add up to: nothing lost on the way.
    lines = (SAMPLES / "obec_lower_secondary_2566.csv").read_bytes().decode("cp874").splitlines()

    cells = list(csv.reader(lines))
    assert imported_total(result, "numerator") == total_row(cells, "รวม", 4)
    assert imported_total(result, "denominator") == total_row(cells, "รวม", 7)
    # B.E. 2566 is the year period starting in 2023 (FY2567 from 1 Oct 2023); Thai digits and "1,234" read.
    obs = result.observations
    assert set(obs["period_start"].astype(str)) == {"2023-10-01"} and set(obs["period_type"]) == {"year"}
    pathum = obs[(obs["area_id"] == "13") & (obs["sex"] == "male")].iloc[0]
    assert (pathum["numerator"], pathum["denominator"]) == (68184.0, 74922.0)  # written ๖๘,๑๘๔ and ๗๔,๙๒๒
    # One cell says "-": the province's girls have no numerator, so no female value; listed as incomplete.
    assert len(obs) == 77 * 3 - 1
    assert result.totals.set_index("role").loc["denominator", "incomplete"] > 0
    accounted(result)
    # Published, each province's figure stands for it (its districts' rows of that year replaced), and the
    # country adds up to the file's own total.
    data_url = str(tmp_path / "published")
    outcome = publishing.publish(result, base("th"), tmp_path / "import", data_url=data_url, alerts=False)
    assert outcome.status == "published"
    con = duckdb.connect(str(Store(data_url).model_file("th", outcome.version)), read_only=True)
    indicator = obs["indicator_id"].iloc[0]
    facts = (
        con.execute(
            "select area_id, level, numerator, denominator from area_facts where indicator_id = $1"
            " and period_start = date '2023-10-01' and sex = 'total' and level in ('province', 'country')",
            [indicator],
        )
        .df()
        .set_index("area_id")
    )
    pathum_total = obs[(obs["area_id"] == "13") & (obs["sex"] == "total")].iloc[0]
    assert (facts.loc["13", "numerator"], facts.loc["13", "denominator"]) == (
        pathum_total["numerator"],
        pathum_total["denominator"],
    )
    country = facts[facts["level"] == "country"].iloc[0]
    assert (country["numerator"], country["denominator"]) == (total_row(cells, "รวม", 4), total_row(cells, "รวม", 7))


def test_the_same_figures_with_english_names_in_several_spellings(tmp_path):
    aliases = tmp_path / "aliases.csv"
    shutil.copyfile(ROOT / "data" / "geo" / "aliases.csv", aliases)
    result = run("lower_secondary_en", "lower_secondary_2023_en.xlsx", aliases=aliases)
    c = result.counts()
    assert (c["rows_read"], c["imported"], c["unmatched"], c["skipped"], c["ambiguous"]) == (78, 75, 2, 1, 0)
    assert c["matched_by"] == dict(code=0, dhis2=0, alias=2, name=71, fuzzy=2)
    by = result.rows.set_index("area_text")
    assert by.loc["Buriram", "area_id"] == "31" and by.loc["Nongbualamphu", "area_id"] == "39"
    assert by.loc["Lopburi", "area_id"] == "16" and by.loc["Bangkok Metropolis", "method"] == "alias"
    assert (by.loc["Nakorn Pathom", "method"], by.loc["Nakorn Pathom", "area_id"]) == ("fuzzy", "73")
    # Below the threshold nothing is guessed: the nearest names are offered instead.
    assert by.loc["Udon Thanee", "status"] == "unmatched" and by.loc["Udon Thanee", "candidates"][0][0] == "41"
    assert set(result.open_names()["area_text"]) == {"Korat", "Udon Thanee"}
    accounted(result)
    # A steward picks the areas (the Data page adds an alias); the same file then matches whole, and its totals
    # equal the Thai-script file's.
    matching.add_alias(aliases, "th", "province", "Korat", "30", "steward", "2026-11-22")
    matching.add_alias(aliases, "th", "province", "Udon Thanee", "41", "steward", "2026-11-22")
    again = run("lower_secondary_en", "lower_secondary_2023_en.xlsx", aliases=aliases)
    assert again.counts()["imported"] == 77 and again.counts()["matched_by"]["alias"] == 4
    thai = run("obec_lower_secondary", "obec_lower_secondary_2566.csv")
    key = ["area_id", "sex"]
    assert (
        again.observations.sort_values(key)[["numerator", "denominator"]]
        .reset_index(drop=True)
        .equals(thai.observations.sort_values(key)[["numerator", "denominator"]].reset_index(drop=True))
    )


def test_a_lao_table_by_district_is_published_and_its_totals_survive(tmp_path):
    result = run("lao_ece_age5", "lao_ece_age5_by_district.csv")
    c = result.counts()
    assert (c["rows_read"], c["imported"], c["skipped"], c["matched_by"]["name"]) == (149, 148, 1, 148)
    assert result.files[0]["encoding"] == "utf-8-sig"
    # Xaysetha and Viengkham are districts of two provinces each: the province column tells them apart.
    twins = result.rows[result.rows["area_text"].str.contains("ໄຊເສດຖາ|ວຽງຄຳ")]
    assert sorted(twins["area_id"]) == ["LA0103", "LA0610", "LA1009", "LA1701"]
    accounted(result)
    text = (SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig").splitlines()

    cells = list(csv.reader(text))
    enrolled, population = total_row(cells, "ລວມ", 3), total_row(cells, "ລວມ", 4)
    assert imported_total(result, "numerator") == enrolled
    data_url = str(tmp_path / "published")
    outcome = publishing.publish(result, base("la"), tmp_path / "import", by="steward", data_url=data_url, alerts=False)
    assert outcome.status == "published"
    store = Store(data_url)
    con = duckdb.connect(str(store.model_file("la", outcome.version)), read_only=True)
    sums = con.execute(
        "select sum(numerator), sum(denominator), count(*) from observations "
        "where indicator_id = 'ece_age5' and period_start = date '2023-09-01' and sex = 'total'"
    ).fetchall()[0]
    assert sums == (enrolled, population, 148)
    before = len(pd.read_parquet(DATA_DIR / "la" / "observations.parquet"))
    assert con.execute("select count(*) from observations").fetchall()[0][0] == before  # revised, not added
    con.close()
    assert (tmp_path / "import" / "report.json").exists() and (tmp_path / "import" / "rows.csv").exists()


def test_a_province_written_once_above_its_districts_is_carried_down_where_the_spec_says():
    """Provincial tables often merge the province's cell down its districts' rows (or write it once above them):
    each district row but the first then has no province, and Xaysetha and Viengkham, districts of two provinces
    each, cannot be told apart. `fill_down` carries the name down; the file reads as if written on every row."""
    lines = (SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig").splitlines()
    rows = list(csv.reader(lines))
    merged, above = [rows[0]], None
    for row in rows[1:]:
        merged.append(["" if row[0] == above else row[0], *row[1:]])
        above = row[0]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(merged)
    data = ("merged.csv", out.getvalue().encode("utf-8"))
    as_merged = run("lao_ece_age5", data)
    assert as_merged.counts()["imported"] < 148  # the twins left ambiguous
    said = {report.reason(r, "en") for _, r in as_merged.rows.iterrows() if r["status"] == "ambiguous"}
    assert said == {"its province cell is empty: merged down from a row above? Name “ແຂວງ” in the spec's fill_down"}
    carried = run("lao_ece_age5", data, fill_down=("ແຂວງ",))
    whole = run("lao_ece_age5", "lao_ece_age5_by_district.csv")
    pd.testing.assert_frame_equal(carried.observations, whole.observations)


def test_a_table_by_year_across_reads_each_column_in_its_own_year(tmp_path):
    """Ministry reports put years side by side ("2565 | 2566"): each figure names its column's period, and the file
    needs no period column. The later year reads exactly as the sample; a year not begun is refused in the spec."""
    rows = list(csv.reader((SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig").splitlines()))
    across = [["ແຂວງ", "ເມືອງ", "ເດັກ 2022", "ປະຊາກອນ 2022", "ເດັກ 2023", "ປະຊາກອນ 2023"]]
    for province, district, _, enrolled, population in rows[1:]:
        earlier = [
            str(round(parsing.number(v) * 0.9)) if v.strip() not in ("", "-") else v for v in (enrolled, population)
        ]
        across.append([province, district, *earlier, enrolled, population])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(across)
    spec_text = (SPECS / "lao_ece_age5.yaml").read_text(encoding="utf-8")
    spec_text = spec_text[: spec_text.index("period:")] + (
        "period: {format: year_ce}\n"
        "values:\n"
        "  - {column: ເດັກ 2022, indicator: ece_age5, role: numerator, period: 2022-2023}\n"
        "  - {column: ປະຊາກອນ 2022, indicator: ece_age5, role: denominator, period: 2022-2023}\n"
        "  - {column: ເດັກ 2023, indicator: ece_age5, role: numerator, period: 2023-2024}\n"
        "  - {column: ປະຊາກອນ 2023, indicator: ece_age5, role: denominator, period: 2023-2024}\n"
    )
    by_year = specs.from_text(spec_text, str(tmp_path / "lao_ece_age5_by_year.yaml"))
    la = base("la")
    result = imports.run(by_year, [("across.csv", out.getvalue().encode())], la.frame("areas"), la.frame("indicators"),
                         aliases=Path("/nonexistent"))  # fmt: skip
    obs = result.observations
    assert sorted(set(obs["period_start"].astype(str))) == ["2022-09-01", "2023-09-01"]
    sample = run("lao_ece_age5", "lao_ece_age5_by_district.csv").observations
    later = obs[obs["period_start"].astype(str) == "2023-09-01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(later, sample.reset_index(drop=True))
    accounted(result)
    # A spec that names no period anywhere, and a column's year that has not begun, are said in words.
    with pytest.raises(Problem, match="give period: column or value, or a period on each figure"):
        specs.from_text(spec_text.replace(", period: 2022-2023}", "}"), str(tmp_path / "x.yaml"))
    future = specs.from_text(spec_text.replace("2023-2024", "2033-2034"), str(tmp_path / "x.yaml"))
    with pytest.raises(Problem, match="has not begun yet") as refused:
        imports.run(future, [("across.csv", out.getvalue().encode())], la.frame("areas"), la.frame("indicators"))
    assert refused.value.column == "ເດັກ 2023"


@pytest.mark.parametrize("export", ["lesmis_dataValueSets_2023July.json", "lesmis_dataValueSets_2023July.csv"])
def test_a_dhis2_export_matches_org_units_through_the_mapping_table(export):
    result = run("lesmis_ner_primary", export)
    c = result.counts()
    assert (c["rows_read"], c["imported"], c["matched_by"]["dhis2"], c["unmatched"], c["skipped"]) == (
        183,
        180,
        180,
        2,
        1,
    )
    assert result.rows.loc[result.rows["status"] == "skipped", "reason"].tolist() == [imports.NO_SERIES]
    obs = result.observations
    assert len(obs) == 90 and set(obs["sex"]) == {"male", "female", "total"}
    assert set(obs["period_start"].astype(str)) == {"2023-09-01"}  # 2023July: the school year starting in 2023
    accounted(result)
    assert result.totals.set_index("role").loc["numerator", "unmatched"] == 812


def test_the_dhis2_json_and_csv_exports_give_the_same_observations():
    a = run("lesmis_ner_primary", "lesmis_dataValueSets_2023July.json").observations
    b = run("lesmis_ner_primary", "lesmis_dataValueSets_2023July.csv").observations
    pd.testing.assert_frame_equal(a, b)


def test_an_sdmx_csv_from_uis_is_read_at_country_level():
    result = run("uis_ger_lower_secondary", "uis_ger_lower_secondary.csv")
    c = result.counts()
    assert (c["rows_read"], c["imported"], c["skipped"], c["matched_by"]["code"]) == (19, 9, 10, 9)
    obs = result.observations.set_index(["period_start", "sex"])["value"]
    assert obs.loc[(pd.Timestamp("2022-09-01").date(), "total")] == 66.9
    accounted(result)


# ---- bad input: a clear message naming file, row and column; nothing published changes -------------------------


def test_a_named_encoding_that_does_not_fit_names_the_line():
    with pytest.raises(Problem) as bad:
        run("obec_lower_secondary", "obec_lower_secondary_2566.csv", encoding="utf-8")
    assert bad.value.file == "obec_lower_secondary_2566.csv" and bad.value.row == 1
    assert "not utf-8" in str(bad.value)
    assert "ไม่ใช่" in bad.value.text("th") and "ບໍ່ແມ່ນ" in bad.value.text("lo")


def test_utf8_read_as_cp874_is_caught():
    data = (SAMPLES / "obec_lower_secondary_2566.csv").read_bytes().decode("cp874").encode("utf-8")
    assert run("obec_lower_secondary", ("utf8.csv", data)).files[0]["encoding"] == "utf-8"
    with pytest.raises(Problem, match="looks like UTF-8"):
        run("obec_lower_secondary", ("utf8.csv", data), encoding="cp874")


def test_a_period_that_has_not_begun_is_rejected_with_the_year_as_written():
    """2576 typed for 2567 (B.E.): published, the year 2033 would be the newest on every page."""
    text = (SAMPLES / "obec_lower_secondary_2566.csv").read_bytes().decode("cp874")
    mistyped = text.replace("กระบี่,2566", "กระบี่,2576", 1).encode("cp874")
    result = run("obec_lower_secondary", ("obec.csv", mistyped))
    [row] = result.rows[result.rows["status"] == "rejected"].itertuples()
    assert (row.area_text, row.column) == ("กระบี่", "ปีการศึกษา")
    assert report.reason(result.rows.loc[row.Index], "en") == "its period “2576” has not begun yet: a year mistyped?"
    assert set(result.observations["period_start"].astype(str)) == {"2023-10-01"}
    accounted(result)


def test_a_spec_naming_a_missing_column():
    values = list(spec("lao_ece_age5").figures)
    values[0] = dataclasses.replace(values[0], column="ນັກຮຽນ")
    with pytest.raises(Problem) as bad:
        run("lao_ece_age5", "lao_ece_age5_by_district.csv", figures=tuple(values))
    assert bad.value.column == "ນັກຮຽນ" and bad.value.file == "lao_ece_age5_by_district.csv"
    assert "ເມືອງ" in str(bad.value)  # the columns it does have


def test_rows_that_break_the_rules_are_rejected_with_row_and_column():
    text = (SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].replace("2023-2024", "ສົກຮຽນໃໝ່")  # a period that does not parse
    text[2] = text[2].replace(",580,", ",-580,")  # a negative count
    text[3] = text[3].replace(",491,719", ",991,719")  # more enrolled than children
    result = run("lao_ece_age5", ("edited.csv", "\n".join(text).encode("utf-8")))
    rejected = result.rows[result.rows["status"] == "rejected"].set_index("row")
    assert list(rejected.index) == [2, 3, 4]
    assert rejected.loc[2, "column"] == "ສົກຮຽນ" and "year" in report.reason(rejected.loc[2], "en")
    assert rejected.loc[3, "reason"] == imports.NEGATIVE and rejected.loc[3, "column"] == "ເດັກອາຍຸ 5 ປີ ເຂົ້າຮຽນ"
    assert report.reason(rejected.loc[4], "en") == "numerator 991 above its denominator 719"
    assert result.counts()["imported"] == 145
    accounted(result)


def test_a_file_of_the_wrong_kind_and_a_file_too_large():
    with pytest.raises(Problem, match="kind Excel"):
        run("lao_ece_age5", ("table.csv", (SAMPLES / "lower_secondary_2023_en.xlsx").read_bytes()))
    with pytest.raises(Problem, match="JSON"):
        run("lower_secondary_en", "lesmis_dataValueSets_2023July.json")
    with pytest.raises(Problem) as big:
        run("lao_ece_age5", ("census.csv", b"x" * (200 * 1024 * 1024)))
    assert "200 MB" in str(big.value) and big.value.file == "census.csv"


def test_lines_ended_by_a_lone_carriage_return_read_as_the_same_table():
    """Excel for Mac's "CSV (Macintosh)" ends each line with CR alone: it was a traceback (a csv.Error)."""
    lf = (SAMPLES / "lao_ece_age5_by_district.csv").read_bytes().replace(b"\r\n", b"\n")
    as_read = run("lao_ece_age5", ("district.csv", lf))
    mac = run("lao_ece_age5", ("district.csv", lf.replace(b"\n", b"\r")))
    assert mac.counts() == as_read.counts() and mac.counts()["imported"] == 148
    assert mac.observations.equals(as_read.observations)


def test_excels_unicode_text_utf16_with_tabs_reads_as_the_same_table():
    text = (SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig")
    tabbed = "\n".join("\t".join(cells) for cells in csv.reader(text.splitlines()))
    utf8 = run("lao_ece_age5", ("district.csv", text.encode("utf-8")))
    utf16 = run("lao_ece_age5", ("district.csv", tabbed.encode("utf-16")))  # with its BOM, as Excel writes it
    assert utf16.files[0]["encoding"] == "utf-16" and utf16.counts()["imported"] == 148
    assert utf16.observations.equals(utf8.observations)


@pytest.mark.parametrize(
    ("spec_id", "data", "said"),
    [
        ("lao_ece_age5", codecs.BOM_UTF8 + b"\n ", "the file is empty"),  # was "could not determine delimiter"
        ("lesmis_ner_primary", b'{"dataValues": ' + b"[" * 100_000, "not read as JSON: nested too deeply"),  # traceback
    ],
    ids=["only-a-bom", "json-too-deep"],
)
def test_an_empty_file_with_a_bom_and_json_nested_too_deep_are_refused_in_words(spec_id, data, said):
    with pytest.raises(Problem, match=said):
        run(spec_id, ("file.json" if spec_id.startswith("lesmis") else "file.csv", data))


@pytest.mark.parametrize(
    ("data", "said"),
    [
        # No delimiter at all: pandas would guess "x", and read 3 million columns (16 GB, minutes).
        (b"x" * 3_000_000, "the first line has 3,000,001 columns when “x” separates them"),
        (
            (",".join(f"c{i}" for i in range(1001)) + "\n" + "1," * 1000 + "1\n").encode(),
            "has 1,001 columns when “,” separates them, more than the 1,000",
        ),
        (b"\xe0\xb8\xa1\n", "does not read as CSV: Could not determine delimiter"),  # one column: was a traceback
    ],
    ids=["no-delimiter", "too-wide", "one-column"],
)
def test_a_file_of_thousands_of_columns_or_none_is_refused_before_it_is_read(data, said):
    with pytest.raises(Problem, match=said) as refused:
        run("lao_ece_age5", ("wide.csv", data))
    assert refused.value.file == "wide.csv"


def test_a_table_of_a_thousand_columns_is_read_and_duplicate_names_told_apart():
    header = "ແຂວງ,ເມືອງ,ສົກຮຽນ,ເດັກອາຍຸ 5 ປີ ເຂົ້າຮຽນ,ປະຊາກອນອາຍຸ 5 ປີ," + ",".join(["note"] * 995)
    row = "ນະຄອນຫຼວງວຽງຈັນ,ສີໂຄດຕະບອງ,2023-2024,580,656," + ",".join(["-"] * 995)
    result = run("lao_ece_age5", ("wide.csv", f"{header}\n{row}\n".encode()))
    assert result.counts()["imported"] == 1
    columns = list(result.previews["wide.csv"].columns)
    assert "note (6)" in columns and "note (1000)" in columns and "note" not in columns


def _workbook(rows: int) -> bytes:
    """A workbook whose sheet GER holds `rows` rows of twenty ones (a sheet filled far beyond its table)."""
    book = Workbook()
    book.active.title = "GER"
    for _ in range(rows):
        book.active.append([1] * 20)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _declaring(data: bytes, part: str, size: int) -> bytes:
    """The zip with `part`'s uncompressed size written as `size` in its local and central headers (a lie)."""
    data, name = bytearray(data), part.encode()
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", data, at + name_length_at)[0]
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_workbook_that_unzips_to_far_more_than_the_limit_is_refused_before_it_is_read(monkeypatch):
    """A 4 MB sheet of ones unzips to 1.5 GB: calamine took the server past 4 GB before it failed."""
    monkeypatch.setenv(readers.MAX_MB_ENV, "0.25")  # 256 kB a file: 1 MB unzipped
    filled = _workbook(5000)
    assert len(filled) < readers.max_bytes()  # the file itself is within the limit: 190 kB
    assert run("lower_secondary_en", "lower_secondary_2023_en.xlsx").counts()["imported"] > 0  # 35 kB unzipped
    with pytest.raises(Problem, match="unzips to 3 MB, more than the 1 MB an import reads") as refused:
        run("lower_secondary_en", ("filled.xlsx", filled))
    assert refused.value.file == "filled.xlsx"
    # The check reads the sizes the zip declares; calamine refuses a part that unzips to more than it declares.
    lying = _declaring(filled, "xl/worksheets/sheet1.xml", 100)
    with pytest.raises(Problem, match="larger than its declared uncompressed size"):
        run("lower_secondary_en", ("filled.xlsx", lying))


def test_a_refused_import_changes_nothing_published(tmp_path):
    data_url = str(tmp_path / "published")
    first = versions.publish("la", DATA_DIR / "la", data_url=data_url, alerts=False)
    result = run("lesmis_ner_primary", "lesmis_dataValueSets_2023July.json")
    with pytest.raises(Problem, match="2 rows"):
        publishing.publish(result, base("la"), tmp_path / "import", data_url=data_url, alerts=False)
    assert Store(data_url).current("la") == first.version and Store(data_url).versions("la") == [first.version]


def test_figures_a_hundred_times_off_what_is_published_wait_for_a_confirmation(tmp_path, capsys):
    """A rate read as a proportion (a spreadsheet's percent cell holds 0.952 for 95.2 %) would publish every area
    red and send the critical alerts. An import's figures are compared with what is published for the same areas,
    periods and sexes, rolled up to the import's level; 20 times off or more, either way, waits for the steward."""
    names = base("la").frame("indicators")
    for name, sample in SAMPLE_FILES:  # the samples as received: nothing to warn about
        result = run(name, sample)
        assert publishing.suspects(result, base(result.spec.country)) == [], name
    # UIS's national ratios read as proportions (the spec's scale as a steward might leave it: 0.01).
    uis = spec("uis_ger_lower_secondary")
    proportions = dataclasses.replace(uis, figures=tuple(dataclasses.replace(f, scale=0.01) for f in uis.figures))
    result = imports.run(
        proportions, [("uis.csv", (SAMPLES / "uis_ger_lower_secondary.csv").read_bytes())],
        base("la").frame("areas"), names,
    )  # fmt: skip
    [off] = publishing.suspects(result, base("la"))
    assert (off.indicator_id, off.same_figures, off.compared) == ("ger_lower_secondary", True, 6)
    assert 0.008 < off.factor < 0.012  # UIS's figures and the demo's differ a little
    assert off.text("en", names) == (
        "Gross enrolment ratio, lower secondary (ger_lower_secondary): the figures read are about 100 times smaller "
        "than those published for the same areas, periods and sexes (6 compared)"
    )
    data_url = str(tmp_path / "published")
    first = versions.publish("la", DATA_DIR / "la", data_url=data_url, alerts=False)
    with pytest.raises(
        Problem, match=r"lower secondary \(ger_lower_secondary\) look a hundred or a thousand times off"
    ):
        publishing.publish(result, base("la"), tmp_path / "import", data_url=data_url, alerts=False)
    assert Store(data_url).versions("la") == [first.version]  # nothing published
    confirmed = publishing.publish(
        result, base("la"), tmp_path / "import", figures_confirmed=True, data_url=data_url, alerts=False
    )
    assert confirmed.status == "published"
    report = json.loads((tmp_path / "import" / "report.json").read_text(encoding="utf-8"))
    assert report["figures_off"] == [off.text("en")]


def test_figures_off_are_found_at_every_level_and_for_periods_not_yet_published():
    # By province, compared with the districts' published figures rolled up as the models do (a ratio of sums).
    obec = run("obec_lower_secondary", "obec_lower_secondary_2566.csv")
    th = base("th")
    as_proportions = obec.observations.assign(value=obec.observations["value"] / 100)
    [off] = plausibility.suspects(as_proportions, th.frame("observations"), th.frame("areas"), th.frame("indicators"),
                                  "province")  # fmt: skip
    assert off.same_figures and off.compared == len(obec.observations) and 0.008 < off.factor < 0.012
    # A year nothing is published for yet: compared with the indicator's published figures of other years.
    lao = run("lao_ece_age5", "lao_ece_age5_by_district.csv")
    la = base("la")
    next_year = lao.observations.assign(period_start=pd.Timestamp("2031-09-01").date())
    assert plausibility.suspects(next_year, la.frame("observations"), la.frame("areas"), la.frame("indicators"),
                                 "district") == []  # fmt: skip
    in_thousands = next_year.assign(value=next_year["value"] * 1000)
    [off] = plausibility.suspects(in_thousands, la.frame("observations"), la.frame("areas"), la.frame("indicators"),
                                  "district")  # fmt: skip
    assert (off.same_figures, off.compared) == (False, 148) and 500 < off.factor < 2000
    assert off.text("lo").startswith("ece_age5: ")


def test_one_provinces_figures_in_proportions_among_right_ones_are_named_by_province():
    """One office's sheet pasted in proportions into a national file: the median moves little, yet three figures of
    one province 100 times off what is published for them are named, with the province, before publishing."""
    obec = run("obec_lower_secondary", "obec_lower_secondary_2566.csv")
    th = base("th")
    krabi = obec.observations["area_id"] == "81"
    slipped = obec.observations.assign(value=obec.observations["value"].where(~krabi, obec.observations["value"] / 100))
    [off] = plausibility.suspects(slipped, th.frame("observations"), th.frame("areas"), th.frame("indicators"),
                                  "province")  # fmt: skip
    assert (off.compared, off.of, off.area_ids) == (int(krabi.sum()), len(obec.observations), ("81",))
    assert off.text("th", th.frame("indicators"), th.frame("areas"), "th").endswith(
        f"{int(krabi.sum())} จาก {len(obec.observations)} ตัวเลขที่เทียบ น้อยกว่าที่เผยแพร่แล้วของพื้นที่ ช่วงเวลา "
        "และเพศเดียวกันประมาณ 100 เท่า: กระบี่"
    )
    assert plausibility.suspects(obec.observations, th.frame("observations"), th.frame("areas"),
                                 th.frame("indicators"), "province") == []  # fmt: skip


def test_the_command_line_names_figures_off_and_does_not_call_the_check_clean(tmp_path, capsys):
    text = (SPECS / "uis_ger_lower_secondary.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "uis_ger_lower_secondary.yaml"
    edited.write_text(text.replace("role: value}", "role: value, scale: 0.01}"), encoding="utf-8")
    code = cli([str(edited), str(SAMPLES / "uis_ger_lower_secondary.csv"), "--base", str(DATA_DIR / "la"),
                "--out", str(tmp_path / "report"), "--check"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "about 100 times smaller than those published for the same areas, periods and sexes (6 compared)" in out
    assert "--figures-confirmed" in out
    assert json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))["figures_off"]


def test_the_command_lines_refusal_to_publish_figures_off_names_the_indicator(tmp_path, capsys):
    """Its refusal named the indicator by its id alone, under the warnings that name it in the reader's language."""
    text = (SPECS / "uis_ger_lower_secondary.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "uis_ger_lower_secondary.yaml"
    edited.write_text(text.replace("role: value}", "role: value, scale: 0.01}"), encoding="utf-8")
    code = cli([str(edited), str(SAMPLES / "uis_ger_lower_secondary.csv"), "--base", str(DATA_DIR / "la"),
                "--out", str(tmp_path / "report"), "--lang", "lo"])  # fmt: skip
    refusal = capsys.readouterr().err
    assert code == 1
    [indicator] = set(run("uis_ger_lower_secondary", "uis_ger_lower_secondary.csv").observations["indicator_id"])
    named = indicator_names.named(base("la").frame("indicators"), indicator, "lo")
    assert named.endswith(f" ({indicator})") and named in refusal


# ---- matching and parsing ---------------------------------------------------------------------------------------


def test_codes_of_every_kind_and_names_after_normalisation():
    areas = pd.read_parquet(DATA_DIR / "th" / "areas.parquet")
    provinces = matching.Gazetteer("th", "province", areas)
    for written in ("31", "TH-31", "310000", "จ.บุรีรัมย์", "จังหวัด บุรีรัมย์", "BURI RAM", "Buri-ram"):
        assert provinces.match(written).area_id == "31", written
    districts = matching.Gazetteer("th", "district", areas)
    assert districts.match("อำเภอเมืองบุรีรัมย์").area_id == "3101"
    assert districts.match("Chom Thong").status == "ambiguous"  # two provinces have one
    assert districts.match("Chom Thong", within="50").area_id == "5002"


def test_periods_numbers_and_sexes_as_ministries_write_them():
    assert parsing.period("1/2567", "term", "th")[0].isoformat() == "2024-05-16"
    assert parsing.period("ปีงบประมาณ ๒๕๖๗", "fiscal_year_be", "th")[0].isoformat() == "2023-10-01"
    assert parsing.period("202309", "dhis2", "la") == (pd.Timestamp("2023-09-01").date(), "month")
    assert parsing.period("ก.ย. 2567", "month", "th")[0].isoformat() == "2024-09-01"
    assert parsing.period("ກັນຍາ 2024", "month", "la")[0].isoformat() == "2024-09-01"
    assert (parsing.number("๑,๒๓๔"), parsing.number("-"), parsing.number("12.5%")) == (1234.0, None, 0.125)
    assert [parsing.sex(s) for s in ("ชาย", "หญิง", "ຊາຍ", "ຍິງ", "M", "F", "")] == [
        "male", "female", "male", "female", "male", "female", "total"
    ]  # fmt: skip
    with pytest.raises(parsing.ValueProblem):
        parsing.period("2023", "year_be", "th")  # a C.E. year where the spec says B.E.


def test_the_command_line_checks_and_says_what_it_would_publish(tmp_path, capsys):
    code = cli([str(SPECS / "lao_ece_age5.yaml"), str(SAMPLES / "lao_ece_age5_by_district.csv"),
                "--base", str(DATA_DIR / "la"), "--out", str(tmp_path), "--check"])  # fmt: skip
    assert code == 0 and "imported: 148" in capsys.readouterr().out
    assert (tmp_path / "report.json").exists()
    code = cli([str(SPECS / "lao_ece_age5.yaml"), str(SAMPLES / "lower_secondary_2023_en.xlsx"),
                "--base", str(DATA_DIR / "la"), "--out", str(tmp_path), "--check", "--lang", "lo"])  # fmt: skip
    assert code == 2 and "Excel" in capsys.readouterr().err


def test_every_sample_spec_loads():
    loaded = specs.folder(SPECS)
    assert set(loaded) == {
        "obec_lower_secondary", "lower_secondary_en", "lao_ece_age5", "lesmis_ner_primary", "uis_ger_lower_secondary"
    }  # fmt: skip
    # Each named on the Data page in its country's language, English elsewhere.
    assert loaded["lao_ece_age5"].title_in("lo") == "ການເຂົ້າຮຽນອະນຸບານຂອງເດັກອາຍຸ 5 ປີ ຕາມເມືອງ (ອັກສອນລາວ)"
    assert (
        loaded["lao_ece_age5"].title_in("th")
        == loaded["lao_ece_age5"].title
        == ("ECE enrolment at age 5 by district (Lao script)")
    )
    assert all(spec.title_in(spec.country if spec.country == "th" else "lo") != spec.title for spec in loaded.values())


def test_a_spec_title_is_english_or_a_text_per_language_with_english():
    body = "country: la\nformat: csv\narea: {column: A, level: province}\nperiod: {value: '2023'}\n"
    body += "values: [{column: B, indicator: ece_age5}]\n"
    plain = specs.from_text("title: Enrolment\n" + body)
    assert (plain.title_in("en"), plain.title_in("lo")) == ("Enrolment", "Enrolment")
    both = specs.from_text("title: {en: Enrolment, lo: ການເຂົ້າຮຽນ}\n" + body)
    assert (both.title_in("en"), both.title_in("lo"), both.title_in("th")) == ("Enrolment", "ການເຂົ້າຮຽນ", "Enrolment")
    with pytest.raises(Problem, match="English"):
        specs.from_text("title: {lo: ການເຂົ້າຮຽນ}\n" + body)


def test_the_report_writes_a_cell_that_looks_like_a_formula_as_text(tmp_path):
    """rows.csv is opened in a spreadsheet: a name in the file such as =HYPERLINK(…) must stay text there."""
    text = (SAMPLES / "lao_ece_age5_by_district.csv").read_text(encoding="utf-8-sig").splitlines()
    text[2] = text[2].replace("ສີໂຄດຕະບອງ", '"=HYPERLINK(""http://example.invalid"",""x"")"')
    result = run("lao_ece_age5", ("edited.csv", "\n".join(text).encode("utf-8")))
    assert "=HYPERLINK" in result.open_names()["area_text"].iloc[0]  # read as written, left to match
    publishing.save_report(result, tmp_path, "lo")
    written = (tmp_path / "rows.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in written and ",=HYPERLINK" not in written and '"=HYPERLINK' not in written
