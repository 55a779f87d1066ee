"""The URL map: every route of the app, one line each, with who may call it.

Grouped by audience. The role on each line is the guard (web/guards.py): ANYONE needs
no session, SIGNED_IN any role, LEARNER, STAFF (trainers and admins) and ADMIN theirs.
Object-level rules (is this your attempt, are you enrolled) live in the endpoints.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from learning.core.config import Settings
from learning.web import (
    account,
    admin_assignments,
    admin_audit,
    admin_enrolments,
    admin_extra_time,
    admin_groups,
    admin_import,
    admin_reports,
    admin_users,
    bench,
    catalog,
    certificates,
    course_files,
    final_test,
    home,
    invitations,
    learner_data,
    lesson,
    password_change,
    test_answers,
    trainer,
    trainer_results,
)
from learning.web.guards import ADMIN, ANYONE, LEARNER, SIGNED_IN, STAFF, get, post


def routes(settings: Settings) -> list[BaseRoute]:
    # The benchmark's ceiling: the cheapest signed-in page, only when asked for.
    ceiling = (
        [get("/_bench/static", bench.static_page, SIGNED_IN)] if settings.bench_ceiling else []
    )
    # fmt: off
    return [
        *ceiling,
        # Anyone: signing in, links from mails, public pages, certificate checks.
        get("/healthz", home.healthz, ANYONE),
        get("/login", account.login_form, ANYONE),
        post("/login", account.login, ANYONE),
        get("/setup/{token}", account.setup_form, ANYONE),
        post("/setup/{token}", account.setup, ANYONE),
        get("/einladung/{token}", invitations.invite_form, ANYONE),
        post("/einladung/{token}", invitations.invite_submit, ANYONE),
        get("/passwort/{token}", invitations.reset_form, ANYONE),
        post("/passwort/{token}", invitations.reset_submit, ANYONE),
        post("/sprache", account.set_language, ANYONE),
        get("/barrierefreiheit", home.accessibility, ANYONE),
        get("/leichte-sprache", home.easy_language, ANYONE),
        get("/datenschutz", home.privacy, ANYONE),
        get("/verify", certificates.verify_form, ANYONE),
        get("/verify/{code}", certificates.verify, ANYONE),
        # Everyone signed in: the catalogue, course pages, their own account.
        get("/", catalog.catalogue, SIGNED_IN),
        post("/logout", account.logout, SIGNED_IN),
        get("/konto/passwort", password_change.change_form, SIGNED_IN),
        post("/konto/passwort", password_change.change, SIGNED_IN),
        get("/courses/{course_id}", catalog.overview, SIGNED_IN),
        post("/courses/{course_id}/enrol", catalog.enrol, SIGNED_IN),
        get("/courses/{course_id}/pages/{page_id}", lesson.show_page, SIGNED_IN),
        post("/courses/{course_id}/pages/{page_id}/answer/{question_id}", lesson.answer, SIGNED_IN),
        post("/courses/{course_id}/pages/{page_id}/scenario/{question_id}", lesson.scenario_choice, SIGNED_IN),
        get("/courses/{course_id}/glossar", course_files.glossary, SIGNED_IN),
        get("/courses/{course_id}/media/{name}", course_files.media, SIGNED_IN),
        get("/lernstand/export.json", learner_data.export, SIGNED_IN),
        # Learners: the final test, certificates, their own records.
        get("/courses/{course_id}/test", final_test.intro, LEARNER),
        post("/courses/{course_id}/test/start", final_test.start, LEARNER),
        get("/courses/{course_id}/test/{attempt_id:id}", final_test.attempt_form, LEARNER),
        post("/courses/{course_id}/test/{attempt_id:id}", final_test.submit, LEARNER),
        post("/courses/{course_id}/test/{attempt_id:id}/entwurf", test_answers.autosave, LEARNER),
        get("/courses/{course_id}/test/{attempt_id:id}/ergebnis", final_test.result, LEARNER),
        get("/courses/{course_id}/zertifikat", certificates.download, LEARNER),
        get("/lernstand", learner_data.overview, LEARNER),
        get("/notizen", learner_data.notes, LEARNER),
        # Trainers and admins: compile status, previews, item analysis; admins retire courses.
        get("/trainer", trainer.trainer_index, STAFF),
        get("/trainer/{course_id}", trainer.trainer_course, STAFF),
        get("/trainer/{course_id}/preview/{page_id}", trainer.trainer_preview, STAFF),
        get("/trainer/{course_id}/abschlusstest", trainer.trainer_test_preview, STAFF),
        get("/trainer/{course_id}/items", trainer.trainer_items, STAFF),
        get("/trainer/{course_id}/bericht", trainer_results.trainer_report, STAFF),
        get("/trainer/{course_id}/bericht/export", trainer_results.trainer_report_export, STAFF),
        post("/admin/courses/{course_id}/trainers", trainer_results.assign_trainer, ADMIN),
        post("/admin/courses/{course_id}/trainers/{user_id:id}/remove", trainer_results.unassign_trainer, ADMIN),
        post("/admin/courses/{course_id}/retire", trainer.trainer_retire, ADMIN),
        post("/admin/courses/{course_id}/reinstate", trainer.trainer_reinstate, ADMIN),
        # Admins: accounts, groups, import, reports, audit log.
        get("/admin/users", admin_users.user_list, ADMIN),
        get("/admin/users/new", admin_users.user_new_form, ADMIN),
        post("/admin/users/new", admin_users.user_create, ADMIN),
        get("/admin/users/{user_id:id}", admin_users.user_detail, ADMIN),
        post("/admin/users/{user_id:id}", admin_users.user_update, ADMIN),
        post("/admin/users/{user_id:id}/disable", admin_users.user_disable, ADMIN),
        post("/admin/users/{user_id:id}/enable", admin_users.user_enable, ADMIN),
        post("/admin/users/{user_id:id}/invite", admin_users.user_invite, ADMIN),
        post("/admin/users/{user_id:id}/reset-link", admin_users.user_reset_link, ADMIN),
        post("/admin/users/{user_id:id}/enrol", admin_users.user_enrol, ADMIN),
        post("/admin/users/{user_id:id}/unenrol", admin_enrolments.user_unenrol, ADMIN),
        post("/admin/users/{user_id:id}/zeitausgleich", admin_extra_time.extra_time_update, ADMIN),
        post("/admin/users/{user_id:id}/reset-progress", admin_users.user_reset_progress, ADMIN),
        get("/admin/users/{user_id:id}/export", admin_users.user_export, ADMIN),
        post("/admin/users/{user_id:id}/anonymise", admin_users.user_anonymise, ADMIN),
        post("/admin/users/{user_id:id}/delete", admin_users.user_delete, ADMIN),
        get("/admin/groups", admin_groups.group_list, ADMIN),
        post("/admin/groups", admin_groups.group_create, ADMIN),
        post("/admin/groups/{group_id:id}/enrol", admin_groups.group_enrol, ADMIN),
        get("/admin/assignments", admin_assignments.assignment_list, ADMIN),
        post("/admin/assignments", admin_assignments.assignment_create, ADMIN),
        post("/admin/assignments/{assignment_id:id}/remove", admin_assignments.assignment_remove, ADMIN),
        get("/admin/courses/{course_id}/teilnehmende", admin_enrolments.course_participants, ADMIN),
        get("/admin/import", admin_import.import_form, ADMIN),
        post("/admin/import", admin_import.import_preview, ADMIN),
        post("/admin/import/confirm", admin_import.import_confirm, ADMIN),
        get("/admin/reports", admin_reports.report_index, ADMIN),
        get("/admin/reports/{course_id}", admin_reports.report_course, ADMIN),
        get("/admin/reports/{course_id}/export", admin_reports.report_export, ADMIN),
        get("/admin/audit", admin_audit.audit_log, ADMIN),
        get("/admin/audit/export", admin_audit.audit_export, ADMIN),
        Mount("/static", StaticFiles(directory=str(settings.static)), name="static"),
    ]
    # fmt: on
