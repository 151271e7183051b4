import pytest

from plans.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db


def test_officers_see_only_their_own_agency_milestones(agency, other_agency, officer_user, viewer_user):
    own = factories.MilestoneFactory(agency=agency)
    other = factories.MilestoneFactory(agency=other_agency)
    assert list(Milestone.objects.visible_to(officer_user)) == [own]
    assert set(Milestone.objects.visible_to(viewer_user)) == {own, other}
    assert officer_user.has_perm("plans.view_milestone", own)
    assert not officer_user.has_perm("plans.view_milestone", other)
    assert officer_user.has_perm("plans.report_milestone", own)
    assert not officer_user.has_perm("plans.report_milestone", other)


def test_read_only_roles_change_nothing(evaluator_user, viewer_user, director_user, agency):
    milestone = factories.MilestoneFactory(agency=agency)
    for user in (evaluator_user, viewer_user):
        assert user.has_perm("plans.view_milestone", milestone)
        assert not user.has_perm("plans.report_milestone", milestone)
        assert not user.has_perm("plans.change_milestone")
    assert director_user.has_perm("plans.change_milestone")
    assert director_user.has_perm("plans.report_milestone", milestone)


def test_nobody_without_a_role_sees_anything(agency):
    factories.MilestoneFactory(agency=agency)
    stranger = factories.UserFactory()
    assert not Milestone.objects.visible_to(stranger).exists()


def test_director_reviews_reports_but_not_their_own(director_user):
    theirs = factories.ProgressUpdateFactory(author=director_user)
    others = factories.ProgressUpdateFactory()
    assert director_user.has_perm("plans.review_progressupdate", others)
    assert not director_user.has_perm("plans.review_progressupdate", theirs)


def test_only_the_director_general_gets_the_admin(director_user, officer_user, evaluator_user):
    assert director_user.is_staff
    assert not officer_user.is_staff
    assert not evaluator_user.is_staff
