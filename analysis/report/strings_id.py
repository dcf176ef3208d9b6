"""Bahasa Indonesia texts of the reports (the default language of a Laporan Hasil SKM)."""

STRINGS = {
    "unit.title": "LAPORAN HASIL\nSURVEI KEPUASAN MASYARAKAT",
    "scope.title": "LAPORAN AGREGAT\nSURVEI KEPUASAN MASYARAKAT",
    "subtitle": "Survei Kepuasan Masyarakat (SKM) menurut PermenPANRB Nomor 14 Tahun 2017",
    "cover.period": "Periode {period}\n{start} s.d. {end}",
    "cover.prepared": "Disusun dengan SUARA pada {date}",
    "cover.source": "Sumber data: {server} (angka ringkasan)",
    "cover.index": "IKM {konversi} · mutu {grade} ({label})",
    "no_data": "Belum ada jawaban pada periode ini.",
    "page": "Halaman {page} dari {nb}",
    "foot": "SKM · PermenPANRB 14/2017 · SUARA",
    "to": "s.d.",
    "respondents": "responden",
    "not_answered": "Tidak diisi",
    "total": "Jumlah",
    # Front matter
    "approval": "Lembar Pengesahan",
    "approval.title": "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT",
    "approval.period": "Periode {period}",
    "approval.approved": "Mengetahui/Menyetujui,",
    "approval.place": "{place}, {date}",
    "approval.nip": "NIP. {nip}",
    "approval.position": "Kepala {unit}",
    "foreword": "Kata Pengantar",
    "foreword.default": (
        "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya Laporan "
        "Hasil Survei Kepuasan Masyarakat {unit} periode {period}.\n\n"
        "Survei ini dilaksanakan sesuai Peraturan Menteri Pendayagunaan Aparatur Negara dan "
        "Reformasi Birokrasi Nomor 14 Tahun 2017 untuk mengetahui tingkat kepuasan masyarakat "
        "atas pelayanan yang kami berikan. Hasilnya menjadi bahan evaluasi dan dasar rencana "
        "tindak lanjut perbaikan pelayanan.\n\n"
        "Kami mengucapkan terima kasih kepada seluruh masyarakat yang telah meluangkan waktu "
        "mengisi survei, serta kepada semua pihak yang membantu pelaksanaannya. Kritik dan "
        "saran yang membangun senantiasa kami harapkan demi pelayanan yang lebih baik."),
    "contents": "Daftar Isi",
    "contents.update": ("Daftar isi diperbarui otomatis saat dokumen dibuka "
                        "(atau tekan F9)."),
    # I Pendahuluan
    "s1": "I. Pendahuluan",
    "s1.background": "1.1 Latar belakang dan dasar hukum",
    "s1.background.text": (
        "Penyelenggara pelayanan publik wajib menilai kinerja pelayanannya secara berkala "
        "dengan mengukur kepuasan masyarakat, sekurang-kurangnya sekali setahun, dan "
        "mempublikasikan hasilnya. Survei Kepuasan Masyarakat (SKM) menghimpun pendapat "
        "penerima layanan atas sembilan unsur pelayanan; hasilnya dinyatakan sebagai Indeks "
        "Kepuasan Masyarakat (IKM). Dasar hukumnya:"),
    "s1.basis": (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
        "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 "
        "Tahun 2009 tentang Pelayanan Publik;",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 "
        "Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara "
        "Pelayanan Publik."),
    "s1.purpose": "1.2 Maksud dan tujuan",
    "s1.purpose.items": (
        "mengukur tingkat kepuasan masyarakat terhadap pelayanan {unit} pada {period};",
        "mengetahui unsur pelayanan yang paling kuat dan yang paling perlu diperbaiki;",
        "menjadi dasar rencana tindak lanjut perbaikan pelayanan;",
        "memenuhi kewajiban mempublikasikan hasil survei kepada masyarakat."),
    # II Metode
    "s2": "II. Metode",
    "s2.sample": "2.1 Populasi dan sampel",
    "s2.population": ("Populasi survei adalah penerima layanan {unit} pada periode ini: "
                      "{population} layanan menurut catatan unit."),
    "s2.no_population": ("Jumlah layanan (populasi) periode ini belum dicatat, sehingga "
                         "ukuran sampel dihitung untuk populasi sangat besar."),
    "s2.required": ("Ukuran sampel minimal menurut Krejcie dan Morgan (tingkat kepercayaan "
                    "95 %, galat 5 %) adalah {required} responden. Terkumpul {achieved} "
                    "responden, sehingga sampel {verdict}; margin kesalahan yang "
                    "tercapai ± {moe}. Tidak ada respons yang dibuang untuk menyesuaikan ukuran "
                    "sampel."),
    "adequate": "memadai",
    "inadequate": "belum memadai",
    "s2.time": "2.2 Waktu dan saluran pengumpulan",
    "s2.dates": ("Periode survei {start} s.d. {end}. Respons pertama diterima {first}, "
                 "respons terakhir {last} ({zone}). Jumlah responden per saluran:"),
    "s2.no_dates": "Periode survei {start} s.d. {end}. Belum ada respons yang diterima.",
    "s2.invitations": ("Undangan survei (kode atau tautan sekali pakai): {issued} undangan "
                       "diterbitkan pada periode ini, {answered} di antaranya dijawab, sehingga "
                       "tingkat jawaban {rate} (selang kepercayaan 95 % metode Wilson: {low} – "
                       "{high}). Undangan dihitung menurut tanggal terbitnya, kapan pun "
                       "dijawab."),
    "s2.no_invitations": ("Pada periode ini tidak digunakan undangan survei (kode atau tautan "
                          "sekali pakai); semua responden mengisi melalui saluran terbuka atau "
                          "entri petugas."),
    "channel": "Saluran",
    "share": "Persentase",
    "s2.instrument": "2.3 Kuesioner",
    "s2.instrument.text": (
        "Kuesioner memuat sembilan unsur pelayanan PermenPANRB 14/2017, masing-masing dengan "
        "empat pilihan jawaban bernilai 1 (terburuk) sampai 4 (terbaik). Jawaban disimpan dan "
        "dihitung menurut kode unsur, bukan urutan pertanyaan. Pertanyaan lengkap ada di "
        "Lampiran A."),
    "s2.processing": "2.4 Pengolahan data",
    "s2.formulas": (
        "NRR per unsur = jumlah nilai unsur ÷ jumlah jawaban unsur",
        "NRR tertimbang per unsur = NRR × bobot (nilai penimbang)",
        "IKM = Σ NRR tertimbang (skala 1–4); IKM konversi = IKM × 25 (skala 25–100)"),
    "s2.weight": ("Bobot yang dipakai: {weight}. NRR tidak dibulatkan sebelum dikalikan; "
                  "hanya angka yang dicetak yang dibulatkan (setengah ke atas), dan mutu "
                  "pelayanan ditentukan dari IKM konversi yang dibulatkan dua desimal."),
    "weight.exact": "1/9 tepat, tanpa pembulatan (rumus PermenPANRB 14/2017)",
    "weight.w0111": "0,111 (dibulatkan tiga desimal seperti contoh dalam PermenPANRB 14/2017)",
    "weight.w011": "0,11 (dibulatkan dua desimal seperti banyak lembar kerja lama)",
    "s2.unit_method": (
        "Semua respons unit pada periode ini dihitung bersama. Respons yang ditandai "
        "mencurigakan tetap dihitung, kecuali dikeluarkan petugas setelah pemeriksaan. "
        "Selang kepercayaan 95 % dihitung dengan distribusi t atas rata-rata skor setiap "
        "responden."),
    "s2.grades": "Mutu pelayanan ditetapkan menurut tabel PermenPANRB 14/2017:",
    "grade.headings": ("Nilai interval (1–4)", "Nilai konversi (25–100)", "Mutu pelayanan",
                       "Kinerja unit"),
    # III Hasil
    "s3": "III. Hasil",
    "s3.profile": "3.1 Profil responden",
    "gender": "Jenis kelamin",
    "age": "Umur (tahun)",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
    "s3.elements": "3.2 Nilai per unsur",
    "element.headings": ("Kode", "Unsur", "NRR", "NRR tertimbang", "Konversi", "Mutu"),
    "ikm.row": "IKM (Σ NRR tertimbang)",
    "konversi.row": "IKM konversi (IKM × 25)",
    "s3.index": "3.3 Indeks Kepuasan Masyarakat",
    "index.text": ("IKM {name} pada {period} adalah {konversi} (skala 25–100; {ikm} pada "
                   "skala 1–4) dengan mutu pelayanan {grade} ({label}), dari {n} responden."),
    "ci.text": ("Selang kepercayaan 95 %: {low} – {high} (± {margin}): dengan tingkat "
                "kepercayaan 95 %, nilai sebenarnya terletak dalam rentang ini."),
    # IV Analisis
    "s4": "IV. Analisis",
    "s4.rank": "4.1 Unsur terkuat dan terlemah",
    "strongest": "Unsur terkuat",
    "weakest": "Unsur terlemah",
    "element.item": "{code} {name}: NRR {nrr}, konversi {konversi}, mutu {grade}",
    "s4.answers": "4.2 Sebaran jawaban per unsur",
    "s4.answers.text": ("Persentase jawaban 1 sampai 4 per unsur; jumlah jawaban per nilai "
                        "ada di Lampiran B."),
    "s4.trend": "4.3 Perkembangan antarperiode",
    "trend.headings": ("Periode", "Responden", "IKM", "Mutu", "SK 95 %", "Perubahan"),
    "trend.none": "Belum ada periode lain dengan data untuk dibandingkan.",
    "s4.rtl": "4.4 Rencana tindak lanjut",
    "rtl.text": (
        "SUARA belum mencatat rencana tindak lanjut untuk periode ini. Tabel berikut "
        "memuat tiga unsur dengan nilai terendah sebagai prioritas perbaikan; isikan "
        "rencana, waktu dan penanggung jawab, lalu publikasikan bersama hasil survei."),
    "rtl.headings": ("Unsur", "Rencana tindak lanjut", "Waktu", "Penanggung jawab"),
    "rtl.recorded": "Rencana tindak lanjut yang dicatat unit untuk hasil periode ini:",
    "rtl.recorded.headings": ("Unsur", "Rencana tindak lanjut", "Batas waktu",
                              "Penanggung jawab", "Status"),
    "rtl.previous": ("Tindak lanjut hasil {period}: NRR unsur yang ditindaklanjuti sebelum "
                     "dan sesudahnya, dengan perubahan pada skala konversi (uji t Welch, "
                     "signifikan bila p < 0,05)."),
    "rtl.previous.headings": ("Unsur", "Tindakan", "Status", "NRR awal", "NRR akhir",
                              "Selisih", "Uji"),
    # V Kesimpulan
    "s5": "V. Kesimpulan",
    # Lampiran
    "appendix.a": "Lampiran A. Kuesioner",
    "appendix.a.profile": ("Data responden yang ditanyakan (boleh dikosongkan): jenis kelamin, "
                           "umur, pendidikan terakhir, pekerjaan utama dan jenis layanan yang "
                           "diterima, serta saran dan masukan."),
    "appendix.b": "Lampiran B. Sebaran jawaban",
    "answers.headings": ("Unsur", "1", "2", "3", "4", "Jumlah", "NRR"),
    # Kesimpulan
    "c.index": ("IKM {name} pada {period} adalah {konversi}, mutu pelayanan {grade} "
                "({label}), dari {n} responden."),
    "c.ci": "Dengan tingkat kepercayaan 95 %, nilai sebenarnya terletak antara {low} dan {high}.",
    "c.sample": ("Jumlah responden {verdict} menurut Krejcie dan Morgan (minimal {required} "
                 "responden)."),
    "c.strongest": "Unsur terkuat adalah {element} (NRR {nrr}, mutu {grade}).",
    "c.weakest": ("Unsur terlemah adalah {element} (NRR {nrr}, mutu {grade}); bersama {others} "
                  "unsur ini menjadi prioritas rencana tindak lanjut."),
    "c.below_b": "{count} unsur bermutu di bawah B: {elements}.",
    "c.all_b": "Semua unsur bermutu sekurang-kurangnya B.",
    "and": "dan",
    "c.change_sig": ("Dibandingkan {previous}, IKM {direction} {difference} poin; perubahan ini "
                     "signifikan secara statistik (uji t Welch, p = {p})."),
    "c.change_ns": ("Dibandingkan {previous}, IKM {direction} {difference} poin, tetapi "
                    "perubahan ini tidak signifikan secara statistik (uji t Welch, p = {p})."),
    "c.change_flat": "IKM sama dengan {previous}.",
    "provisional": "sementara",
    "provisional.text": ("Angka sementara: baru {n} responden, kurang dari minimal {minimum}. "
                         "Mutu pelayanan belum ditetapkan dan perubahan antarperiode tidak diuji."),
    "untested": "tidak diuji",
    "c.change_untested": ("Dibandingkan {previous}, IKM {direction} {difference} poin; perubahan "
                          "ini tidak diuji karena salah satu periode bernilai sementara atau "
                          "jawabannya tidak bervariasi."),
    "s2.interval": (
        "Selang kepercayaan 95 % dihitung dari rata-rata jawaban tiap responden dengan metode t "
        "yang ditambah satu responden semu bernilai 1 dan satu bernilai 4 (ujung skala), "
        "mengikuti gagasan Agresti & Coull (1998) dan Agresti & Caffo (2000), dengan nilai "
        "kritis t pada derajat bebas n − 1 dan batas dipotong ke skala 25–100. Cara ini tetap "
        "sahih untuk sampel kecil: jawaban yang semuanya sama tidak menghasilkan selang nol. "
        "Untuk sampel besar hasilnya mendekati selang t biasa. Angka dari kurang dari {minimum} "
        "responden dinyatakan sementara: tanpa mutu pelayanan dan tanpa uji perubahan. Batas ini "
        "hanya syarat minimal untuk menampilkan mutu; kecukupan sampel tetap dinilai dengan "
        "Krejcie & Morgan."),
    "up": "naik",
    "down": "turun",
    "c.trend": ("Selama {count} {kind} terakhir IKM cenderung {direction} {slope} poin per "
                "{kind} (Theil–Sen); tren ini {verdict} (Kendall τ = {tau}, p = {p})."),
    "significant": "signifikan",
    "not_significant": "tidak signifikan",
    "c.no_data": "Belum ada respons pada periode ini, sehingga IKM belum dapat dihitung.",
    "kind.semester": "semester",
    "kind.quarter": "triwulan",
    "kind.month": "bulan",
    "kind.year": "tahun",
    # Aggregate report
    "scope.s1": "1. Ringkasan",
    "scope.summary": ("IKM {name} pada {period} adalah {konversi} (mutu {grade}, {label}), "
                      "dari {n} responden di {units} unit layanan."),
    "scope.method": "Metode agregasi: {method}",
    "method.pooled": (
        "gabungan seluruh responden (pooled): rumus PermenPANRB 14/2017 diterapkan pada semua "
        "responden semua unit sekaligus, sehingga unit dengan lebih banyak responden berbobot "
        "lebih besar. Selang kepercayaan dihitung atas rata-rata skor setiap responden."),
    "method.mean_of_units": (
        "rata-rata indeks unit: IKM setiap unit dihitung lebih dulu lalu dirata-ratakan, "
        "sehingga setiap unit dihitung sekali berapa pun respondennya. Selang kepercayaan "
        "dihitung dari sebaran indeks antarunit."),
    "method.exact": ("Keduanya dihitung dari jumlah nilai dan jumlah jawaban, tidak pernah dari "
                     "angka unit yang sudah dibulatkan."),
    "scope.s2": "2. Peringkat {level}",
    "rank.headings": ("#", "Nama", "IKM", "Mutu", "SK 95 %", "Responden", "Unit"),
    "scope.s3": "3. Sebaran mutu unit layanan",
    "grades.text": "Jumlah unit layanan per mutu pelayanan (setiap unit dengan IKM-nya sendiri):",
    "grade.count.headings": ("Mutu", "Kinerja", "Unit", "Persentase"),
    "scope.s4": "4. Nilai per unsur",
    "scope.s5": "5. IKM {level} per semester",
    "scope.s6": "6. Perkembangan",
    "scope.s7": "7. Metode",
    "scope.units": "Lampiran. Peringkat seluruh unit layanan",
    "scope.units_cut": ("Hanya {shown} dari {total} unit yang dicetak; unduh ekspor XLSX "
                        "untuk daftar lengkap."),
    "level.province": "provinsi",
    "level.regency": "kabupaten/kota",
    "level.unit": "unit layanan",
    "level.agency": "instansi",
    "level.none": "keseluruhan",
    "s2.basis": ("Dasar angka: {stored} jawaban tersimpan pada periode ini, {counted} "
                 "dihitung dalam indeks dan {excluded} dikeluarkan setelah ditinjau. Jawaban "
                 "bertanda tetap dihitung sampai usulan pengeluarannya disetujui akun tingkat "
                 "di atas unit."),
    "basis.item": "Uraian",
    "basis.stored": "Jawaban tersimpan",
    "basis.counted": "Dihitung dalam indeks",
    "basis.staff": "Entri petugas (kertas dan wawancara)",
    "basis.kiosk": "Dari kios terdaftar ({kiosks} kios)",
    "basis.flagged": "Bertanda, tetap dihitung ({waiting} menunggu keputusan)",
    "basis.excluded": "Dikeluarkan dari indeks",
    "basis.reason": "  alasan: {reason}",
    "basis.proposals": "Usulan pengeluaran menunggu persetujuan",
    "reason.duplicate": "duplikat",
    "reason.test_entry": "entri uji coba",
    "reason.out_of_service": "di luar layanan",
    "reason.scripted": "terskrip/otomatis",
    "reason.none": "tanpa alasan tercatat",
}
