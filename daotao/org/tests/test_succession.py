"""Successions: many to many, with a day, checked in the database and by ``clean``."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from daotao.org.models import Succession, SuccessionKind, UnitKind
from daotao.testing import WorldTestCase, make_unit

END, START = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


class SuccessionTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district = make_unit("HS", "Huyện Sông", UnitKind.DISTRICT, cls.province, valid_to=END)
        cls.xa = make_unit("XA", "Xã Sông A", UnitKind.COMMUNE, cls.province, valid_from=START)
        cls.xb = make_unit("XB", "Xã Sông B", UnitKind.COMMUNE, cls.province, valid_from=START)

    def succession(self, **fields):
        values = {"predecessor": self.district, "successor": self.xa, "effective_date": START, **fields}
        return Succession(**values)

    def test_a_split_into_several_successors(self):
        for commune in (self.xa, self.xb):
            self.succession(successor=commune, kind=SuccessionKind.SPLIT, territory=f"Phần {commune.code}").save()
        self.assertEqual(set(self.district.successors.all()), {self.xa, self.xb})
        self.assertEqual(list(self.xa.predecessors.all()), [self.district])

    def test_one_row_per_pair_and_never_its_own_successor(self):
        self.succession().save()
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.succession(effective_date=dt.date(2025, 8, 1)).save()
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.succession(successor=self.district).save()

    def test_clean_names_what_is_wrong(self):
        cases = [
            ({"kind": SuccessionKind.SPLIT}, "territory"),
            ({"effective_date": dt.date(2025, 6, 1)}, "effective_date"),  # before Xã Sông A exists
            ({"successor": self.district}, "successor"),
        ]
        for fields, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.succession(**fields).full_clean()
            self.assertIn(field, caught.exception.message_dict)
        self.succession().save()
        with self.assertRaises(ValidationError) as caught:
            Succession(predecessor=self.xa, successor=self.district, effective_date=START).full_clean()
        self.assertIn("successor", caught.exception.message_dict)

    def test_the_unit_admin_page_edits_successions_inline(self):
        self.succession(kind=SuccessionKind.SPLIT, territory="Thị trấn Sông").save()
        self.client.force_login(self.superuser)
        response = self.client.get(reverse("admin:org_unit_change", args=[self.district.pk]))
        self.assertContains(response, "Thị trấn Sông")
        response = self.client.get(reverse("admin:org_unit_changelist"))
        self.assertContains(response, "Xã Sông A")
