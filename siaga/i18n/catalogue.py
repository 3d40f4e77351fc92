"""Every code a user may read, named in Bahasa Indonesia and English, by domain.

One table so the dashboard, the briefing and the API's labels agree; `tests/test_i18n.py` checks
that each enum of the domain has a name here for every value.
"""

from __future__ import annotations

Names = tuple[str, str]  # (Bahasa Indonesia, English)

CATALOGUE: dict[str, dict[str, Names]] = {
    "case_status": {
        "open": ("Baru dibuka", "Opened"), "in_progress": ("Sedang ditangani", "In progress"),
        "submitted": ("Diajukan ke platform", "Submitted to the platform"),
        "taken_down": ("Sudah diturunkan", "Taken down"),
        "refused": ("Ditolak platform", "Refused"),
        "resolved": ("Selesai ditangani", "Resolved"), "reported": ("Dilaporkan", "Reported"),
        "checking": ("Pemeriksaan awal", "Checking"), "verifying": ("Verifikasi", "Verifying"),
        "recommendation": ("Rekomendasi terbit", "Recommendation issued"),
        "sanction_monitoring": ("Pemantauan sanksi", "Sanction monitoring"),
        "closed": ("Ditutup", "Closed"), "dismissed": ("Tidak ditindaklanjuti", "Dismissed"),
    },
    "case_type": {
        "content_takedown": ("Penurunan konten", "Content takedown"),
        "asn_neutrality": ("Netralitas ASN", "Civil-servant neutrality"),
        "money_politics": ("Politik uang", "Money politics"), "security": ("Keamanan", "Security"),
        "logistics": ("Logistik pemilihan", "Election logistics"),
        "health": ("Kesehatan", "Health"), "other": ("Lainnya", "Other"),
    },
    "report_status": {
        "new": ("Diterima, belum diperiksa", "Received, not yet checked"),
        "verifying": ("Sedang diverifikasi", "Being verified"),
        "verified": ("Terverifikasi", "Verified"), "rejected": ("Ditolak", "Rejected"),
        "duplicate": ("Sama dengan laporan lain", "Duplicate of another report"),
    },
    "channel": {
        "public": ("Warga", "Public"), "field_form": ("Formulir petugas", "Field form"),
        "sms": ("SMS", "SMS"), "analyst": ("Analis", "Analyst"), "api": ("API", "API"),
        "csv": ("Berkas CSV", "CSV file"),
    },
    "category": {
        "money_politics": ("Politik uang", "Money politics"),
        "asn_neutrality": ("Netralitas ASN", "Civil-servant neutrality"),
        "hate_sara": ("SARA", "Hate speech (SARA)"), "hoax": ("Hoaks", "Hoax"),
        "black_campaign": ("Kampanye hitam", "Smear campaign"),
        "violence_intimidation": ("Kekerasan/intimidasi", "Violence/intimidation"),
        "mass_mobilization": ("Pengerahan massa", "Mass mobilisation"),
        "logistics_admin": ("Logistik/administrasi", "Logistics/administration"),
        "disaster_health": ("Bencana/kesehatan", "Disaster/health"),
        "participation": ("Partisipasi", "Participation"),
    },
    "category_reports": {  # "8 laporan politik uang" reads better in lower case
        "money_politics": ("politik uang", "money-politics"),
        "asn_neutrality": ("netralitas ASN", "civil-servant neutrality"),
        "hate_sara": ("SARA", "hate-speech"), "hoax": ("hoaks", "hoax"),
        "black_campaign": ("kampanye hitam", "smear-campaign"),
        "violence_intimidation": ("kekerasan/intimidasi", "violence/intimidation"),
        "mass_mobilization": ("pengerahan massa", "mass-mobilisation"),
        "logistics_admin": ("logistik/administrasi", "logistics"),
        "disaster_health": ("bencana/kesehatan", "disaster/health"),
        "participation": ("partisipasi", "participation"),
    },
    "alert_status": {"open": ("Terbuka", "Open"), "closed": ("Ditutup", "Closed")},
    "warning_kind": {
        "rival_clash": ("Potensi bentrok paslon", "Possible clash of rival pairs"),
        "high_risk_area": ("Kegiatan di wilayah rawan", "Event in a vulnerable area"),
        "near_vulnerable_tps": ("Dekat TPS rawan", "Near vulnerable polling stations"),
    },
    "severity": {"high": ("Tinggi", "High"), "medium": ("Sedang", "Medium"),
                 "low": ("Rendah", "Low")},
    "risk_class": {"high": ("Rawan tinggi", "High risk"), "medium": ("Rawan sedang", "Medium risk"),
                   "low": ("Rawan rendah", "Low risk")},
    "response": {"reschedule": ("Jadwal ulang", "Reschedule"),
                 "move": ("Pindah lokasi", "Move the venue"),
                 "escort": ("Pengawalan dan pengamanan", "Escort and security")},
    "agency": {
        "pemkab": ("Pemerintah Kabupaten", "Regency government"),
        "kesbangpol": ("Badan Kesbangpol", "National-unity agency (Kesbangpol)"),
        "diskominfo": ("Diskominfo", "Communications agency (Diskominfo)"),
        "bawaslu": ("Bawaslu Kabupaten", "Election supervisory body (Bawaslu)"),
        "kpu": ("KPU Kabupaten", "Election commission (KPU)"),
        "polres": ("Polres", "District police (Polres)"),
        "kodim": ("Kodim", "Military district command (Kodim)"),
        "dinkes": ("Dinas Kesehatan", "Health agency (Dinkes)"),
        "bkpsdm": ("BKPSDM", "Civil-service agency (BKPSDM)"),
        "satpolpp": ("Satpol PP", "Civil-service police (Satpol PP)"),
    },
    "action": {
        "opened": ("Kasus dibuka", "Case opened"), "status": ("Status diubah", "Status changed"),
        "comment": ("Catatan", "Comment"), "assign": ("Penugasan", "Assignment"),
        "details": ("Rincian dicatat", "Details recorded"),
        "escalate": ("Dieskalasi ke ketua forum", "Escalated to the forum chair"),
        "evidence": ("Bukti ditambahkan", "Evidence added"),
        "pack": ("Paket penurunan dibuat", "Takedown pack built"),
        "risk_observation": ("Dicatat di indeks kerawanan", "Recorded in the risk index"),
    },
    "deadline": {
        "prepare_pack": ("Menyiapkan paket penurunan", "Prepare the takedown pack"),
        "platform_takedown": ("Penurunan oleh platform", "Takedown by the platform"),
        "handle_report": ("Penanganan laporan", "Handling of the report"),
        "sanction_follow_up": ("Tindak lanjut sanksi", "Follow-up of the sanction"),
        "respond": ("Tanggapan", "Response"),
    },
    "event_type": {
        "rally": ("Rapat umum", "Rally"), "limited_meeting": ("Pertemuan terbatas",
                                                              "Limited meeting"),
        "face_to_face": ("Tatap muka dan dialog", "Face-to-face dialogue"),
        "door_to_door": ("Blusukan", "Door to door"), "debate": ("Debat publik", "Public debate"),
        "religious": ("Kegiatan keagamaan", "Religious gathering"),
        "cultural": ("Seni, budaya, olahraga", "Culture and sport"),
        "demonstration": ("Unjuk rasa", "Demonstration"), "other": ("Lainnya", "Other"),
    },
    "permit": {
        "not_requested": ("STTP belum diajukan", "Police notice not requested"),
        "requested": ("STTP diajukan", "Police notice requested"),
        "issued": ("STTP terbit", "Police notice issued"),
        "refused": ("STTP ditolak", "Police notice refused"),
        "not_required": ("Tanpa STTP", "No police notice needed"),
    },
    "role": {
        "admin": ("Admin", "Admin"), "chair": ("Ketua forum", "Forum chair"),
        "analyst": ("Analis", "Analyst"), "agency_officer": ("Petugas instansi", "Agency officer"),
        "field_reporter": ("Pelapor lapangan", "Field reporter"), "public": ("Publik", "Public"),
    },
    "resource": {
        "medical_teams": ("tim medis", "medical teams"),
        "ambulances": ("ambulans", "ambulances"),
        "medical_posts": ("pos kesehatan", "medical posts"),
        "medical_team": ("tim medis", "medical team"), "ambulance": ("ambulans", "ambulance"),
        "medical_post": ("pos kesehatan", "medical post"), "psc119": ("PSC 119", "PSC 119"),
    },
    "level": {
        "province": ("provinsi", "provinces"), "regency": ("kabupaten/kota", "regencies"),
        "district": ("kecamatan", "districts"), "village": ("desa/kelurahan", "villages"),
        "tps": ("TPS", "polling stations"),
    },
    "source_kind": {
        "jsonl": ("Ekspor media sosial", "Social-media export"),
        "csv": ("Berkas CSV", "CSV file"), "rss": ("Berita (RSS)", "News (RSS)"),
        "sms": ("SMS lapangan", "Field SMS"), "classify": ("Teks yang diperiksa", "Checked text"),
    },
}


def label(domain: str, code: str | None, lang: str = "id") -> str:
    """Return the name of `code` in `domain` in the language ('id' or 'en').

    An unknown code comes back as it is (so nothing disappears); the catalogue test keeps the
    known ones complete.
    """
    if code is None:
        return ""
    names = CATALOGUE.get(domain, {}).get(str(code))
    if names is None:
        return str(code)
    return names[1] if lang == "en" else names[0]


def labels(domain: str, lang: str = "id") -> dict[str, str]:
    """Return code → name for every code of `domain` in the language."""
    return {code: names[1] if lang == "en" else names[0]
            for code, names in CATALOGUE[domain].items()}
