import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase

from daotao.org.models import Succession, Unit, UnitKind, ancestor_paths
from daotao.testing import WorldTestCase, make_unit


class AncestorPathsTests(SimpleTestCase):
    def test_the_unit_first_then_every_unit_above_it(self):
        """Quota progress takes the deepest line with a quota, the quota report counts every
        line above a class: both walk the same list (they had one each, in opposite orders)."""
        self.assertEqual(ancestor_paths("/1/4/12/"), ["/1/4/12/", "/1/4/", "/1/"])
        self.assertEqual(ancestor_paths("/1/"), ["/1/"])


class UnitTreeTests(WorldTestCase):
    def test_paths_follow_the_tree(self):
        self.assertEqual(self.x01.path, f"{self.province.path}{self.h01.pk}/{self.x01.pk}/")
        self.assertEqual(set(Unit.objects.subtree(self.h01)), {self.h01, self.x01})
        self.assertTrue(self.h01.contains(self.x01))
        self.assertFalse(self.x01.contains(self.h01))

    def test_moving_a_unit_rewrites_the_subtree(self):
        leaf = make_unit("T1", "Tổ dân phố 1", UnitKind.OTHER, self.x01)
        self.x01.parent = self.h02
        self.x01.save()
        leaf.refresh_from_db()
        self.assertEqual(set(Unit.objects.subtree(self.h02)), {self.h02, self.x01, leaf})
        self.assertEqual(set(Unit.objects.subtree(self.h01)), {self.h01})

    def test_a_unit_cannot_go_below_itself(self):
        self.h01.parent = self.x01
        with self.assertRaises(ValidationError):
            self.h01.full_clean()

    def test_validity_dates_keep_2020_districts_and_2025_communes_true(self):
        self.h01.valid_to = dt.date(2025, 6, 30)
        self.h01.save()
        commune = make_unit("X99", "Phường Bình An", UnitKind.COMMUNE, self.province, valid_from=dt.date(2025, 7, 1))
        Succession.objects.create(predecessor=self.h01, successor=commune, effective_date=dt.date(2025, 7, 1))
        in_2020 = set(Unit.objects.localities().valid_on(dt.date(2020, 6, 1)))
        in_2026 = set(Unit.objects.localities().valid_on(dt.date(2026, 1, 1)))
        self.assertIn(self.h01, in_2020)
        self.assertNotIn(commune, in_2020)
        self.assertIn(commune, in_2026)
        self.assertNotIn(self.h01, in_2026)
        self.assertEqual(list(commune.predecessors.all()), [self.h01])
        self.assertIn(self.h01, Unit.objects.valid_during(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))

    def test_database_refuses_an_end_before_the_start(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_unit("BAD", "Sai", UnitKind.OTHER, valid_from=dt.date(2020, 1, 2), valid_to=dt.date(2020, 1, 1))
