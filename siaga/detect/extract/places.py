"""Hand-written place facts the code list lacks: regency capitals and common short names.

Capitals (ibu kota kabupaten) of every regency of Jambi (15) and Bengkulu (17), as set by the
laws forming or renaming the regencies: UU 54/1999 (Sarolangun, Tebo, Muaro Jambi, Tanjung
Jabung Timur; Sarolangun Bangko renamed Merangin with its seat at Bangko, Bungo Tebo renamed
Bungo with its seat at Muara Bungo), UU 3/2003 (Mukomuko, Seluma, Kaur), UU 39/2003 (Lebong,
Kepahiang), UU 24/2008 (Bengkulu Tengah), and the older regencies' seats (Muara Bulian,
Kuala Tungkal, Manna, Curup, Arga Makmur); Kerinci's seat moved from Sungai Penuh to Siulak
when Sungai Penuh became a city. The seats also appear in each regency's Indonesian Wikipedia
article (infobox "Ibu kota"); this table was written from those sources, not downloaded, and the
seats are all districts or villages of the code list. Cities (kota) are their own seat and need
no entry. Muara Aman, the largest town of Lebong, is listed beside its official seat Tubei because
the press names the regency by it.
"""

from __future__ import annotations

REGENCY_CAPITALS: dict[str, tuple[str, ...]] = {
    "15.01": ("Siulak",),  # Kerinci
    "15.02": ("Bangko",),  # Merangin
    "15.03": ("Sarolangun",),  # Sarolangun
    "15.04": ("Muara Bulian",),  # Batanghari
    "15.05": ("Sengeti",),  # Muaro Jambi
    "15.06": ("Kuala Tungkal",),  # Tanjung Jabung Barat
    "15.07": ("Muara Sabak",),  # Tanjung Jabung Timur
    "15.08": ("Muara Bungo",),  # Bungo
    "15.09": ("Muara Tebo",),  # Tebo
    "17.01": ("Manna",),  # Bengkulu Selatan
    "17.02": ("Curup",),  # Rejang Lebong
    "17.03": ("Arga Makmur",),  # Bengkulu Utara
    "17.04": ("Bintuhan",),  # Kaur
    "17.05": ("Tais",),  # Seluma
    "17.06": ("Mukomuko",),  # Mukomuko (the town is the district Kota Mukomuko)
    "17.07": ("Tubei", "Muara Aman"),  # Lebong
    "17.08": ("Kepahiang",),  # Kepahiang
    "17.09": ("Karang Tinggi",),  # Bengkulu Tengah
}
"""Regency code -> the names of its seat of government."""

SHORT_NAMES: dict[str, tuple[str, ...]] = {
    # Provinces: the short forms used by the press and on social media.
    "11": ("NAD", "Nanggroe Aceh Darussalam"),
    "12": ("Sumut",),
    "13": ("Sumbar",),
    "16": ("Sumsel",),
    "19": ("Babel", "Bangka Belitung"),
    "21": ("Kepri",),
    "31": ("DKI", "Jakarta", "DKI Jakarta"),
    "32": ("Jabar",),
    "33": ("Jateng",),
    "34": ("DIY", "Jogja", "Yogya", "Jogjakarta", "DI Yogyakarta"),
    "35": ("Jatim",),
    "52": ("NTB",),
    "53": ("NTT",),
    "61": ("Kalbar",),
    "62": ("Kalteng",),
    "63": ("Kalsel",),
    "64": ("Kaltim",),
    "65": ("Kaltara",),
    "71": ("Sulut",),
    "72": ("Sulteng",),
    "73": ("Sulsel",),
    "74": ("Sultra",),
    "76": ("Sulbar",),
    "82": ("Malut",),
    "92": ("Pabar",),
    "96": ("PBD",),
    # Regencies and cities of Jambi and Bengkulu, and Jakarta's cities.
    "15.04": ("Batang Hari",),
    "15.05": ("Muara Jambi", "Marojambi"),
    "15.06": ("Tanjabbar", "Tanjab Barat"),
    "15.07": ("Tanjabtim", "Tanjab Timur"),
    "15.72": ("Sungaipenuh",),
    "17.02": ("Rejang",),
    "17.03": ("Bengkulu Utara",),
    "17.06": ("Muko Muko", "Mukomuko"),
    "17.09": ("Benteng",),
    "31.71": ("Jakpus",),
    "31.72": ("Jakut",),
    "31.73": ("Jakbar",),
    "31.74": ("Jaksel",),
    "31.75": ("Jaktim",),
    "33.72": ("Solo",),  # Kota Surakarta
}
"""Region code -> other names and abbreviations it is known by."""

NOT_PLACES: tuple[tuple[str, ...], ...] = (
    ("metro", "tv"),  # a television channel, not Kota Metro
    ("metrotv",),
    ("metro", "jaya"),  # Polda Metro Jaya: Jakarta's police, not Kota Metro
    ("solo", "karier"),
    ("solo", "karir"),
)
"""Word sequences that begin with a place name but name something else; a place name starting
one of them is ignored."""

NOT_PLACES_LOWERCASE: tuple[tuple[str, ...], ...] = (("batu", "bara"),)
"""Likewise, but only when written in lowercase: 'batu bara' is coal, 'Batu Bara' a regency."""

AMBIGUOUS_PLACE_NAMES: tuple[str, ...] = (
    "serang",  # Kota/Kabupaten Serang; 'saling serang', 'serang balik' (to attack)
    "agam",  # Kabupaten Agam; Minang 'agam' (a young man)
    "bungo",  # Kabupaten Bungo; Minang 'bungo' (a flower)
    "batu",  # Kota Batu; a stone
    "benteng",  # Bengkulu Tengah's short name; a fortress
    "solo",  # Surakarta; alone, a solo
    "buru",  # Kabupaten Buru; to hunt ('berburu'), in a hurry ('terburu-buru')
)
"""Province and regency names (or short names) that are also ordinary words, beside those
found from the data (`ordinary.ambiguous_names`): the regional words and verbs the news text
at hand is too small to show. They count as places only with place context."""

PLACE_CUES = frozenset([
    "ke", "dari", "warga", "wilayah", "daerah", "kawasan", "asal", "penduduk", "masyarakat",
    "rakyat", "kabupaten", "kota", "kecamatan", "desa", "kelurahan", "provinsi", "pemkab",
    "pemkot", "pemprov", "bupati", "walikota", "gubernur", "sekda", "setda", "pj", "pjs", "plt",
    "kapolres", "polres", "polresta", "kapolresta", "kodim", "dandim", "kpu", "kpud", "bawaslu",
    "dprd", "kejari", "pilkada", "pilbup", "pilwalkot", "pilgub", "se"
])  # fmt: skip
"""Words after which an ambiguous place name ('Serang', 'batu') is a place: a preposition of
place, an inhabitant, a kind of region, a regional office or race. 'di' counts only before a
capitalised name: 'di serang' is mostly the passive 'diserang' (attacked) written apart."""
