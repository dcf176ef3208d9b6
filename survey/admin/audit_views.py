"""View: the audit log, filtered by action, date and unit; each user sees their part of it."""

from flask import g, render_template, request

from survey import access, db
from survey.admin import forms, listings, pages, rules

# What the administration pages record, in words; other actions are shown by their code.
ACTIONS = {
    "unit_created": "unit dibuat", "unit_renamed": "unit diganti nama",
    "unit_moved": "unit dipindah instansi", "unit_closed": "unit ditutup",
    "unit_archived": "unit diarsipkan", "unit_reactivated": "unit diaktifkan kembali",
    "point_created": "titik layanan dibuat", "point_renamed": "titik layanan diganti nama",
    "point_deactivated": "titik layanan dinonaktifkan",
    "point_reactivated": "titik layanan diaktifkan kembali",
    "point_instruments_changed": "survei SPKP/SPAK titik layanan diubah",
    "integrity_alert_noted": "peringatan integritas dicatat",
    "integrity_alert_handled": "peringatan integritas ditangani",
    "poster_downloaded": "poster/kode QR diunduh",
    "kiosk_code_issued": "kode pendaftaran kios dibuat", "kiosk_enrolled": "tablet kios didaftarkan",
    "kiosk_revoked": "pendaftaran kios dicabut",
    "invitations_issued": "kode survei sekali pakai dibuat",
    "invitations_printed": "lembar/tiket kode survei diunduh",
    "invitation_key_created": "kunci API kode survei dibuat",
    "invitation_key_revoked": "kunci API kode survei dicabut",
    "questionnaire_copied": "kuesioner disalin menjadi draf",
    "questionnaire_edited": "draf kuesioner diubah",
    "questionnaire_item_added": "butir kuesioner ditambah",
    "questionnaire_item_removed": "butir kuesioner dihapus",
    "questionnaire_published": "kuesioner diterbitkan",
    "questionnaire_discarded": "draf kuesioner dibuang",
    "population_set": "populasi dicatat", "period_created": "periode khusus dibuat",
    "period_changed": "periode khusus diubah", "user_created": "akun dibuat",
    "user_changed": "akun diubah", "user_deactivated": "akun dinonaktifkan",
    "user_reactivated": "akun diaktifkan kembali", "password_reset": "kata sandi diatur ulang",
    "login": "masuk", "logout": "keluar", "login_failed": "gagal masuk",
    "password_changed": "kata sandi diganti", "api_token_issued": "token API dibuat",
    "inbox_tags": "tag saran dikonfirmasi", "inbox_status": "status saran diubah",
    "inbox_reply": "saran dibalas", "inbox_reply_sent": "balasan ditandai terkirim",
    "inbox_public_answer": "jawaban publik saran diubah", "contacts_purged": "kontak warga dihapus",
    "tag_rule_added": "aturan tag ditambah", "tag_rule_removed": "aturan tag dihapus",
    "follow_up_added": "tindakan RTL dicatat", "follow_up_changed": "tindakan RTL diubah",
    "sessions_ended": "semua sesi akun diakhiri",
    "response_flag": "jawaban ditandai petugas", "response_keep": "tanda jawaban dilepas",
    "exclusion_propose": "pengeluaran jawaban diusulkan",
    "exclusion_approve": "usulan pengeluaran disetujui",
    "exclusion_refuse": "usulan pengeluaran ditolak",
    "batch.open": "batch entri kertas dibuka", "batch.close": "batch entri kertas ditutup",
    "batch.scan": "pindaian lembar diunggah", "batch.scan_download": "pindaian lembar diunduh",
    "report_profile_saved": "data pengesahan laporan disimpan",
    "report.download": "laporan diunduh", "export": "data diekspor",
}


@access.within(rules.own_scope)
def audit_log():
    """List audit events: all for administrators, else their units' events and their own."""
    session, scope = db.session(), access.user_scope(g.user)
    form = forms.AuditFilterForm(listings.audit_actions(session, scope, g.user.id), ACTIONS,
                                 formdata=request.args)
    form.validate()
    page = listings.audit_events(session, scope, g.user.id, form.chosen(), pages.page_number())
    args = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template("admin/audit.html", form=form, page=page, args=args, actions=ACTIONS)
