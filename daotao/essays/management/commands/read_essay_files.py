from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.essays.models import Essay
from daotao.essays.services import essay_file_text, essays_check_similarity_all


class Command(BaseCommand):
    help = (
        "Read the text of the essay files handed in before files were read (or of every file with --again), "
        "then recompute the near-duplicate flags."
    )

    def add_arguments(self, parser):
        parser.add_argument("--again", action="store_true", help="Read every essay file again.")

    def handle(self, *args, again=False, **options):
        essays = Essay.objects.exclude(file="").order_by("pk")
        if not again:
            essays = essays.filter(file_read=False)
        read = refused = 0
        for essay in essays.only("pk", "file").iterator():
            try:
                with essay.file.open("rb") as file:
                    text = essay_file_text(file)
            except (ValidationError, OSError) as error:
                refused += 1
                problem = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.stderr.write(_("Essay %(id)s: %(problem)s") % {"id": essay.pk, "problem": problem})
                continue
            Essay.objects.filter(pk=essay.pk).update(file_text=text, file_read=True)
            read += 1
        flagged = essays_check_similarity_all()
        self.stdout.write(
            _("%(read)s essay files read, %(refused)s not read; %(flagged)s essays have a near-duplicate.")
            % {"read": read, "refused": refused, "flagged": flagged}
        )
