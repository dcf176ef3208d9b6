"""Bahasa Indonesia and English for citizen pages: the choice of locale and the string table.

An explicit table rather than gettext catalogs: the citizen pages need a few dozen short strings
(question texts are data, stored per questionnaire), a compiled `.mo` catalog would be a build
artefact that a stale checkout silently lacks (gettext then falls back to the msgid without an
error), while a missing key here fails loudly and a test checks that both locales have the
same keys.
"""

from flask import Flask, Response, g, request
from werkzeug.wrappers import Request

from survey.inbox.strings import STRINGS as INBOX_STRINGS
from survey.reports.strings import STRINGS as RESULTS_STRINGS

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

CITIZEN_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "tagline": "Survei Kepuasan Masyarakat",
        "skip": "Langsung ke isi",
        "switch": "English",
        "form.title": "Survei Kepuasan Masyarakat",
        "form.intro": "Bantu kami memperbaiki pelayanan. Ada {count} pertanyaan singkat, "
                      "kira-kira 2 menit. Anda tidak perlu menuliskan nama.",
        "form.required": "Pertanyaan 1–{count} wajib dijawab. Data diri dan saran boleh "
                         "dikosongkan.",
        "form.questions": "Pendapat Anda tentang pelayanan",
        "form.question": "Pertanyaan {number}",
        "form.profile": "Tentang Anda (boleh dikosongkan)",
        "form.submit": "Kirim",
        "field.gender": "Jenis kelamin",
        "field.age": "Umur (tahun)",
        "field.education": "Pendidikan terakhir",
        "field.occupation": "Pekerjaan utama",
        "field.service_type": "Layanan yang Anda terima",
        "field.service_type.hint": "Contoh: pembuatan KTP elektronik",
        "field.suggestion": "Saran dan masukan (boleh dikosongkan)",
        "field.choose": "— Pilih —",
        "field.honeypot": "Jangan isi kolom ini",
        "error.title": "Kesalahan",
        "error.summary": "Ada isian yang perlu diperbaiki",
        "error.answer_required": "Pilih salah satu jawaban untuk pertanyaan ini.",
        "error.answer_invalid": "Pilih salah satu dari jawaban yang tersedia.",
        "error.choice_invalid": "Pilih salah satu pilihan yang tersedia.",
        "error.age": "Tuliskan umur dalam tahun, dengan angka {min} sampai {max}.",
        "error.too_long": "Terlalu panjang: paling banyak {max} karakter.",
        "error.stale": "Halaman ini sudah lama terbuka, jadi kami perlu memeriksanya lagi. "
                       "Jawaban Anda masih ada di bawah. Silakan tekan Kirim sekali lagi.",
        "thanks.title": "Terima kasih",
        "thanks.body": "Jawaban Anda sudah kami terima. Pendapat Anda membantu {unit} "
                       "memperbaiki pelayanannya.",
        "home": "Kembali ke beranda",
        "kiosk.next": "Responden berikutnya",
        "kiosk.queued": "{n} jawaban menunggu dikirim",
        "problem.403.title": "Pengiriman ditolak",
        "problem.403.body": "Jawaban hanya dapat dikirim dari halaman survei ini. Buka kembali "
                            "tautan atau kode QR survei, lalu isi dari sana.",
        "problem.404.title": "Survei tidak ditemukan",
        "problem.404.body": "Tautan atau kode QR ini tidak dikenal. Periksa kembali alamatnya, "
                            "atau tanyakan kepada petugas layanan.",
        "problem.410.title": "Survei ditutup",
        "problem.410.body": "Mohon maaf, survei ini sudah ditutup dan tidak menerima jawaban "
                            "lagi. Terima kasih atas kesediaan Anda.",
        "problem.415.title": "Format data tidak didukung",
        "problem.415.body": "Jawaban hanya dapat dikirim melalui formulir di halaman survei.",
        "invitation.used.title": "Kode survei sudah dipakai",
        "invitation.used.body": "Kode survei ini sudah dipakai untuk menjawab, dan setiap kode "
                                "hanya dapat dipakai satu kali. Terima kasih atas kesediaan Anda.",
        "invitation.expired.title": "Kode survei sudah tidak berlaku",
        "invitation.expired.body": "Mohon maaf, masa berlaku kode survei ini sudah habis. "
                                   "Jika Anda masih ingin memberi pendapat, mintalah kode baru "
                                   "kepada petugas layanan.",
        "invitation.unknown.title": "Kode survei tidak dikenal",
        "invitation.unknown.body": "Kode survei ini tidak kami kenal. Periksa kembali kode pada "
                                   "lembar atau tiket Anda, lalu ketik ulang di beranda.",
    },
    "en": {
        "tagline": "Public Satisfaction Survey",
        "skip": "Skip to content",
        "switch": "Bahasa Indonesia",
        "form.title": "Public Satisfaction Survey",
        "form.intro": "Help us improve this service. There are {count} short questions, "
                      "about 2 minutes. You do not need to give your name.",
        "form.required": "Questions 1–{count} need an answer. Your details and suggestion "
                         "may be left empty.",
        "form.questions": "Your view of the service",
        "form.question": "Question {number}",
        "form.profile": "About you (optional)",
        "form.submit": "Send",
        "field.gender": "Gender",
        "field.age": "Age (years)",
        "field.education": "Highest education",
        "field.occupation": "Main occupation",
        "field.service_type": "Service you received",
        "field.service_type.hint": "For example: an electronic ID card",
        "field.suggestion": "Suggestions and feedback (optional)",
        "field.choose": "— Choose —",
        "field.honeypot": "Leave this field empty",
        "error.title": "Error",
        "error.summary": "Some answers need your attention",
        "error.answer_required": "Choose one answer to this question.",
        "error.answer_invalid": "Choose one of the answers offered.",
        "error.choice_invalid": "Choose one of the options offered.",
        "error.age": "Enter your age in years, as a number from {min} to {max}.",
        "error.too_long": "Too long: at most {max} characters.",
        "error.stale": "This page has been open for a long time, so we need to check it again. "
                       "Your answers are still below. Please press Send once more.",
        "thanks.title": "Thank you",
        "thanks.body": "We have received your answers. Your view helps {unit} improve "
                       "its service.",
        "home": "Back to the home page",
        "kiosk.next": "Next respondent",
        "kiosk.queued": "Answers waiting to be sent: {n}",
        "problem.403.title": "Submission refused",
        "problem.403.body": "Answers can only be sent from this survey's own page. Open the "
                            "survey link or QR code again and fill it in there.",
        "problem.404.title": "Survey not found",
        "problem.404.body": "This link or QR code is not known. Check the address, or ask "
                            "the service staff.",
        "problem.410.title": "Survey closed",
        "problem.410.body": "Sorry, this survey is closed and no longer accepts answers. "
                            "Thank you for your willingness.",
        "problem.415.title": "Data format not supported",
        "problem.415.body": "Answers can only be sent with the form on the survey page.",
        "invitation.used.title": "Survey code already used",
        "invitation.used.body": "This survey code has already been used to answer, and each "
                                "code can be used only once. Thank you for your willingness.",
        "invitation.expired.title": "Survey code no longer valid",
        "invitation.expired.body": "Sorry, this survey code has expired. If you would still "
                                   "like to give your view, ask the service staff for a new code.",
        "invitation.unknown.title": "Survey code not known",
        "invitation.unknown.body": "We do not know this survey code. Check the code on your "
                                   "slip or ticket, then type it again on the home page.",
    },
}
# The staff pages of the inbox and the follow-up plans keep their strings in their own table.
STRINGS = {locale: {**CITIZEN_STRINGS[locale], **INBOX_STRINGS[locale], **RESULTS_STRINGS[locale]}
           for locale in LOCALES}


def translate(locale: str, key: str, **values) -> str:
    """Return the string of a key in a locale, with its {placeholders} filled in."""
    text = STRINGS[locale][key]
    return text.format(**values) if values else text


def current_locale() -> str:
    """Return the locale of the current request (Indonesian outside a request)."""
    return g.get("locale", DEFAULT_LOCALE)


def t(key: str, **values) -> str:
    """Return the string of a key in the current request's locale."""
    return translate(current_locale(), key, **values)


def locale_args() -> dict:
    """Return the `lang` URL argument to carry a chosen locale, for browsers without cookies."""
    return {"lang": current_locale()} if g.get("locale_chosen") else {}


def choose_locale(incoming: Request) -> tuple[str, bool]:
    """Return a request's locale and whether the person chose it (link or cookie)."""
    for chosen in (incoming.args.get("lang"), incoming.cookies.get(COOKIE)):
        if chosen in LOCALES:
            return chosen, True
    return incoming.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE), False


def pin_locale() -> None:
    """Use this page's ?lang= or else Indonesian, remembered nowhere: for a shared kiosk."""
    chosen = request.args.get("lang")
    g.locale, g.locale_chosen = (chosen, True) if chosen in LOCALES else (DEFAULT_LOCALE, False)
    g.locale_pinned = True


def _select_locale() -> None:
    g.locale, g.locale_chosen = choose_locale(request)


def _remember_locale(response: Response) -> Response:
    """Keep a locale picked by link in a cookie; pages then vary by language headers."""
    chosen = request.args.get("lang")
    if chosen in LOCALES and request.cookies.get(COOKIE) != chosen and not g.get("locale_pinned"):
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    if response.mimetype == "text/html":
        # Vary on Cookie only when a language cookie decided the page: the device cookie set
        # on a first visit must not stop the browser's back button from using its copy.
        response.vary.add("Accept-Language")
        if COOKIE in request.cookies:
            response.vary.add("Cookie")
    return response


def _template_globals() -> dict:
    return {"t": t, "translate": translate, "locale": current_locale()}


def init_app(app: Flask) -> None:
    """Pick a locale for every request and offer `t`, `translate` and `locale` to templates."""
    app.before_request(_select_locale)
    app.after_request(_remember_locale)
    app.context_processor(_template_globals)
