import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from daotao.cohorts.models import Cohort
from daotao.demo import synthetic


class Command(BaseCommand):
    help = _(
        "Fill the current database with a large synthetic province for benchmarks "
        "(about 60 localities, 15.000 classes, 1.000.000 enrollments by default)."
    )

    def add_arguments(self, parser):
        defaults = synthetic.Parameters()
        parser.add_argument("--enrollments", type=int, default=defaults.enrollments)
        parser.add_argument("--cohorts", type=int, default=defaults.cohorts, help=_("Number of classes."))
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--first-year", type=int, default=defaults.first_year)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Add the synthetic province even though the database already holds classes (nothing is deleted)."),
        )

    def handle(self, *args, **options):
        try:
            params = synthetic.Parameters(
                enrollments=options["enrollments"],
                cohorts=options["cohorts"],
                years=options["years"],
                first_year=options["first_year"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        existing = Cohort.objects.count()
        if existing and not options["force"]:
            raise CommandError(
                _(
                    "The database already holds %(count)s classes; gen_synthetic is meant for an empty database. "
                    "Pass --force to add a synthetic province next to them (nothing is deleted)."
                )
                % {"count": existing}
            )
        settings = connection.settings_dict
        self.stdout.write(
            _("Generating into %(vendor)s database %(name)s ...")
            % {"vendor": connection.vendor, "name": settings["NAME"]}
        )
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.perf_counter() - started:6.1f} s] {message}")

        totals = synthetic.generate(params, progress)
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(totals.enrollment_statuses.items()))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Done in %(seconds)s s: %(cohorts)s classes (%(cancelled)s cancelled), %(students)s students, "
                    "%(enrollments)s enrollments (%(statuses)s), %(quotas)s quotas in %(plans)s yearly plans."
                )
                % {
                    "seconds": f"{totals.seconds['total']:.1f}",
                    "cohorts": totals.cohorts,
                    "cancelled": totals.cancelled_cohorts,
                    "students": totals.students,
                    "enrollments": totals.enrollments,
                    "statuses": statuses,
                    "quotas": totals.quotas,
                    "plans": totals.plans,
                }
            )
        )
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in totals.seconds.items() if stage != "total")
        self.stdout.write(_("Time by stage: %(stages)s.") % {"stages": stages})
