"""The units a unit took over, through chains of reorganisations (pure)."""

import datetime as dt

from django.test import SimpleTestCase

from daotao.lib.succession import inherited_paths

D = dt.date
JULY_2025, JAN_2027 = D(2025, 7, 1), D(2027, 1, 1)


class InheritedPathsTests(SimpleTestCase):
    def test_a_merger_and_a_split(self):
        links = [("/1/2/", "/1/5/", JULY_2025), ("/1/3/", "/1/5/", JULY_2025), ("/1/4/", "/1/6/", JULY_2025),
                 ("/1/4/", "/1/7/", JULY_2025)]  # fmt: skip
        self.assertEqual(inherited_paths("/1/5/", links), {"/1/2/": JULY_2025, "/1/3/": JULY_2025})
        self.assertEqual(inherited_paths("/1/6/", links), {"/1/4/": JULY_2025})
        self.assertEqual(inherited_paths("/1/7/", links), {"/1/4/": JULY_2025})
        self.assertEqual(inherited_paths("/1/8/", links), {})

    def test_a_chain_takes_effect_on_its_latest_day(self):
        links = [("/1/2/", "/1/5/", JULY_2025), ("/1/5/", "/1/9/", JAN_2027)]
        self.assertEqual(inherited_paths("/1/9/", links), {"/1/5/": JAN_2027, "/1/2/": JAN_2027})

    def test_two_ways_to_one_predecessor_keep_the_earlier_day(self):
        links = [("/1/2/", "/1/5/", JULY_2025), ("/1/5/", "/1/9/", JAN_2027), ("/1/2/", "/1/9/", JULY_2025)]
        self.assertEqual(inherited_paths("/1/9/", links)["/1/2/"], JULY_2025)

    def test_a_successor_below_the_unit_and_a_predecessor_below_another(self):
        # A province (/1/) whose commune /1/5/ took over a district of a merged province
        # (/20/3/), and which took over that province itself (/20/) the same day.
        links = [("/20/3/", "/1/5/", JULY_2025), ("/20/", "/1/", JULY_2025), ("/1/2/", "/1/5/", JULY_2025)]
        self.assertEqual(inherited_paths("/1/", links), {"/20/": JULY_2025})
        self.assertEqual(inherited_paths("/1/5/", links), {"/20/3/": JULY_2025, "/1/2/": JULY_2025})

    def test_what_a_predecessor_had_taken_over_passes_on(self):
        links = [("/1/2/", "/1/3/4/", D(2020, 1, 1)), ("/1/3/", "/1/9/", JULY_2025)]
        self.assertEqual(inherited_paths("/1/9/", links), {"/1/3/": JULY_2025, "/1/2/": JULY_2025})

    def test_a_cycle_ends(self):
        links = [("/1/2/", "/1/3/", JULY_2025), ("/1/3/", "/1/2/", JAN_2027)]
        self.assertEqual(inherited_paths("/1/3/", links), {"/1/2/": JULY_2025})
