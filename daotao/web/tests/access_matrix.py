"""The access matrix: what every persona gets from every address of DaoTao. Reviewed by
hand; ``test_access_matrix.py`` requests each address as each persona and compares, posts
every form as each persona (``POSTS``), and tries ids of records outside each allowed
persona's scope in the bodies (``access_swaps.py``, not in this table: all are refused).

Tables: ``PAGES`` (GET, by URL name), ``POSTS`` (every address that takes a form), ``API``
(every operation of the OpenAPI schema), ``ROUTES`` (the API's own addresses and the uploads'
storage addresses, with DEBUG off and on) and ``ADMIN``. A URL pattern no row reaches fails.

Answers: a status code; ``login`` = redirected to the sign-in page; ``admin-login`` = to the
admin's sign-in page; ``302`` = redirected elsewhere (a student's own essay to "my essay"); ``ok`` (POST rows only) = allowed,
and posted for real: the body the page's form sends, answered as a post that worked, only
its own tables written, the record addressed changed and audited where the app audits
(``access_posts.py``; rolled back after each post).

Records used (the demo): the finished class TCX02-2025-01 held at Phường Phú Mỹ (X02); its
student ``hocvien.demo`` and lecturer ``giangvien.hang``; an application (pending), a local
issue and a results pack of X02; a lesson, grade, graduation entry, credential, essay, field
trip and career event of the class. A post whose action needs a record in another state
gets one in its savepoint (``prepare``: a lesson not held yet to cancel, an assignment with
no lesson to withdraw, a graduate taken out of the decision to decide again, a credential
to issue, a topic still proposed to approve, an open survey link to answer).

Personas:
- anonymous, superuser, office (training office), board (school board), editor;
- lecturer: teaches the class; other_lecturer: teaches another class only;
- coordinator: of X02, the class's locality; other_coordinator: of X01 (no student in it);
- agency: Sở Nội vụ, which sent 4 of the class's students (not ``hocvien.demo``);
- student: ``hocvien.demo``; other_student: a classmate;
- nobody: signed in, with no role.

Rules the table follows (docs/security.md):
- staff pages (reports, classes, admissions, plans, results packs, outcomes, students) are
  for the office, the board, coordinators and agencies; records outside a coordinator's or
  agency's scope are 404; changing pages of the office are 403 to everyone else;
- every signed-in persona has a home (``home``), none a refusal: a role's own, or what to do
  to get one;
- a lecturer reaches the class hub, the timetable, attendance, lecture log, grade sheets, essays and survey
  results of the classes they teach, 404 elsewhere; a student only their own pages;
- a class's page, its grade pages, its enrollments and the grading API show a coordinator
  or agency their own students in another locality's class, and only those
  (``cohorts.access.cohort_for_user``; the agency sees its 4 staff of the class);
- an import's job page (``job``) is only for the user who started the import: 404 to
  everyone else;
- the portal is public; a survey link works for whoever holds it;
- every signed-in user changes their own password, whatever their role; anyone may ask for a
  link to set a new one by email (the answer is the same whether the address has an account);
- a form posts as its page opens: the office's changing forms are 403 to everyone else, and
  a record outside the scope is 404 before any check of the role; a finished class takes no
  grade from its lecturer (the office corrects);
- the API answers JSON under /api/v1/ (its root and unknown addresses 404); uploads are
  never served by their storage address, but for the portal's images under DEBUG.
"""

PERSONAS = [
    "anonymous",
    "superuser",
    "office",
    "board",
    "lecturer",
    "other_lecturer",
    "coordinator",
    "other_coordinator",
    "agency",
    "student",
    "other_student",
    "editor",
    "nobody",
]
# Answers that turn a persona away: a POST from them must be turned away the same way.
DENIALS = frozenset({"login", "admin-login", "403", "404"})

# fmt: off
#                                         anon  super offic board lect  lect2 coord coor2 agenc stud  stud2 edito nobod
PAGES = {
    'home':                              "login 200   200   200   200   200   200   200   200   200   200   200   200",
    'dashboards:board':                  "login 200   200   200   403   403   403   403   403   403   403   403   403",
    'dashboards:board_xlsx':             "login 200   200   200   403   403   403   403   403   403   403   403   403",
    'job':                               "login 404   404   404   404   404   404   404   404   404   404   404   404",
    'login':                             "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'favicon':                           "302   302   302   302   302   302   302   302   302   302   302   302   302",
    'logout':                            "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'profile':                           "login 200   200   200   200   200   200   200   200   200   200   200   200",
    'api_token_create':                  "login 405   405   405   405   405   405   405   405   405   405   405   405",
    'api_token_revoke':                  "login 405   405   405   405   405   405   405   405   405   405   405   405",
    'password_change':                   "login 200   200   200   200   200   200   200   200   200   200   200   200",
    'password_change_done':              "login 200   200   200   200   200   200   200   200   200   200   200   200",
    'password_reset':                    "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'password_reset_done':               "200   200   200   200   200   200   200   200   200   200   200   200   200",
    # The matrix's link is no valid one (its page says so, and reads no body); a valid link,
    # its form and its one use: accounts/tests/test_passwords.py.
    'password_reset_confirm':            "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'password_reset_complete':           "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'reports:annual':                    "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'reports:annual_download':           "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'cohorts:list':                      "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'cohorts:import':                    "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'cohorts:import_template':           "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'cohorts:detail':                    "login 200   200   200   200   404   200   404   200   403   403   403   403",
    'admissions:list':                   "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'admissions:new':                    "login 200   200   403   403   403   200   200   200   403   403   403   403",
    'admissions:detail':                 "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'admissions:edit':                   "login 200   200   403   403   403   200   404   404   403   403   403   403",
    'admissions:documents':              "login 405   405   405   403   403   405   405   405   403   403   403   403",
    'admissions:document-file':          "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'admissions:decision':               "login 405   405   405   403   403   405   405   405   403   403   403   403",
    'admissions:exception':              "login 405   405   405   403   403   405   405   405   403   403   403   403",
    'admissions:placement':              "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'admissions:import':                 "login 200   200   403   403   403   200   200   200   403   403   403   403",
    'admissions:import-template':        "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'admissions:quota':                  "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'admissions:quota-xlsx':             "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'planning:list':                     "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'planning:create':                   "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'planning:detail':                   "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'planning:edit':                     "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'planning:approve':                  "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'planning:import':                   "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'teaching:my':                       "login 403   403   403   200   200   403   403   403   200   200   403   403",
    'teaching:report':                   "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'teaching:cohort':                   "login 200   200   200   200   404   200   404   404   403   403   403   403",
    'teaching:lesson_edit':              "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'teaching:lesson_cancel':            "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:attendance':               "login 200   200   403   200   404   403   404   404   403   403   404   404",
    'teaching:log':                      "login 200   200   403   200   404   403   404   404   403   403   404   404",
    'teaching:observe':                  "login 200   200   403   403   200   403   403   403   403   403   403   403",
    'teaching:organisation':             "login 200   200   200   200   404   200   404   404   403   403   403   403",
    'teaching:homeroom_set':             "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:assignment_add':           "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:assignment_remove':        "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:officer_add':              "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:officer_remove':           "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:committee_add':            "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:committee_remove':         "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:field_trip_add':           "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'teaching:field_trip_edit':          "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'teaching:field_trip_report':        "login 200   200   200   200   404   200   404   404   403   403   403   403",
    'grading:my':                        "login 403   403   403   403   403   403   403   403   200   200   403   403",
    'grading:cohort':                    "login 200   200   200   200   404   200   404   200   403   403   403   403",
    'grading:sheet':                     "login 200   200   200   200   404   200   404   200   403   403   403   403",
    'grading:cell':                      "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'grading:sheet_export':              "login 200   200   200   200   404   200   404   200   403   403   403   403",
    'grading:sheet_import':              "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'grading:cell_history':              "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'grading:report':                    "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'grading:report_xlsx':               "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'grading:report_pdf':                "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'grading:decide':                    "login 200   200   403   403   403   403   403   403   403   403   403   403",
    'grading:decisions':                 "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'grading:entry':                     "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'grading:register':                  "login 200   200   200   403   403   200   200   200   200   200   403   403",
    'grading:credential':                "login 200   200   200   403   403   200   404   404   200   404   403   403",
    'grading:credential_print':          "login 200   200   200   403   403   200   404   404   200   404   403   403",
    'essays:my':                         "login 403   403   403   403   403   403   403   403   200   200   403   403",
    'essays:assigned':                   "login 403   403   403   200   200   403   403   403   403   403   403   403",
    'essays:issues':                     "login 200   200   200   200   200   200   200   200   200   200   403   403",
    'essays:issue_approve':              "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'essays:issue_retire':               "login 405   405   403   403   403   403   403   403   403   403   403   403",
    'essays:cohort':                     "login 200   200   200   200   404   200   404   404   403   403   403   403",
    'essays:detail':                     "login 200   200   200   200   404   200   404   404   302   404   404   404",
    'essays:file':                       "login 200   200   200   200   404   200   404   404   200   404   404   404",
    'surveys:answer':                    "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'surveys:thanks':                    "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'surveys:coverage':                  "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'surveys:results_list':              "login 200   200   200   200   200   200   200   200   403   403   403   403",
    'surveys:results_compare':           "login 200   200   200   200   200   200   200   200   403   403   403   403",
    'surveys:results_round':             "login 200   200   200   404   404   200   404   404   403   403   403   403",
    'surveys:results_round_xlsx':        "login 200   200   200   404   404   200   404   404   403   403   403   403",
    'surveys:results_round_pdf':         "login 200   200   200   404   404   200   404   404   403   403   403   403",
    'surveys:outcome_list':              "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'surveys:outcome_add':               "login 200   200   403   403   403   200   200   200   403   403   403   403",
    'surveys:outcome_student':           "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'surveys:outcome_delete':            "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'surveys:outcome_import':            "login 200   200   403   403   403   200   200   200   403   403   403   403",
    'surveys:outcome_import_template':   "login 200   200   403   403   403   200   200   200   403   403   403   403",
    'surveys:outcome_report':            "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'surveys:outcome_report_xlsx':       "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'twoway:list':                       "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'twoway:cohort':                     "login 200   200   200   403   403   403   403   403   403   403   403   403",
    'twoway:pack':                       "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'twoway:pack_xlsx':                  "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'twoway:pack_pdf':                   "login 200   200   200   403   403   200   404   404   403   403   403   403",
    'people:students':                   "login 200   200   200   403   403   200   200   200   403   403   403   403",
    'records:student':                   "login 200   200   200   200   404   200   404   404   200   404   403   403",
    'records:student_xlsx':              "login 200   200   200   200   404   200   404   404   200   404   403   403",
    'set_language':                      "302   302   302   302   302   302   302   302   302   302   302   302   302",
    'portal:home':                       "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'portal:search':                     "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'portal:feed':                       "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'portal:sitemap':                    "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'portal:preview':                    "login 200   403   403   403   403   403   403   403   403   403   200   403",
    'portal:draft_from_report':          "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'portal:category':                   "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'portal:article':                    "200   200   200   200   200   200   200   200   200   200   200   200   200",
}

# POST, for every address that takes a form: those that answer GET with 405 (in PAGES) and
# the pages whose form posts back to them. ``ok`` cells are posted for real (see above).
#                                         anon  super offic board lect  lect2 coord coor2 agenc stud  stud2 edito nobod
POSTS = {
    'login':                             "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'logout':                            "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'set_language':                      "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'api_token_create':                  "login ok    ok    ok    403   403   ok    ok    ok    403   403   403   403",
    'api_token_revoke':                  "login 404   ok    404   404   404   404   404   404   404   404   404   404",
    'password_change':                   "login ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'password_reset':                    "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'cohorts:import':                    "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'admissions:new':                    "login ok    ok    403   403   403   ok    ok    ok    403   403   403   403",
    'admissions:edit':                   "login ok    ok    403   403   403   ok    404   404   403   403   403   403",
    'admissions:documents':              "login ok    ok    403   403   403   ok    404   404   403   403   403   403",
    'admissions:decision':               "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'admissions:exception':              "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'admissions:placement':              "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'admissions:import':                 "login ok    ok    403   403   403   ok    ok    ok    403   403   403   403",
    'planning:create':                   "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'planning:edit':                     "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'planning:approve':                  "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'planning:import':                   "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:cohort':                   "login ok    ok    403   403   404   403   404   404   403   403   403   403",
    'teaching:lesson_edit':              "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:lesson_cancel':            "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:attendance':               "login ok    ok    403   ok    404   403   404   404   403   403   404   404",
    'teaching:log':                      "login ok    ok    403   ok    404   403   404   404   403   403   404   404",
    'teaching:observe':                  "login ok    ok    403   403   ok    403   403   403   403   403   403   403",
    'teaching:homeroom_set':             "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:assignment_add':           "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:assignment_remove':        "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:officer_add':              "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:officer_remove':           "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:committee_add':            "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:committee_remove':         "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:field_trip_add':           "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'teaching:field_trip_edit':          "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    # A finished class's grades are the office's to correct: its lecturer gets 403 (her grades in
    # the class still open are posted by the ID swaps, ``access_swaps.OPEN_CELL``); the board and
    # the class's coordinator, who see the cell, get 403 from the grade's own check.
    'grading:cell':                      "login ok    ok    403   403   404   403   404   404   403   403   403   403",
    'grading:sheet_import':              "login ok    ok    403   403   404   403   404   403   403   403   403   403",
    'grading:decide':                    "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'grading:decisions':                 "login ok    ok    403   403   403   403   404   404   403   403   403   403",
    'grading:entry':                     "login ok    ok    403   403   403   403   404   404   403   403   403   403",
    'grading:credential':                "login ok    ok    403   403   403   403   404   404   403   404   403   403",
    'essays:issues':                     "login ok    ok    403   403   403   ok    ok    403   403   403   403   403",
    'essays:issue_approve':              "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'essays:issue_retire':               "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'essays:detail':                     "login ok    ok    403   403   404   403   404   404   302   404   404   404",
    # hocvien.demo's topic is approved (her essay is graded): registering again shows the form
    # with why not (200); her classmate has no essay yet and registers a topic of the bank.
    'essays:my':                         "login 403   403   403   403   403   403   403   403   200   ok    403   403",
    'surveys:answer':                    "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    'surveys:outcome_add':               "login ok    ok    403   403   403   ok    ok    ok    403   403   403   403",
    'surveys:outcome_delete':            "login ok    ok    403   403   403   ok    404   404   403   403   403   403",
    'surveys:outcome_import':            "login ok    ok    403   403   403   ok    ok    ok    403   403   403   403",
    'twoway:cohort':                     "login ok    ok    403   403   403   403   403   403   403   403   403   403",
    'portal:draft_from_report':          "login ok    ok    403   403   403   403   403   403   403   403   403   403",
}

# The API (Bearer token; anonymous sends none), by operation of the OpenAPI schema.
#                                                         anon  super offic board lect  lect2 coord coor2 agenc stud  stud2 edito nobod
API = {
    'GET /api/v1/reports/cohort-stats':                  "401   200   200   200   403   403   200   200   200   403   403   403   403",
    'GET /api/v1/reports/annual':                        "401   200   200   200   403   403   200   200   200   403   403   403   403",
    'GET /api/v1/cohorts/{code}/enrollments':            "401   200   200   200   403   403   200   404   200   403   403   403   403",
    'GET /api/v1/students':                              "401   200   200   200   403   403   200   200   200   403   403   403   403",
    'GET /api/v1/students/{national_id}/record':         "401   200   200   404   404   404   200   404   404   200   404   403   403",
    'GET /api/v1/admissions/quota-progress':             "401   200   200   200   403   403   200   200   200   403   403   403   403",
    'GET /api/v1/grading/cohorts/{cohort_id}/results':   "401   200   200   200   200   404   200   404   200   200   200   403   403",
    'GET /api/v1/grading/me':                            "401   403   403   403   403   403   403   403   403   200   200   403   403",
}

# Addresses outside the pages, the schema's operations and the admin: the API's own (its
# root, the schema, any other address) and the uploads by their storage address, with the
# URLconf built without DEBUG (as in production: the reverse proxy serves the portal's
# images) and with it (runserver serves those images, and no other upload).
#                                                         anon  super offic board lect  lect2 coord coor2 agenc stud  stud2 edito nobod
ROUTES = {
    'GET /api/v1/':                                      "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /api/v1/openapi.json':                          "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'POST /api/v1/openapi.json':                         "405   405   405   405   405   405   405   405   405   405   405   405   405",
    'GET /api/v1/<unknown>':                             "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'DELETE /api/v1/<unknown>':                          "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /media/portal/<image>':                         "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /media/<dossier scan>':                         "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /media/<essay>':                                "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /media/portal/<image> (DEBUG)':                 "200   200   200   200   200   200   200   200   200   200   200   200   200",
    'GET /media/<dossier scan> (DEBUG)':                 "404   404   404   404   404   404   404   404   404   404   404   404   404",
    'GET /media/<essay> (DEBUG)':                        "404   404   404   404   404   404   404   404   404   404   404   404   404",
}
# fmt: on

# The admin, by URL name: the answers to the three personas who work there (is_staff):
#                                                        super office editor
# Everyone else is sent to the admin's sign-in page (``admin-login``), except on the sign-in
# and sign-out pages themselves (``ADMIN_OTHERS``): the board, lecturers, coordinators,
# agencies and students have no admin. Read-only models (grades, decisions, the register,
# the audit trail, career events, sign-in records) answer 403 to add and delete even for
# the superuser; ``302`` on a record's page is the admin's "no such record" redirect (a
# record outside the editor's scope, or a model with no record in the demo); ``view_on_site``
# sends staff to the record's own page (an article of the portal). A survey round's pages are
# those of an anonymous round: its invitations are listed without who answered.
ADMIN_PERSONAS = ("superuser", "office", "editor")
ADMIN_OTHERS = {"admin:login": "200", "admin:logout": "302"}
# fmt: off
ADMIN = {
    'admin:index':                                       "200   200   200",
    'admin:login':                                       "302   302   302",
    'admin:logout':                                      "405   405   405",
    'admin:password_change':                             "200   200   200",
    'admin:password_change_done':                        "200   200   200",
    'admin:autocomplete':                                "403   403   403",
    'admin:jsi18n':                                      "200   200   200",
    'admin:view_on_site':                                "302   302   302",
    'admin:auth_user_password_change':                   "200   403   403",
    'admin:accounts_user_changelist':                    "200   403   403",
    'admin:accounts_user_add':                           "200   403   403",
    'admin:accounts_user_history':                       "200   403   403",
    'admin:accounts_user_delete':                        "200   403   403",
    'admin:accounts_user_change':                        "200   403   403",
    'admin:<unknown>':                                   "404   404   404",
    'admin:accounts_apitoken_changelist':                "200   403   403",
    'admin:accounts_apitoken_add':                       "403   403   403",
    'admin:accounts_apitoken_history':                   "200   403   403",
    'admin:accounts_apitoken_delete':                    "200   403   403",
    'admin:accounts_apitoken_change':                    "200   403   403",
    'admin:auth_group_changelist':                       "200   403   403",
    'admin:auth_group_add':                              "200   403   403",
    'admin:auth_group_history':                          "200   403   403",
    'admin:auth_group_delete':                           "200   403   403",
    'admin:auth_group_change':                           "200   403   403",
    'admin:axes_accessattempt_changelist':               "200   403   403",
    'admin:axes_accessattempt_add':                      "403   403   403",
    'admin:axes_accessattempt_history':                  "302   302   302",
    'admin:axes_accessattempt_delete':                   "302   403   403",
    'admin:axes_accessattempt_change':                   "302   403   403",
    'admin:axes_accesslog_changelist':                   "200   403   403",
    'admin:axes_accesslog_add':                          "403   403   403",
    'admin:axes_accesslog_history':                      "200   403   403",
    'admin:axes_accesslog_delete':                       "200   403   403",
    'admin:axes_accesslog_change':                       "200   403   403",
    'admin:axes_accessfailurelog_changelist':            "200   403   403",
    'admin:axes_accessfailurelog_add':                   "403   403   403",
    'admin:axes_accessfailurelog_history':               "302   302   302",
    'admin:axes_accessfailurelog_delete':                "302   403   403",
    'admin:axes_accessfailurelog_change':                "302   403   403",
    'admin:org_unit_changelist':                         "200   200   403",
    'admin:org_unit_add':                                "200   200   403",
    'admin:org_unit_history':                            "200   200   403",
    'admin:org_unit_delete':                             "200   200   403",
    'admin:org_unit_change':                             "200   200   403",
    'admin:org_lecturer_changelist':                     "200   200   403",
    'admin:org_lecturer_add':                            "200   200   403",
    'admin:org_lecturer_history':                        "200   200   403",
    'admin:org_lecturer_delete':                         "200   200   403",
    'admin:org_lecturer_change':                         "200   200   403",
    'admin:people_student_changelist':                   "200   200   403",
    'admin:people_student_add':                          "200   200   403",
    'admin:people_student_history':                      "200   200   302",
    'admin:people_student_delete':                       "200   200   403",
    'admin:people_student_change':                       "200   200   403",
    'admin:programs_program_changelist':                 "200   200   403",
    'admin:programs_program_add':                        "200   200   403",
    'admin:programs_program_history':                    "200   200   403",
    'admin:programs_program_delete':                     "200   200   403",
    'admin:programs_program_change':                     "200   200   403",
    'admin:programs_module_changelist':                  "200   200   403",
    'admin:programs_module_add':                         "200   200   403",
    'admin:programs_module_history':                     "200   200   403",
    'admin:programs_module_delete':                      "200   200   403",
    'admin:programs_module_change':                      "200   200   403",
    'admin:planning_annualplan_changelist':              "200   200   403",
    'admin:planning_annualplan_add':                     "200   200   403",
    'admin:planning_annualplan_history':                 "200   200   403",
    'admin:planning_annualplan_delete':                  "200   200   403",
    'admin:planning_annualplan_change':                  "200   200   403",
    'admin:planning_quota_changelist':                   "200   200   403",
    'admin:planning_quota_add':                          "200   200   403",
    'admin:planning_quota_history':                      "200   200   302",
    'admin:planning_quota_delete':                       "200   200   403",
    'admin:planning_quota_change':                       "200   200   403",
    'admin:cohorts_cohort_changelist':                   "200   200   403",
    'admin:cohorts_cohort_add':                          "200   200   403",
    'admin:cohorts_cohort_history':                      "200   200   302",
    'admin:cohorts_cohort_delete':                       "200   200   403",
    'admin:cohorts_cohort_change':                       "200   200   403",
    'admin:cohorts_enrollment_changelist':               "200   200   403",
    'admin:cohorts_enrollment_add':                      "200   200   403",
    'admin:cohorts_enrollment_history':                  "200   200   302",
    'admin:cohorts_enrollment_delete':                   "200   200   403",
    'admin:cohorts_enrollment_change':                   "200   200   403",
    'admin:admissions_positioncategory_changelist':      "200   200   403",
    'admin:admissions_positioncategory_add':             "200   200   403",
    'admin:admissions_positioncategory_history':         "200   200   403",
    'admin:admissions_positioncategory_delete':          "200   200   403",
    'admin:admissions_positioncategory_change':          "200   200   403",
    'admin:admissions_documenttype_changelist':          "200   200   403",
    'admin:admissions_documenttype_add':                 "200   200   403",
    'admin:admissions_documenttype_history':             "200   200   403",
    'admin:admissions_documenttype_delete':              "200   200   403",
    'admin:admissions_documenttype_change':              "200   200   403",
    'admin:admissions_programdocument_changelist':       "200   200   403",
    'admin:admissions_programdocument_add':              "200   200   403",
    'admin:admissions_programdocument_history':          "200   200   403",
    'admin:admissions_programdocument_delete':           "200   200   403",
    'admin:admissions_programdocument_change':           "200   200   403",
    'admin:admissions_eligibilityrule_changelist':       "200   200   403",
    'admin:admissions_eligibilityrule_add':              "200   200   403",
    'admin:admissions_eligibilityrule_history':          "200   200   403",
    'admin:admissions_eligibilityrule_delete':           "200   200   403",
    'admin:admissions_eligibilityrule_change':           "200   200   403",
    'admin:admissions_application_changelist':           "200   200   403",
    'admin:admissions_application_add':                  "403   403   403",
    'admin:admissions_application_history':              "200   200   302",
    'admin:admissions_application_delete':               "200   403   403",
    'admin:admissions_application_change':               "200   200   403",
    'admin:admissions_ruleexception_changelist':         "200   200   403",
    'admin:admissions_ruleexception_add':                "200   200   403",
    'admin:admissions_ruleexception_history':            "200   200   302",
    'admin:admissions_ruleexception_delete':             "200   403   403",
    'admin:admissions_ruleexception_change':             "200   200   403",
    'admin:teaching_teachingassignment_changelist':      "200   200   403",
    'admin:teaching_teachingassignment_add':             "200   200   403",
    'admin:teaching_teachingassignment_history':         "200   200   302",
    'admin:teaching_teachingassignment_delete':          "200   200   403",
    'admin:teaching_teachingassignment_change':          "200   200   403",
    'admin:teaching_lesson_changelist':                  "200   200   403",
    'admin:teaching_lesson_add':                         "200   200   403",
    'admin:teaching_lesson_history':                     "200   200   302",
    'admin:teaching_lesson_delete':                      "200   200   403",
    'admin:teaching_lesson_change':                      "200   200   403",
    'admin:teaching_peerobservation_changelist':         "200   200   403",
    'admin:teaching_peerobservation_add':                "200   200   403",
    'admin:teaching_peerobservation_history':            "200   200   302",
    'admin:teaching_peerobservation_delete':             "200   200   403",
    'admin:teaching_peerobservation_change':             "200   200   403",
    'admin:teaching_classofficer_changelist':            "200   200   403",
    'admin:teaching_classofficer_add':                   "200   200   403",
    'admin:teaching_classofficer_history':               "200   200   302",
    'admin:teaching_classofficer_delete':                "200   200   403",
    'admin:teaching_classofficer_change':                "200   200   403",
    'admin:teaching_steeringcommitteemember_changelist': "200   200   403",
    'admin:teaching_steeringcommitteemember_add':        "200   200   403",
    'admin:teaching_steeringcommitteemember_history':    "200   200   302",
    'admin:teaching_steeringcommitteemember_delete':     "200   200   403",
    'admin:teaching_steeringcommitteemember_change':     "200   200   403",
    'admin:teaching_fieldtrip_changelist':               "200   200   403",
    'admin:teaching_fieldtrip_add':                      "200   200   403",
    'admin:teaching_fieldtrip_history':                  "200   200   302",
    'admin:teaching_fieldtrip_delete':                   "200   200   403",
    'admin:teaching_fieldtrip_change':                   "200   200   403",
    'admin:grading_gradingrules_changelist':             "200   200   403",
    'admin:grading_gradingrules_add':                    "200   200   403",
    'admin:grading_gradingrules_history':                "302   302   302",
    'admin:grading_gradingrules_delete':                 "302   302   403",
    'admin:grading_gradingrules_change':                 "302   302   403",
    'admin:grading_discipline_changelist':               "200   200   403",
    'admin:grading_discipline_add':                      "200   200   403",
    'admin:grading_discipline_history':                  "200   200   403",
    'admin:grading_discipline_delete':                   "200   200   403",
    'admin:grading_discipline_change':                   "200   200   403",
    'admin:grading_grade_changelist':                    "200   200   403",
    'admin:grading_grade_add':                           "403   403   403",
    'admin:grading_grade_history':                       "200   200   403",
    'admin:grading_grade_delete':                        "403   403   403",
    'admin:grading_grade_change':                        "200   200   403",
    'admin:grading_graduationdecision_changelist':       "200   200   403",
    'admin:grading_graduationdecision_add':              "403   403   403",
    'admin:grading_graduationdecision_history':          "200   200   403",
    'admin:grading_graduationdecision_delete':           "403   403   403",
    'admin:grading_graduationdecision_change':           "200   200   403",
    'admin:grading_graduationentry_changelist':          "200   200   403",
    'admin:grading_graduationentry_add':                 "403   403   403",
    'admin:grading_graduationentry_history':             "200   200   302",
    'admin:grading_graduationentry_delete':              "403   403   403",
    'admin:grading_graduationentry_change':              "200   200   403",
    'admin:grading_credential_changelist':               "200   200   403",
    'admin:grading_credential_add':                      "403   403   403",
    'admin:grading_credential_history':                  "200   200   302",
    'admin:grading_credential_delete':                   "403   403   403",
    'admin:grading_credential_change':                   "200   200   403",
    'admin:grading_registercounter_changelist':          "200   200   403",
    'admin:grading_registercounter_add':                 "403   403   403",
    'admin:grading_registercounter_history':             "200   200   403",
    'admin:grading_registercounter_delete':              "403   403   403",
    'admin:grading_registercounter_change':              "200   200   403",
    'admin:essays_localissue_changelist':                "200   200   403",
    'admin:essays_localissue_add':                       "200   200   403",
    'admin:essays_localissue_history':                   "200   200   403",
    'admin:essays_localissue_delete':                    "200   200   403",
    'admin:essays_localissue_change':                    "200   200   403",
    'admin:essays_essay_changelist':                     "200   200   403",
    'admin:essays_essay_add':                            "200   403   403",
    'admin:essays_essay_history':                        "200   200   403",
    'admin:essays_essay_delete':                         "200   403   403",
    'admin:essays_essay_change':                         "200   200   403",
    'admin:surveys_evaluationrules_changelist':          "200   200   403",
    'admin:surveys_evaluationrules_add':                 "200   403   403",
    'admin:surveys_evaluationrules_history':             "200   200   403",
    'admin:surveys_evaluationrules_delete':              "200   403   403",
    'admin:surveys_evaluationrules_change':              "200   200   403",
    'admin:surveys_questionnaire_changelist':            "200   200   403",
    'admin:surveys_questionnaire_add':                   "200   200   403",
    'admin:surveys_questionnaire_history':               "200   200   403",
    'admin:surveys_questionnaire_delete':                "200   200   403",
    'admin:surveys_questionnaire_change':                "200   200   403",
    'admin:surveys_questionnaireversion_changelist':     "200   200   403",
    'admin:surveys_questionnaireversion_add':            "403   403   403",
    'admin:surveys_questionnaireversion_history':        "200   200   403",
    'admin:surveys_questionnaireversion_delete':         "403   403   403",
    'admin:surveys_questionnaireversion_change':         "200   200   403",
    'admin:surveys_surveyround_changelist':              "200   200   403",
    'admin:surveys_surveyround_add':                     "200   200   403",
    'admin:surveys_surveyround_history':                 "200   200   302",
    'admin:surveys_surveyround_delete':                  "200   200   403",
    'admin:surveys_surveyround_change':                  "200   200   403",
    'admin:surveys_careerevent_changelist':              "200   200   403",
    'admin:surveys_careerevent_add':                     "403   403   403",
    'admin:surveys_careerevent_history':                 "200   200   302",
    'admin:surveys_careerevent_delete':                  "403   403   403",
    'admin:surveys_careerevent_change':                  "200   200   403",
    'admin:twoway_resultpackdispatch_changelist':        "200   200   403",
    'admin:twoway_resultpackdispatch_add':               "403   403   403",
    'admin:twoway_resultpackdispatch_history':           "200   200   302",
    'admin:twoway_resultpackdispatch_delete':            "403   403   403",
    'admin:twoway_resultpackdispatch_change':            "200   200   403",
    'admin:audit_auditentry_changelist':                 "200   200   403",
    'admin:audit_auditentry_add':                        "403   403   403",
    'admin:audit_auditentry_history':                    "200   200   403",
    'admin:audit_auditentry_delete':                     "403   403   403",
    'admin:audit_auditentry_change':                     "200   200   403",
    'admin:reports_reporttemplate_changelist':           "200   200   403",
    'admin:reports_reporttemplate_add':                  "200   200   403",
    'admin:reports_reporttemplate_history':              "200   200   403",
    'admin:reports_reporttemplate_delete':               "200   200   403",
    'admin:reports_reporttemplate_change':               "200   200   403",
    'admin:portal_article_changelist':                   "200   403   200",
    'admin:portal_article_add':                          "200   403   200",
    'admin:portal_article_history':                      "200   403   200",
    'admin:portal_article_delete':                       "200   403   200",
    'admin:portal_article_change':                       "200   403   200",
    'admin:portal_category_changelist':                  "200   403   200",
    'admin:portal_category_add':                         "200   403   200",
    'admin:portal_category_history':                     "200   403   200",
    'admin:portal_category_delete':                      "200   403   200",
    'admin:portal_category_change':                      "200   403   200",
    'admin:portal_banner_changelist':                    "200   403   200",
    'admin:portal_banner_add':                           "200   403   200",
    'admin:portal_banner_history':                       "200   403   200",
    'admin:portal_banner_delete':                        "200   403   200",
    'admin:portal_banner_change':                        "200   403   200",
    'admin:portal_dailyvisits_changelist':               "200   403   200",
    'admin:portal_dailyvisits_add':                      "403   403   403",
    'admin:portal_dailyvisits_history':                  "200   403   200",
    'admin:portal_dailyvisits_delete':                   "403   403   403",
    'admin:portal_dailyvisits_change':                   "200   403   200",
    'admin:portal_visitoffset_changelist':               "200   403   200",
    'admin:portal_visitoffset_add':                      "403   403   403",
    'admin:portal_visitoffset_history':                  "200   403   200",
    'admin:portal_visitoffset_delete':                   "403   403   403",
    'admin:portal_visitoffset_change':                   "200   403   200",
    'admin:app_list':                                    "200   200   404",
}
# fmt: on


def expected(table: dict[str, str], name: str, persona: str) -> str:
    return table[name].split()[PERSONAS.index(persona)]


def expected_admin(name: str, persona: str) -> str:
    row = ADMIN[name]  # every admin address has its row, whoever asks
    if persona in ADMIN_PERSONAS:
        return row.split()[ADMIN_PERSONAS.index(persona)]
    return ADMIN_OTHERS.get(name, "admin-login")
