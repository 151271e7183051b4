"""Load the demo: the province's counties and agencies, the 1405 plan and its people.

Idempotent: what exists is left as it is, so running it twice changes nothing.
Refused wherever settings.DEMO_SEED_ALLOWED is off (production).
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agencies import demo as agency_demo
from agencies.models import Agency, County, Membership
from agencies.services import grant_role
from evaluations import demo as evaluation_demo
from monitoring import demo as monitoring_demo
from notifications import demo as notification_demo
from persian.jalali import to_persian_digits, year_bounds
from plans import demo as plan_demo
from plans.models import Goal, Milestone, ProgressUpdate, Status, StrategicPlan
from publishing import demo as publishing_demo

PLAN_YEAR = 1405
PLAN_TITLE = "برنامه راهبردی روابط عمومی استان کهگیلویه و بویراحمد ۱۴۰۵"

Role = Membership.Role
User = get_user_model()


class Command(BaseCommand):
    help = "Load the demo data (counties, agencies, the 1405 plan, demo users). Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError("The demo data is not loaded in this environment (DEMO_SEED_ALLOWED is off).")
        if not settings.DEMO_PASSWORD:
            raise CommandError("Set DEMO_PASSWORD to the password the demo users should have.")
        # One hash for every demo user: hashing is deliberately slow, and they share the password.
        self.password_hash = make_password(settings.DEMO_PASSWORD)
        with transaction.atomic():
            agencies = self.seed_agencies()
            users = self.seed_users(agencies)
            plan, created = self.seed_plan(agencies, users)
            # Website check history first: the evaluation's locked rounds keep the measured values they see.
            monitoring_demo.seed(stdout=self.stdout)
            evaluation_demo.seed(stdout=self.stdout)
            notification_demo.seed(stdout=self.stdout)
            publishing_demo.seed(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {County.objects.count()} counties, {Agency.objects.count()} agencies, "
                f"plan «{plan.title}» with {plan.goals.count()} goals and "
                f"{Milestone.objects.in_plan(plan).count()} milestones"
                + ("" if created else " (already there, left unchanged)")
            )
        )

    def seed_agencies(self):
        counties = {name: County.objects.get_or_create(name=name)[0] for name in agency_demo.COUNTIES}
        agencies = []
        for code, name, county, category, website in agency_demo.AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                code=code,
                defaults={"name": name, "county": counties[county], "category": category, "website": website},
            )
            agencies.append(agency)
        return agencies

    def seed_users(self, agencies):
        users = {
            "director": self.user(
                "director", "مدیرکل", "روابط عمومی استانداری", Role.DIRECTOR, title="مدیرکل روابط عمومی"
            ),
            "secretariat": self.user("secretariat", "دبیرخانه", "شورای روابط عمومی", Role.DIRECTOR, title="دبیر شورا"),
            "evaluator": self.user("evaluator", "عضو", "کمیته ارزیابی", Role.EVALUATOR, title="عضو شورا"),
            "evaluator2": self.user("evaluator2", "عضو دوم", "کمیته ارزیابی", Role.EVALUATOR, title="عضو شورا"),
            "viewer": self.user("viewer", "ناظر", "استانداری", Role.VIEWER),
        }
        for agency in agencies:
            users[agency.code] = self.user(
                f"officer-{agency.code}",
                "مسئول روابط عمومی",
                agency.name,
                Role.OFFICER,
                agency=agency,
                title="مسئول روابط عمومی",
            )
        return users

    def user(self, username, first_name, last_name, role, agency=None, title=""):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name[:150], "password": self.password_hash},
        )
        if created:
            grant_role(user=user, role=role, agency=agency, title=title)
        return user

    def seed_plan(self, agencies, users):
        existing = StrategicPlan.objects.filter(year=PLAN_YEAR, title=PLAN_TITLE).first()
        if existing is not None:
            return existing, False
        rng = random.Random(PLAN_YEAR)
        today = timezone.localdate()
        year_start, year_end = year_bounds(PLAN_YEAR)
        StrategicPlan.objects.filter(status=StrategicPlan.Status.ACTIVE).update(status=StrategicPlan.Status.ARCHIVED)
        plan = StrategicPlan.objects.create(
            title=PLAN_TITLE,
            year=PLAN_YEAR,
            status=StrategicPlan.Status.ACTIVE,
            is_public=True,  # the council publishes its progress (off by default on a new plan)
            description=(
                "برنامه راهبردی روابط عمومی استانداری در ۲۰ عنوان، برای برنامه‌محور شدن روابط عمومی "
                "دستگاه‌های اجرایی استان؛ عملکرد دستگاه‌ها هر سه ماه یک‌بار ارزیابی می‌شود."
            ),
        )
        director = users["director"]
        for number, (title, weight, steps) in enumerate(plan_demo.GOALS, start=1):
            goal = Goal.objects.create(
                plan=plan,
                number=number,
                title=title,
                weight=weight,
                owner=agencies[0],
                description=f"هدف {to_persian_digits(number)} برنامه راهبردی: {title}.",
            )
            for agency in rng.sample(agencies, rng.randint(4, 8)):
                step = rng.choice(steps)
                milestone = self.milestone(rng, goal, agency, step, today, year_start, year_end)
                self.history(rng, milestone, users[agency.code], director, today)
        return plan, True

    def milestone(self, rng, goal, agency, title, today, year_start, year_end):
        span = (year_end - year_start).days
        start = year_start + datetime.timedelta(days=rng.randint(0, span * 2 // 3))
        due = min(start + datetime.timedelta(days=rng.randint(30, 150)), year_end)
        roll = rng.random()
        if roll < 0.03:
            status, progress = Status.CANCELLED, rng.choice([0, 10, 20])
        elif start > today:
            status, progress = Status.NOT_STARTED, 0
        elif due < today:
            status, progress = (
                (Status.DONE, 100)
                if roll < 0.7
                else (Status.DELAYED, rng.randrange(20, 90, 5))
                if roll < 0.9
                else (Status.IN_PROGRESS, rng.randrange(50, 95, 5))
            )
        else:
            elapsed = (today - start).days / max((due - start).days, 1)
            progress = max(5, min(95, int(elapsed * 100) + rng.randrange(-20, 15, 5)))
            progress -= progress % 5
            status = Status.DELAYED if roll > 0.88 else Status.IN_PROGRESS
        return Milestone.objects.create(
            goal=goal,
            agency=agency,
            title=title,
            start_date=start,
            due_date=due,
            weight=rng.choice([1, 1, 2, 3]),
            status=status,
            progress=progress,
            target=rng.choice(["", "۱ گزارش", "۴ خبر در ماه", "۲ جلسه", "۱۰۰٪ پوشش"]),
        )

    def history(self, rng, milestone, officer, director, today):
        """Reports over the past quarters that climb to the milestone's current state."""
        if milestone.status == Status.NOT_STARTED:
            return
        first = milestone.start_date
        last = min(today, milestone.due_date + datetime.timedelta(days=rng.randint(0, 10)))
        if last <= first:
            return
        count = rng.randint(1, 4)
        days = sorted({rng.randint(0, (last - first).days) for _ in range(count)})
        updates = []
        for index, offset in enumerate(days):
            final = index == len(days) - 1
            reported_on = first + datetime.timedelta(days=offset)
            if final:
                status, progress = milestone.status, milestone.progress
            else:
                progress = max(5, milestone.progress * (index + 1) // (len(days) + 1) // 5 * 5)
                status = Status.IN_PROGRESS
            note = rng.choice(
                plan_demo.DONE_NOTES
                if status == Status.DONE
                else plan_demo.DELAY_NOTES
                if status == Status.DELAYED
                else plan_demo.PROGRESS_NOTES
            )
            created_at = timezone.make_aware(
                datetime.datetime.combine(reported_on, datetime.time(rng.randint(8, 14), rng.choice([0, 15, 30, 45])))
            )
            update = ProgressUpdate(
                milestone=milestone,
                status=status,
                progress=progress,
                note=note,
                author=officer,
                created_at=created_at,
            )
            review_roll = rng.random()
            if not final or review_roll < 0.6:
                update.review_state = ProgressUpdate.ReviewState.ACCEPTED
            elif review_roll < 0.68:
                update.review_state = ProgressUpdate.ReviewState.RETURNED
                update.review_reason = rng.choice(plan_demo.RETURN_REASONS)
            if update.review_state != ProgressUpdate.ReviewState.SUBMITTED:
                update.reviewed_by = director
                update.reviewed_at = min(created_at + datetime.timedelta(days=rng.randint(1, 4)), timezone.now())
            updates.append(update)
        ProgressUpdate.objects.bulk_create(updates)
