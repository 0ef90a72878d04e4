"""Events (Termine), the optional built-in kind: dates and times, the checker's rules, pages with upcoming and past
events, iCalendar files that parse back with the same values, JSON-LD, open data, the scaffolder and the issue form."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
from pathlib import Path

import icalendar
import pytest
import yaml

from casebook.core.fields import LOCAL_TIME, FieldSpec, Invalid, clean_value, ends_before
from conftest import FIXTURE_SITE, Build, build_site, issue_body, run, serve_directory

# The build's "today": 2026-12-05 (SOURCE_DATE_EPOCH), between the past workshop and the upcoming meeting.
EPOCH = "1796428800"
MEETING = """---
title: Vernetzungstreffen Test (fiktiv)
summary: Wir lernen uns kennen.
start: 2026-12-12 10:00
end: 2026-12-12 16:00
place: "Berlin, Teststraße 1"
registration: "https://example.org/anmeldung"
format: Vernetzungstreffen
organisations: [alpha-verein, beta-netzwerk]
cases: [gemeinsame-statistik]
target_groups: [Senior*innen]
region: Berlin
date: 2026-11-01
fictitious: true
---

Wir treffen uns.
"""
CONSULTATION = """---
title: Sprechstunde Test (fiktiv)
summary: Eine Stunde für Fragen.
start: 2027-01-13T17:00:00+01:00
end: 2027-01-13T18:00:00+01:00
place: online
online_url: "https://example.org/raum"
format: Sprechstunde
organisations: [gamma-hilfe]
software: [CiviCRM]
fictitious: true
---
"""
WORKSHOP = """---
title: Workshop Test (fiktiv)
summary: Ein ganzer Tag.
start: 2025-11-20
place: Hamburg
format: Workshop
organisations: [gamma-hilfe]
target_groups: [Senior*innen]
fictitious: true
---
"""
BROKEN = """---
title: Kaputter Termin (fiktiv)
summary: Falsch herum.
start: 2026-12-12 18:00
end: 2026-12-12 10:00
place: Berlin
registration: "http://example.org/anmeldung"
format: Party
organisations: [alpha-verien]
---
"""


FORMATS = """
format:
  - label: Vernetzungstreffen
  - label: Workshop
  - label: Sprechstunde
  - label: Webinar
"""


def with_events(root: Path, **files: str) -> Path:
    """The fixture site using events: the folder, the files, the formats in its vocabulary, the overview in its nav."""
    (root / "docs/termine").mkdir(parents=True, exist_ok=True)
    with (root / "docs/vokabular.yml").open("a", encoding="utf-8") as vocabulary:
        vocabulary.write(FORMATS)
    for name, text in files.items():
        (root / "docs/termine" / f"{name}.md").write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - cases/index.md\n", "  - cases/index.md\n  - termine/index.md\n", 1)
    config.write_text(text.replace("  - regionen/index.md\n", "  - regionen/index.md\n  - formate/index.md\n", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def events_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("events") / "site-src"
    shutil.copytree(FIXTURE_SITE, root)
    with_events(root, treffen=MEETING, sprechstunde=CONSULTATION, workshop=WORKSHOP)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build = build_site(root)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert build.returncode == 0, build.output
    return build


# ---------------------------------------------------------------- the core: days and times

def test_a_day_or_a_local_time_or_a_time_with_its_offset() -> None:
    spec = FieldSpec("start", "datetime", True, "", None)
    assert clean_value(spec, datetime.date(2026, 12, 12)) == datetime.date(2026, 12, 12)
    assert clean_value(spec, "2026-12-12 10:00") == datetime.datetime(2026, 12, 12, 10, 0, tzinfo=LOCAL_TIME)
    utc = clean_value(spec, datetime.datetime(2026, 12, 12, 9, 0, tzinfo=datetime.UTC))
    assert utc.utcoffset() == datetime.timedelta(0)
    with pytest.raises(Invalid, match="Datum oder Uhrzeit ist ungültig"):
        clean_value(spec, "2026-02-30")
    with pytest.raises(Invalid):
        clean_value(spec, "nächsten Dienstag")


def test_an_end_day_covers_the_whole_day() -> None:
    evening = datetime.datetime(2026, 12, 12, 18, 0, tzinfo=LOCAL_TIME)
    assert not ends_before(datetime.date(2026, 12, 12), evening)
    assert ends_before(datetime.date(2026, 12, 11), evening)
    assert ends_before(datetime.datetime(2026, 12, 12, 10, 0, tzinfo=LOCAL_TIME), evening)


# ---------------------------------------------------------------- pages

def test_the_overview_shows_upcoming_events_by_date_and_past_ones_by_year(events_build: Build) -> None:
    page = events_build.html("termine/")
    upcoming, past = page.split('id="vergangene-termine"', 1)
    assert upcoming.index("Vernetzungstreffen Test") < upcoming.index("Sprechstunde Test")
    assert "Samstag, 12. Dezember 2026, 10:00–16:00 Uhr" in upcoming and "Mittwoch, 13. Januar 2027, 17:00–18:00 Uhr" in upcoming
    assert 'id="2025"' in past and "Workshop Test" in past and "Donnerstag, 20. November 2025" in past
    assert 'data-ends="2026-12-12"' in upcoming  # for reader.js, which moves it once the day has passed
    assert 'href="../termine.ics"' in page and "Kalender-App als Abonnement" in page


def test_an_event_page_says_when_where_who_and_offers_its_calendar_file(events_build: Build) -> None:
    page = events_build.html("termine/treffen/")
    assert "Samstag, 12. Dezember 2026, 10:00–16:00 Uhr" in page and "Berlin, Teststraße 1" in page
    assert 'href="../../organisations/alpha-verein/"' in page and 'href="../../cases/gemeinsame-statistik/"' in page
    assert 'href="https://example.org/anmeldung"' in page
    assert 'href="../../termine/treffen.ics" download>In den Kalender eintragen' in page
    assert "(vorbei)" in events_build.html("termine/workshop/")


def test_hosts_and_terms_list_upcoming_events_before_past_ones(events_build: Build) -> None:
    profile = events_build.html("organisations/beta-netzwerk/")
    assert "Vernetzungstreffen Test" in profile.split('id="kommende-termine"', 1)[1]
    term = events_build.html("zielgruppen/senior-innen/")
    coming, past = term.split('id="kommende-termine"', 1)[1].split('id="vergangene-termine"', 1)
    assert "Vernetzungstreffen Test" in coming and "Workshop Test" not in coming
    assert "Workshop Test" in past.split("<h2", 1)[0]
    assert 'href="../../zielgruppen/senior-innen.ics" download>Kalender abonnieren: Termine zu „Senior*innen“' in term


def test_each_term_with_events_has_a_calendar_of_its_own(events_build: Build) -> None:
    calendar = icalendar.Calendar.from_ical((events_build.site / "zielgruppen/senior-innen.ics").read_bytes())
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == ["Vernetzungstreffen Test (fiktiv)", "Workshop Test (fiktiv)"]
    assert str(calendar["x-wr-calname"]) == "Testseite: Termine – Senior*innen"
    assert (events_build.site / "regionen/berlin.ics").is_file()
    assert not (events_build.site / "software/excel.ics").exists()  # no event there
    assert "Kalender abonnieren" not in events_build.html("software/excel/")


# ---------------------------------------------------------------- iCalendar, JSON-LD, open data

def test_the_site_calendar_parses_back_with_the_same_values(events_build: Build) -> None:
    calendar = icalendar.Calendar.from_ical((events_build.site / "termine.ics").read_bytes())
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Vernetzungstreffen Test (fiktiv)", "Sprechstunde Test (fiktiv)", "Workshop Test (fiktiv)"}
    meeting = events["Vernetzungstreffen Test (fiktiv)"]
    assert meeting.decoded("dtstart") == datetime.datetime(2026, 12, 12, 10, 0, tzinfo=LOCAL_TIME)
    assert meeting["dtstart"].params["TZID"] == "Europe/Berlin"
    assert meeting.decoded("dtend") == datetime.datetime(2026, 12, 12, 16, 0, tzinfo=LOCAL_TIME)
    assert str(meeting["location"]) == "Berlin, Teststraße 1"
    assert str(meeting["url"]) == "https://example.org/test/termine/treffen/"
    assert str(meeting["uid"]) == "termin-treffen@example.org"
    assert meeting.decoded("dtstamp") == datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)  # when it was taken in
    workshop = events["Workshop Test (fiktiv)"]  # a whole day: DTEND is the next day, exclusive
    assert workshop.decoded("dtstart") == datetime.date(2025, 11, 20) and workshop.decoded("dtend") == datetime.date(2025, 11, 21)
    online = events["Sprechstunde Test (fiktiv)"]
    assert str(online["conference"]) == "https://example.org/raum" and str(online["description"]).endswith("Online: https://example.org/raum")
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    single = icalendar.Calendar.from_ical((events_build.site / "termine/treffen.ics").read_bytes())
    assert [str(e["uid"]) for e in single.walk("VEVENT")] == ["termin-treffen@example.org"]


def test_event_json_ld_names_time_place_mode_and_organizers(events_build: Build) -> None:
    def json_ld(url: str) -> dict:
        found = re.search(r'<script type="application/ld\+json">(.*?)</script>', events_build.html(url), re.DOTALL)
        assert found
        return json.loads(found.group(1))

    meeting = json_ld("termine/treffen/")
    assert meeting["@type"] == "Event" and meeting["startDate"] == "2026-12-12T10:00:00+01:00"
    assert meeting["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert meeting["location"] == {"@type": "Place", "name": "Berlin, Teststraße 1", "address": "Berlin, Teststraße 1"}
    assert [o["url"] for o in meeting["organizer"]] == ["https://example.org/test/organisations/alpha-verein/",
                                                         "https://example.org/test/organisations/beta-netzwerk/"]
    online = json_ld("termine/sprechstunde/")
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://example.org/raum"}


def test_events_are_open_data(events_build: Build) -> None:
    data = json.loads((events_build.site / "daten/wissensbasis.json").read_text(encoding="utf-8"))
    meeting = next(event for event in data["events"] if event["slug"] == "treffen")
    assert meeting["start"] == "2026-12-12T10:00:00+01:00" and meeting["organisations"] == ["alpha-verein", "beta-netzwerk"]
    assert "2026-12-12T10:00:00+01:00" in (events_build.site / "daten/termine.csv").read_text(encoding="utf-8")


def test_the_same_sources_and_epoch_give_the_same_calendar(events_build: Build, tmp_path: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(events_build.root, root, ignore=shutil.ignore_patterns("site"))
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        again = build_site(root)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    for name in ("termine.ics", "termine/treffen.ics", "termine/index.html"):
        assert (again.site / name).read_bytes() == (events_build.site / name).read_bytes(), name


# ---------------------------------------------------------------- contributors

def test_the_checker_explains_a_broken_event_in_german(site_copy: Path) -> None:
    with_events(site_copy, kaputt=BROKEN)
    result = run(site_copy, "check")
    assert result.returncode == 1
    out = result.stdout
    path = "docs/termine/kaputt.md"
    assert f"{path}:5: end: Das Ende (2026-12-12 10:00:00+01:00) liegt vor dem Beginn (2026-12-12 18:00:00+01:00)." in out
    assert f"{path}:7: registration: Die Adresse beginnt mit http://, erlaubt ist nur das verschlüsselte https://." in out
    assert f"{path}:8: format: 'Party' steht nicht im Vokabular (Formate)." in out  # a warning: formats grow with the community
    assert f"{path}:9: organisations: Eine Organisation 'alpha-verien' gibt es nicht. (Hinweis: Meintet ihr 'alpha-verein'?)" in out


def test_a_site_without_events_is_unchanged_and_casebook_new_starts_them(site_copy: Path) -> None:
    assert not (site_copy / "docs/termine").exists() and run(site_copy, "check").returncode == 0
    result = run(site_copy, "new", "termin", "--title", "Erstes Treffen", "--summary", "Wir treffen uns.", "--start", "2027-03-04 18:00",
                 "--place", "Leipzig", "--format", "Workshop", "--organisation", "alpha-verein", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ordner docs/termine angelegt" in result.stdout and "tragt dort termine/index.md und formate/index.md ein" in result.stdout
    front = yaml.safe_load((site_copy / "docs/termine/erstes-treffen.md").read_text(encoding="utf-8").split("---\n")[1])
    assert front["start"] == datetime.datetime(2027, 3, 4, 18, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert run(site_copy, "check").returncode == 0
    past = run(site_copy, "new", "termin", "--title", "Altes Treffen", "--summary", "War schon.", "--start", "2025-03-04",
               "--place", "Leipzig", "--format", "Workshop", "--organisation", "alpha-verein", "--yes")
    assert past.returncode == 0  # a warning: the file is written, the contributor is asked to look again
    assert "Warnung: docs/termine/altes-treffen.md:5: start: Der Termin ist schon vorbei (04.03.2025). (Hinweis: Stimmt das Jahr?" in past.stdout


def test_the_issue_form_becomes_an_event_file(site_copy: Path) -> None:
    with_events(site_copy)
    body = issue_body({"Titel des Termins": "Treffen aus dem Formular", "Kurzbeschreibung": "Wir treffen uns.", "Beginn": "2027-02-01 18:00",
                       "Ort": "online", "Online-Raum": "https://example.org/raum", "Format": "Webinar",
                       "Veranstaltende Organisationen": "- alpha-verein"})
    result = run(site_copy, "from-issue", "--kind", "termin", "--date", "2027-01-10", "-", stdin=body)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "docs/termine/treffen-aus-dem-formular.md\n"
    assert run(site_copy, "check").returncode == 0


@pytest.mark.browser
def test_an_event_that_passed_since_the_build_moves_out_of_upcoming_in_the_browser(tmp_path: Path, new_page) -> None:
    """Built on 2025-11-01, the workshop of 2025-11-20 was upcoming; a reader today sees it under "Inzwischen vorbei"."""
    root = with_events(shutil.copytree(FIXTURE_SITE, tmp_path / "site-src"), treffen=MEETING.replace("2026-12-12", "2099-12-12"), workshop=WORKSHOP)
    os.environ["SOURCE_DATE_EPOCH"] = "1761955200"
    try:
        build = build_site(root)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert build.returncode == 0, build.output
    assert build.html("termine/").count("data-ends=") == 2  # both upcoming when built
    with serve_directory(build.site) as base:
        page = new_page()
        page.goto(base + "termine/")
        upcoming = page.locator("[data-casebook-upcoming] li").all_inner_texts()
        passed = page.locator("[data-casebook-passed]")
        assert passed.is_visible() and "Workshop Test" in passed.inner_text()
        assert len(upcoming) == 1 and "Vernetzungstreffen Test" in upcoming[0]


def test_profiles_suggest_upcoming_events_they_do_not_host_and_say_why(events_build: Build) -> None:
    def fitting(slug: str) -> str:
        page = events_build.html(f"organisations/{slug}/")
        return page.split('id="passende-termine"', 1)[1].split("<h2", 1)[0] if 'id="passende-termine"' in page else ""

    sections = {slug: fitting(slug) for slug in ("alpha-verein", "beta-netzwerk", "gamma-hilfe", "delta-kreis")}
    # The consultation (CiviCRM, hosted by gamma) fits alpha and beta, who use CiviCRM; its host is not told about it.
    for slug in ("alpha-verein", "beta-netzwerk"):
        assert "Sprechstunde Test" in sections[slug] and "Gemeinsam: Software" in sections[slug] and "Mittwoch, 13. Januar 2027" in sections[slug]
        assert "Vernetzungstreffen Test" not in sections[slug]  # they host that one
    assert "Sprechstunde Test" not in sections["gamma-hilfe"]
    assert sections["delta-kreis"] == ""  # shares nothing with any upcoming event: no section at all
    assert not any("Workshop Test" in section for section in sections.values())  # past events are not suggested


def test_formats_are_the_events_own_vocabulary_with_pages_and_calendars(events_build: Build, site_copy: Path) -> None:
    page = events_build.html("formate/vernetzungstreffen/")
    assert "Vernetzungstreffen Test" in page and 'href="../../formate/vernetzungstreffen.ics" download>' in page
    calendar = icalendar.Calendar.from_ical((events_build.site / "formate/sprechstunde.ics").read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Sprechstunde Test (fiktiv)"]
    # Only events carry formats: not in the profiles' schema, form or table, and a site without events has no format pages.
    organisation = json.loads(run(site_copy, "schema", "organisation").stdout)
    assert "format" not in organisation["properties"]
    assert "format" not in (events_build.site / "daten/organisationen.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert not (build_site(site_copy).site / "formate").exists()
