"""factory_boy factories for the domain; every test builds its data through these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from agencies.models import Agency, County, Membership
from agencies.services import grant_role
from plans.models import Goal, Milestone, ProgressUpdate, Status, StrategicPlan


class CountyFactory(DjangoModelFactory[County]):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"شهرستان {n}")


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"دستگاه {n}")
    code = factory.Sequence(lambda n: f"agency-{n}")
    county = factory.SubFactory(CountyFactory)
    category = Agency.Category.SERVICES


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    first_name = "کاربر"
    password = factory.django.Password("pass-1405")

    @classmethod
    def with_role(cls, role, agency=None, **kwargs):
        user = cls(**kwargs)
        grant_role(user=user, role=role, agency=agency)
        user.refresh_from_db()
        return user


def director(**kwargs):
    return UserFactory.with_role(Membership.Role.DIRECTOR, **kwargs)


def officer(agency, **kwargs):
    return UserFactory.with_role(Membership.Role.OFFICER, agency=agency, **kwargs)


def evaluator(**kwargs):
    return UserFactory.with_role(Membership.Role.EVALUATOR, **kwargs)


def viewer(**kwargs):
    return UserFactory.with_role(Membership.Role.VIEWER, **kwargs)


class StrategicPlanFactory(DjangoModelFactory[StrategicPlan]):
    class Meta:
        model = StrategicPlan

    title = factory.Sequence(lambda n: f"برنامه راهبردی {n}")
    year = 1405
    status = StrategicPlan.Status.DRAFT


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    plan = factory.SubFactory(StrategicPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"هدف {n}")
    weight = 1


class MilestoneFactory(DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    goal = factory.SubFactory(GoalFactory)
    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"گام اجرایی {n}")
    start_date = datetime.date(2026, 3, 21)
    due_date = datetime.date(2026, 9, 22)
    weight = 1
    status = Status.IN_PROGRESS
    progress = 40


class ProgressUpdateFactory(DjangoModelFactory[ProgressUpdate]):
    class Meta:
        model = ProgressUpdate

    milestone = factory.SubFactory(MilestoneFactory)
    status = Status.IN_PROGRESS
    progress = 50
    note = "گزارش پیشرفت"
    author = factory.SubFactory(UserFactory)


# --- quarterly evaluation -------------------------------------------------------------
from evaluations.models import Criterion, SubCriterion  # noqa: E402


class CriterionFactory(DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    name = factory.Sequence(lambda n: f"شاخص {n}")
    weight = 10
    order = factory.Sequence(lambda n: n)


class SubCriterionFactory(DjangoModelFactory[SubCriterion]):
    class Meta:
        model = SubCriterion

    criterion = factory.SubFactory(CriterionFactory)
    name = factory.Sequence(lambda n: f"زیرشاخص {n}")
    weight = 1
    min_score = 1
    max_score = 5
    order = factory.Sequence(lambda n: n)


# --- officer reporting (issue 3): tiny but real evidence files -----------------------------
def tiny_pdf():
    """A one-page PDF that readers open (and that magic-byte detection calls a PDF)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def tiny_png():
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + (chunk(b"IEND", b""))
    )


def tiny_office(kind="docx", extra=()):
    """A minimal docx or xlsx (a zip with its content types and main part); `extra` adds members."""
    import io
    import zipfile

    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main, '<?xml version="1.0"?><document/>')
        for name in extra:
            archive.writestr(name, b"x")
    return buffer.getvalue()
