"""Working days: Fridays and the official holidays (the Holiday table) are days off.

days = WorkingDays.load()
days.add(due, -3)        # three working days before `due`
days.on_or_before(due)   # `due`, or the last working day before it if it is a day off
"""

import datetime

ONE_DAY = datetime.timedelta(days=1)
FRIDAY = 4  # date.weekday()


class WorkingDays:
    def __init__(self, holidays=()):
        self.holidays = frozenset(holidays)

    @classmethod
    def load(cls):
        """Every holiday in the table (a few dozen rows a year): one query."""
        from .models import Holiday

        return cls(Holiday.objects.values_list("date", flat=True))

    def is_working(self, day):
        return day.weekday() != FRIDAY and day not in self.holidays

    def next(self, day):
        """The first working day after `day`."""
        day += ONE_DAY
        while not self.is_working(day):
            day += ONE_DAY
        return day

    def previous(self, day):
        """The last working day before `day`."""
        day -= ONE_DAY
        while not self.is_working(day):
            day -= ONE_DAY
        return day

    def add(self, day, count):
        """Step `count` working days forward (or back, if negative) from `day`, which may be a day off."""
        step = self.next if count > 0 else self.previous
        for _ in range(abs(count)):
            day = step(day)
        return day

    def on_or_before(self, day):
        return day if self.is_working(day) else self.previous(day)

    def between(self, first, last):
        """How many working days lie in (first, last]."""
        count, day = 0, first
        while day < last:
            day += ONE_DAY
            count += self.is_working(day)
        return count


class Ladder:
    """When a milestone due on a date is chased, with N working days' notice and every M working days after.

    - "before": N working days before the due date;
    - "due": on the due date, or the last working day before it when it is a day off;
    - "after": every M working days after the due date (M, 2M, ... working days later).
    Reminders go out on working days only.
    """

    BEFORE, DUE, AFTER = "before", "due", "after"

    def __init__(self, days, *, before, every):
        if before < 1 or every < 1:
            raise ValueError("The reminder ladder needs N ≥ 1 and M ≥ 1 working days.")
        self.days, self.before, self.every = days, before, every

    def window_start(self, due):
        """The first reminder day: a report made on or after it ends the chase."""
        return self.days.add(due, -self.before)

    def reminder_days(self, due, until):
        """[(day, kind)] on which a milestone due on `due` is reminded, up to `until` (for docs and tests)."""
        found = [(self.window_start(due), self.BEFORE), (self.days.on_or_before(due), self.DUE)]
        day = self.days.add(due, self.every)
        while day <= until:
            found.append((day, self.AFTER))
            day = self.days.add(day, self.every)
        merged = {}
        for day, kind in found:
            # With N = 1 and a due date on a day off, "before" and "due" fall on one day: it is the due reminder.
            if day <= until and (day not in merged or kind == self.DUE):
                merged[day] = kind
        return sorted(merged.items())

    def due_dates_for(self, today, earliest):
        """{due date: kind} for the due dates from `earliest` on whose milestones are reminded on `today`.

        The inverse of reminder_days, in one pass over the dates; nothing when today is a day off.
        """
        if not self.days.is_working(today):
            return {}
        first, last = min(earliest, today), self.days.add(today, self.before)
        # For each past date d: how many working days lie in (d, today]; today is the k-th working
        # day after d exactly when k is that count.
        working_after, count, day = {}, 0, today
        while day > first:
            count += self.days.is_working(day)
            day -= ONE_DAY
            working_after[day] = count
        found = {}
        day = first
        while day <= last:
            if day < today:
                count = working_after[day]
                if count >= self.every and count % self.every == 0:
                    found[day] = self.AFTER
            elif self.days.on_or_before(day) == today:
                found[day] = self.DUE
            elif self.window_start(day) == today:
                found[day] = self.BEFORE
            day += ONE_DAY
        return found
