"""The admin and trainer URL map (users, groups, reports, trainer pages)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from learning.web import admin_import, admin_reports, admin_users, invitations, trainer
from learning.web.guards import ADMIN, ANYONE, STAFF, get, post


def admin_routes() -> list[BaseRoute]:
    return [
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
        post("/admin/users/{user_id:id}/reset-progress", admin_users.user_reset_progress, ADMIN),
        get("/admin/users/{user_id:id}/export", admin_users.user_export, ADMIN),
        post("/admin/users/{user_id:id}/anonymise", admin_users.user_anonymise, ADMIN),
        post("/admin/users/{user_id:id}/delete", admin_users.user_delete, ADMIN),
        get("/admin/groups", admin_users.group_list, ADMIN),
        post("/admin/groups", admin_users.group_create, ADMIN),
        post("/admin/groups/{group_id:id}/enrol", admin_users.group_enrol, ADMIN),
        get("/admin/import", admin_import.import_form, ADMIN),
        post("/admin/import", admin_import.import_preview, ADMIN),
        post("/admin/import/confirm", admin_import.import_confirm, ADMIN),
        get("/admin/reports", admin_reports.report_index, ADMIN),
        get("/admin/reports/{course_id}", admin_reports.report_course, ADMIN),
        get("/admin/reports/{course_id}/export", admin_reports.report_export, ADMIN),
        get("/admin/audit", admin_reports.audit_log, ADMIN),
        post("/admin/courses/{course_id}/retire", trainer.trainer_retire, ADMIN),
        post("/admin/courses/{course_id}/reinstate", trainer.trainer_reinstate, ADMIN),
        get("/einladung/{token}", invitations.invite_form, ANYONE),
        post("/einladung/{token}", invitations.invite_submit, ANYONE),
        get("/passwort/{token}", invitations.reset_form, ANYONE),
        post("/passwort/{token}", invitations.reset_submit, ANYONE),
        get("/trainer", trainer.trainer_index, STAFF),
        get("/trainer/{course_id}", trainer.trainer_course, STAFF),
        get("/trainer/{course_id}/preview/{page_id}", trainer.trainer_preview, STAFF),
        get("/trainer/{course_id}/items", trainer.trainer_items, STAFF),
    ]
