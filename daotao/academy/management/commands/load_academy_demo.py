"""``load_academy_demo``: the Academy's people and, beside the demo school whose packages
``scripts/academy_demo.py`` imports, three synthetic schools with a package per calendar
year (``make run-academy``). Run again, it replaces the synthetic schools' packages."""

from __future__ import annotations

import random

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from daotao.academy import synthetic
from daotao.academy.importing import package_import
from daotao.academy.models import RegisteredSchool
from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.lib import signing

PASSWORD = "daotao-demo-2020"
# The Academy's own people: its training office and its board.
PEOPLE = [
    ("vien.daotao", roles.TRAINING_OFFICE, "Minh", "Trần Quang"),
    ("vien.lanhdao", roles.SCHOOL_BOARD, "Hòa", "Phạm Thị"),
]
# The shipped programs, as the schools name them.
PROGRAMS = {
    "TC-LLCT-HC": ("Trung cấp lý luận chính trị - hành chính", synthetic.TRAINING),
    "BD-CV": ("Bồi dưỡng ngạch chuyên viên", synthetic.FOSTERING),
    "BD-CVC": ("Bồi dưỡng ngạch chuyên viên chính", synthetic.FOSTERING),
    "BD-LDP": ("Bồi dưỡng lãnh đạo cấp phòng", synthetic.FOSTERING),
    "BD-BTX": ("Bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", synthetic.FOSTERING),
}
SCHOOLS = [
    ("BP", "Trường Chính trị tỉnh Bình Phước", "Bình Phước", 24),
    ("DN", "Trường Chính trị tỉnh Đồng Nai", "Đồng Nai", 40),
    ("TN", "Trường Chính trị tỉnh Tây Ninh", "Tây Ninh", 30),
]
YEARS = range(2016, 2027)


class Command(BaseCommand):
    help = _("The Academy's demo: its office and board, and three synthetic schools with a package per year.")

    def handle(self, *args, **options):
        if settings.DAOTAO_ROLE != "academy":
            raise CommandError(_("This is a school's installation: set DAOTAO_ROLE=academy."))
        with transaction.atomic():
            for username, role, first, last in PEOPLE:
                user = User.objects.filter(username=username).first() or User(username=username)
                user.first_name, user.last_name = first, last
                user.set_password(PASSWORD)
                user.save()
                user.groups.set([Group.objects.get_or_create(name=role)[0]])
        rng = random.Random(2026)
        localities = synthetic.realistic_localities(24)
        imported = 0
        for code, name, province, classes in SCHOOLS:
            key = signing.new_private_key()
            school = RegisteredSchool.objects.filter(code=code).first() or RegisteredSchool(code=code)
            school.name, school.province, school.public_key = name, province, signing.public_key_text(key)
            school.full_clean()
            school.save()
            for year in YEARS:
                document = synthetic.realistic_year(
                    key, rng, name=name, province=province, year_number=year, programs=PROGRAMS,
                    localities=localities, classes_per_year=classes,
                )  # fmt: skip
                package_import(synthetic.file_bytes(document))
                imported += 1
        self.stdout.write(
            _(
                "The Academy's demo: %(schools)s synthetic schools, %(packages)s packages; "
                "sign in as %(people)s (password %(password)s)."
            )
            % {
                "schools": len(SCHOOLS),
                "packages": imported,
                "people": ", ".join(username for username, *_rest in PEOPLE),
                "password": PASSWORD,
            }
        )
