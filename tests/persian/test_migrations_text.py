"""The data migrations pass stored names, titles and notes through THE normaliser (persian.migrations_text)."""

import importlib

import pytest
from django.apps import apps as real_apps

from agencies.models import Agency, County
from persian.migrations_text import normalize_stored_text
from tests import factories


@pytest.mark.django_db
def test_stored_names_are_normalised_and_others_left_alone():
    arabic = factories.AgencyFactory(code="lib", name="كتابخانه‌هاي عمومي ")
    clean = factories.AgencyFactory(code="gas", name="شرکت گاز")
    assert normalize_stored_text(Agency, ["name"]) == 1
    arabic.refresh_from_db()
    clean.refresh_from_db()
    assert arabic.name == "کتابخانه‌های عمومی"
    assert clean.name == "شرکت گاز"
    assert normalize_stored_text(Agency, ["name"]) == 0  # once is enough


@pytest.mark.django_db
def test_a_name_that_would_collide_is_left_as_it_was():
    County.objects.create(name="یاسوج")
    old = County.objects.create(name="ياسوج")
    assert normalize_stored_text(County, ["name"]) == 0
    old.refresh_from_db()
    assert old.name == "ياسوج"


@pytest.mark.django_db
def test_the_plans_migration_normalises_titles_and_notes(agency):
    milestone = factories.MilestoneFactory(agency=agency, title="برگزاري  نشست\u200f ")
    update = factories.ProgressUpdateFactory(milestone=milestone, note="سطر يک \r\nسطر دو\r\n")
    migration = importlib.import_module("plans.migrations.0004_normalize_stored_text")
    migration.normalize(real_apps, None)
    milestone.refresh_from_db()
    update.refresh_from_db()
    assert milestone.title == "برگزاری  نشست"
    assert update.note == "سطر یک\nسطر دو"
