"""Agencies and officials' roles: canonical names and the ways texts write them."""

from __future__ import annotations

AGENCIES: dict[str, tuple[str, ...]] = {
    "KPU": (
        "KPU",
        "KPUD",
        "Komisi Pemilihan Umum",
        "Komisi Pemilihan Umum Daerah",
        "KIP",
        "Komisi Independen Pemilihan",
    ),
    "Bawaslu": (
        "Bawaslu",
        "Badan Pengawas Pemilu",
        "Badan Pengawas Pemilihan Umum",
        "Panwaslih",
    ),
    "Panwascam": (
        "Panwascam",
        "Panwaslu Kecamatan",
        "Panwas Kecamatan",
        "Panitia Pengawas Kecamatan",
        "Panitia Pengawas Pemilihan Kecamatan",
        "Pengawas Pemilu Kecamatan",
    ),
    "PKD": (
        "PKD",
        "Pengawas Kelurahan Desa",
        "Pengawas Desa",
        "Pengawas Pemilu Kelurahan Desa",
        "Panwaslu Kelurahan Desa",
        "Panwaslu Desa",
        "Panwas Desa",
    ),
    "PTPS": ("PTPS", "Pengawas TPS", "Pengawas Tempat Pemungutan Suara"),
    "Polres": (
        "Polres",
        "Polresta",
        "Polrestabes",
        "Kepolisian Resor",
        "Kepolisian Resort",
        "Kepolisian Resor Kota",
        "Kapolres",
        "Kapolresta",
    ),
    "Polda": ("Polda", "Kepolisian Daerah", "Kapolda"),
    "Polsek": ("Polsek", "Kepolisian Sektor", "Kapolsek"),
    "Brimob": ("Brimob", "Brigade Mobil", "Satbrimob", "Korps Brimob"),
    "Kodim": ("Kodim", "Komando Distrik Militer"),
    "Dandim": ("Dandim", "Komandan Kodim", "Komandan Distrik Militer"),
    "Korem": ("Korem", "Komando Resor Militer", "Danrem"),
    "Koramil": ("Koramil", "Komando Rayon Militer", "Danramil"),
    "Kodam": ("Kodam", "Komando Daerah Militer", "Pangdam"),
    "Kesbangpol": (
        "Kesbangpol",
        "Bakesbangpol",
        "Kesbangpol Linmas",
        "Badan Kesatuan Bangsa dan Politik",
        "Kesatuan Bangsa dan Politik",
    ),
    "Diskominfo": (
        "Diskominfo",
        "Diskominfotik",
        "Kominfo",
        "Komdigi",
        "Dinas Komunikasi dan Informatika",
        "Kementerian Komunikasi dan Informatika",
        "Kementerian Komunikasi dan Digital",
    ),
    "Dinkes": ("Dinkes", "Dinas Kesehatan"),
    "DPRD": ("DPRD", "DPRK", "Dewan Perwakilan Rakyat Daerah"),
    "Forkopimda": (
        "Forkopimda",
        "Forkompinda",
        "Muspida",
        "Forum Koordinasi Pimpinan Daerah",
    ),
    "BKN": ("BKN", "Badan Kepegawaian Negara"),
    "KASN": ("KASN", "Komisi Aparatur Sipil Negara"),
    "DKPP": ("DKPP", "Dewan Kehormatan Penyelenggara Pemilu"),
    "Gakkumdu": ("Gakkumdu", "Sentra Gakkumdu", "Sentra Penegakan Hukum Terpadu"),
    "Satpol PP": ("Satpol PP", "SatpolPP", "Pol PP", "Satuan Polisi Pamong Praja"),
    "BPBD": ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    "Kejari": ("Kejari", "Kejaksaan Negeri"),
    "Kemendagri": ("Kemendagri", "Kementerian Dalam Negeri"),
    "Mahkamah Konstitusi": ("Mahkamah Konstitusi",),
    "Pemkab": (
        "Pemkab",
        "Pemerintah Kabupaten",
        "Pemkot",
        "Pemerintah Kota",
        "Pemda",
        "Pemerintah Daerah",
        "Setda",
        "Setdakab",
        "Setdakot",
        "Sekretariat Daerah",
        "Sekda",
        "Sekretaris Daerah",
        "Bupati",
        "Pj Bupati",
        "Pjs Bupati",
        "Plt Bupati",
        "Penjabat Bupati",
        "Wali Kota",
        "Walikota",
        "Pj Wali Kota",
        "Pjs Wali Kota",
    ),
}
"""Canonical agency name -> how texts write it (the canonical name itself included)."""

CAPITALS_ONLY = frozenset(["BKN", "KIP"])
"""Forms that count only when written in capitals: lowercase 'bkn' is slang for 'bukan'."""

OFFICE_TITLES = frozenset(["bupati", "walikota", "wali kota"])
"""Forms naming the regency government through its head, which do not when the head is a
candidate: 'calon bupati', 'pilkada wali kota' name a race, not the Pemkab."""
CANDIDACY_WORDS = frozenset(["calon", "cabup", "cawabup", "cawalkot", "bakal", "balon",
                             "pilkada", "pemilihan", "kandidat", "pilbup", "pilwalkot"])
"""Words before an office title that make it a candidacy."""

ROLES: dict[str, tuple[str, ...]] = {
    "camat": ("camat",),
    "lurah": ("lurah",),
    "kepala desa": ("kepala desa", "kades", "kepdes", "pj kades", "penjabat kepala desa"),
    "ASN": ("ASN", "aparatur sipil negara", "aparatur negara"),
    "PNS": ("PNS", "pegawai negeri sipil", "pegawai negeri"),
    "PPPK": ("PPPK", "P3K", "pegawai pemerintah dengan perjanjian kerja"),
    "honorer": ("honorer", "tenaga honorer", "pegawai honorer", "guru honorer"),
    "RT/RW": ("ketua RT", "ketua RW", "pak RT", "pak RW", "RT RW", "RW"),
    "perangkat desa": (
        "perangkat desa",
        "aparat desa",
        "aparatur desa",
        "sekdes",
        "sekretaris desa",
        "kadus",
        "kepala dusun",
    ),
    "TNI": ("TNI", "Tentara Nasional Indonesia", "Babinsa"),
    "Polri": ("Polri", "Kepolisian Negara Republik Indonesia", "Bhabinkamtibmas", "polisi"),
    "KPPS": ("KPPS", "Kelompok Penyelenggara Pemungutan Suara"),
    "PPK": ("PPK", "Panitia Pemilihan Kecamatan"),
    "PPS": ("PPS", "Panitia Pemungutan Suara"),
    "bupati": ("bupati", "wakil bupati", "wabup"),
    "wali kota": ("wali kota", "wakil wali kota", "wawali"),
    "gubernur": ("gubernur", "wakil gubernur", "wagub"),
    "kepala dinas": ("kepala dinas", "kadis"),
}
"""Canonical role -> how texts write it. 'RT 05' (RT followed by a number) is matched apart,
because a bare 'RT' in tweets is mostly 'retweet'."""
