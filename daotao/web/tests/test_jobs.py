"""The background jobs of the imports (``daotao.web.jobs``) and their page: progress polled
with HTMX, the outcome, at most 200 problems listed with the count of the others, another
user's job not found; a job whose worker died reads as failed and its file is swept; the
uploaded file never outlives its job; at most ``DAOTAO_IMPORT_WORKERS`` run at once."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory, TransactionTestCase, override_settings
from django.urls import reverse

from daotao.accounts import roles
from daotao.cohorts.models import Cohort
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.testing import WorldTestCase, make_user
from daotao.web import jobs

STALE = 300


def upload(content: bytes = b"PK", name: str = "lop.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class TemporaryUploads:
    """Each test's own directory of temporary uploads."""

    def use_temporary_uploads(self) -> Path:
        folder = tempfile.mkdtemp(prefix="daotao-test-jobs-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.enterContext(override_settings(DAOTAO_UPLOAD_TEMP_DIR=folder, DAOTAO_IMPORT_STALE_SECONDS=STALE))
        return Path(folder)


class JobPageTests(TemporaryUploads, WorldTestCase):
    def setUp(self):
        self.uploads = self.use_temporary_uploads()

    def running(self, user, job: str = "j1", **state) -> str:
        """A job left running, as its worker last reported it."""
        state = {
            "state": "running", "done": 50, "total": 200, "heartbeat": time.time(), "title": "Nhập lớp từ Excel",
            "back": reverse("cohorts:import"), "back_label": "Nhập tệp khác", "dry_run": False, **state,
        }  # fmt: skip
        cache.set(jobs.cache_key(user, job), state, 600)
        return reverse("job", args=[job])

    def test_a_running_job_polls_with_htmx(self):
        url = self.running(self.office)
        self.client.force_login(self.office)
        page = self.client.get(url)
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, '<progress value="50" max="200">25%</progress>', html=True)
        self.assertContains(page, "<h1>Nhập lớp từ Excel</h1>", html=True)
        partial = self.client.get(url, headers={"HX-Request": "true"})
        self.assertTemplateUsed(partial, "web/partials/job.html")
        self.assertNotContains(partial, "<html")

    def test_a_job_is_its_users_only(self):
        url = self.running(self.office)
        self.assertRedirects(self.client.get(url), f"{reverse('login')}?next={url}", fetch_redirect_response=False)
        for user in (self.coordinator, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("job", args=["nope"])).status_code, 404)

    def test_a_job_whose_worker_died_reads_as_failed_and_its_file_is_swept(self):
        # The worker was killed at 50%: its state says running, its heartbeat stopped long
        # ago, and the upload it was reading (personal data) is still on disk.
        left = self.uploads / "job-dead.xlsx"
        left.write_bytes(b"PK national IDs")
        os.utime(left, (time.time() - STALE - 5,) * 2)
        url = self.running(self.office, "dead", heartbeat=time.time() - STALE - 5)
        self.client.force_login(self.office)
        page = self.client.get(url)
        self.assertContains(page, "Việc nhập không còn phản hồi và đã bị hủy; chưa ghi gì.")
        self.assertNotContains(page, "hx-trigger")
        self.assertEqual(jobs.state(self.office, "dead")["state"], "failed")
        # The next job to start sweeps the file; a fresh one (a live job's) stays.
        fresh = self.uploads / "job-alive.xlsx"
        fresh.write_bytes(b"PK")
        self.client.post(reverse("cohorts:import"), {"workbook": upload(b"not a workbook")})
        self.assertEqual(sorted(path.name for path in self.uploads.iterdir()), ["job-alive.xlsx"])

    def test_the_sweep_command_for_cron(self):
        for name, age in (("job-old.xlsx", STALE + 60), ("tmp1234.upload.xlsx", STALE + 60), ("job-new.xlsx", 5)):
            path = self.uploads / name
            path.write_bytes(b"PK")
            os.utime(path, (time.time() - age,) * 2)
        output = io.StringIO()
        call_command("sweep_uploads", stdout=output)
        self.assertEqual([path.name for path in self.uploads.iterdir()], ["job-new.xlsx"])
        self.assertIn("Đã xóa 2 tệp tải lên tạm thời", output.getvalue())

    def test_the_uploaded_file_never_outlives_its_job(self):
        self.client.force_login(self.office)
        good = workbook([cohort_row("A")], [student_row("A")])
        for content, shown in ((good, "Đã nhập xong."), (b"PK not a workbook", "Chưa nhập dữ liệu nào")):
            with self.subTest(shown):
                response = self.client.post(reverse("cohorts:import"), {"workbook": upload(content)}, follow=True)
                self.assertContains(response, shown)
                self.assertEqual(list(self.uploads.iterdir()), [])
        self.assertEqual(Cohort.objects.count(), 1)

    def test_work_that_fails_reads_as_failed_and_leaves_no_file(self):
        def work(path, progress):
            progress(1, 2)
            raise RuntimeError("the database went away")

        request = RequestFactory().post("/")
        request.user = self.office
        with self.assertLogs("daotao.web.jobs", "ERROR"):
            job = jobs.start(request, work, upload(), title="Nhập", back="/")
        self.assertEqual(jobs.state(self.office, job)["state"], "failed")
        self.assertEqual(list(self.uploads.iterdir()), [])
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("job", args=[job])), "Việc nhập dừng do lỗi không lường trước")

    def test_at_most_200_problems_are_listed_with_the_count_of_the_others(self):
        rows = [student_row("A", **{"Ngày sinh": "32/01/1990"}) for _ in range(250)]
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("cohorts:import"), {"workbook": upload(workbook([cohort_row("A")], rows))}, follow=True
        )
        state = response.context["state"]
        self.assertEqual(len(state["problems"]), 200)
        self.assertEqual([p["row"] for p in state["problems"]][:3], [2, 3, 4])
        self.assertContains(response, "Chưa nhập dữ liệu nào: phát hiện 250 lỗi.")
        self.assertContains(response, '<p class="muted" id="more-problems">… và 50 lỗi khác.</p>', html=True)
        self.assertContains(response, '<td class="num">201</td>', html=True)
        self.assertNotContains(response, '<td class="num">202</td>', html=True)


class ThreadedJobTests(TemporaryUploads, TransactionTestCase):
    """Jobs in their own threads, as on a server."""

    def setUp(self):
        self.uploads = self.use_temporary_uploads()
        self.enterContext(override_settings(DAOTAO_IMPORT_INLINE=False, DAOTAO_IMPORT_WORKERS=1))
        self.user = make_user("office", roles.TRAINING_OFFICE)
        self.request = RequestFactory().post("/")
        self.request.user = self.user

    def wait_for(self, job: str, *states: str) -> dict:
        for _attempt in range(600):
            state = jobs.state(self.user, job)
            if state["state"] in states:
                return state
            time.sleep(0.05)
        self.fail(f"job {job} never reached {states}: {state}")

    def test_one_at_a_time_and_a_live_job_keeps_beating(self):
        release, touched = threading.Event(), []

        def first(path, progress):
            # Older than a beat, younger than the stale limit: only the heartbeat makes it fresh.
            old = time.time() - STALE / 2
            os.utime(path, (old, old))
            for _attempt in range(400):
                if path.stat().st_mtime > old:
                    touched.append(True)
                    break
                time.sleep(0.05)
            release.wait(30)
            return jobs.Done(["first"])

        def second(path, progress):
            return jobs.Done(["second"])

        with self.settings(DAOTAO_IMPORT_INLINE=False), override_heartbeat(0.05):
            one = jobs.start(self.request, first, upload(), title="1", back="/")
            self.wait_for(one, "running")
            two = jobs.start(self.request, second, upload(), title="2", back="/")
            self.assertEqual(self.wait_for(two, "waiting")["state"], "waiting")  # the one slot is taken
            self.client.force_login(self.user)
            self.assertContains(self.client.get(reverse("job", args=[two])), "Đang chờ lượt nhập khác hoàn tất…")
            release.set()
            self.assertEqual(self.wait_for(one, "done")["lines"], ["first"])
            self.assertEqual(self.wait_for(two, "done")["lines"], ["second"])
        self.assertEqual(touched, [True])
        self.assertEqual(list(self.uploads.iterdir()), [])


class override_heartbeat:
    """Beat every ``seconds`` instead of every ``jobs.HEARTBEAT``."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        self.saved, jobs.HEARTBEAT = jobs.HEARTBEAT, self.seconds

    def __exit__(self, *exc):
        jobs.HEARTBEAT = self.saved
