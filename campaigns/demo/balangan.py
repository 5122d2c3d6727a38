"""The Balangan demo data: schools and names that look like the regency's own.

Real school names come from DOMAIN.md; the rest are plausible. Identifiers are made up
but shaped like the real ones (NPSN 8 digits, NSM 12 digits from 131, NSPP 12 digits).
"""

# (name, kind, pesantren level, kecamatan code, identifier field, identifier)
SCHOOLS = [
    ("SMA Negeri 1 Paringin", "SMA", "", "63.11.06", "npsn", "30304501"),
    ("SMA Negeri 2 Paringin", "SMA", "", "63.11.06", "npsn", "30304502"),
    ("SMA Negeri 1 Tebing Tinggi", "SMA", "", "63.11.08", "npsn", "30304503"),
    ("SMA Negeri 1 Juai", "SMA", "", "63.11.01", "npsn", "30304504"),
    ("SMA Negeri 1 Halong", "SMA", "", "63.11.02", "npsn", "30304505"),
    ("SMA Negeri 1 Awayan", "SMA", "", "63.11.03", "npsn", "30304506"),
    ("SMA Negeri 1 Batumandi", "SMA", "", "63.11.04", "npsn", "30304507"),
    ("SMA Negeri 1 Lampihong", "SMA", "", "63.11.05", "npsn", "30304508"),
    ("SMA Negeri 1 Paringin Selatan", "SMA", "", "63.11.07", "npsn", "30304509"),
    ("SMA Negeri 2 Halong", "SMA", "", "63.11.02", "npsn", "30304510"),
    ("SMA Negeri 2 Lampihong", "SMA", "", "63.11.05", "npsn", "30304511"),
    ("SMK PP Negeri Paringin", "SMK", "", "63.11.06", "npsn", "30304521"),
    ("SMK Negeri 1 Batumandi", "SMK", "", "63.11.04", "npsn", "30304522"),
    ("SMK Negeri 1 Juai", "SMK", "", "63.11.01", "npsn", "30304523"),
    ("SLB Negeri Balangan", "SLB", "", "63.11.06", "npsn", "30304531"),
    ("MA Negeri 1 Balangan", "MA", "", "63.11.06", "nsm", "131163110001"),
    ("MA Negeri 2 Balangan", "MA", "", "63.11.05", "nsm", "131163110002"),
    ("MA Al-Falah Awayan", "MA", "", "63.11.03", "nsm", "131263110003"),
    ("MA Nurul Huda Halong", "MA", "", "63.11.02", "nsm", "131263110004"),
    ("Pondok Pesantren Darussalam Awayan", "PESANTREN", "ulya", "63.11.03", "nspp",
     "510063110001"),
    ("Pondok Pesantren Nurul Muhibbin Halong", "PESANTREN", "ulya", "63.11.02", "nspp",
     "510063110002"),
    ("Pondok Pesantren Syaraful Muhibbin Paringin", "PESANTREN", "ulya", "63.11.06", "nspp",
     "510063110003"),
    ("Pondok Pesantren Riyadhul Muhibbin Paringin Selatan", "PESANTREN", "wustha",
     "63.11.07", "nspp", "510063110004"),
    ("Pondok Pesantren Qomarul Muhibbin Batumandi", "PESANTREN", "ulya", "63.11.04", "nspp",
     "510063110005"),
    ("Pondok Pesantren Al-Ikhlas Tebing Tinggi", "PESANTREN", "wustha", "63.11.08", "nspp",
     "510063110006"),
]

# Students per school, roughly: big town schools, small village ones.
SIZE_BY_KIND = {"SMA": (60, 110), "SMK": (50, 90), "MA": (35, 70), "SLB": (8, 15),
                "PESANTREN": (25, 55)}

MALE_NAMES = [
    "Ahmad", "Muhammad", "Rahmat", "Fajar", "Rizky", "Arif", "Budi", "Dimas", "Hendra",
    "Ilham", "Irfan", "Jailani", "Khairul", "Lutfi", "Mahyuni", "Nor", "Rahmadi", "Ramadhan",
    "Saipul", "Taufik", "Wahyu", "Yusuf", "Zainal", "Abdul", "Akhmad", "Fauzan", "Gusti",
    "Hafiz", "Husin", "Iqbal", "Misran", "Noval", "Rafi", "Rusdi", "Syahrul", "Fathur",
    "Aldi", "Bayu", "Dani", "Eko",
]
FEMALE_NAMES = [
    "Siti", "Nur", "Aisyah", "Fitri", "Rahmah", "Annisa", "Dewi", "Halimah", "Intan",
    "Jamilah", "Khadijah", "Laila", "Maulida", "Nadia", "Putri", "Raudah", "Salsabila",
    "Syifa", "Wulan", "Yuliana", "Zahra", "Amalia", "Aulia", "Dina", "Fatimah", "Hikmah",
    "Lisa", "Mariana", "Norhasanah", "Rina", "Rusmini", "Sarah", "Sri", "Nabila", "Hayati",
    "Elma", "Gina", "Mawaddah", "Nurul", "Vina",
]
# Second names by sex: many Banjar second names are given names, not family names.
MALE_SECOND_NAMES = [
    "Rahman", "Hidayat", "Saputra", "Ramadhani", "Maulana", "Azhari", "Rizki", "Hakim",
    "Mubarak", "Anwar", "Firdaus", "Syahputra", "Noor", "Kurniawan", "Pratama", "Abdillah",
    "Rosyadi", "Yusran", "Fadillah", "Hasibuan",
]
FEMALE_SECOND_NAMES = [
    "Fitriani", "Wahyuni", "Hasanah", "Safitri", "Aprilia", "Rahmawati", "Lestari",
    "Maulidah", "Norhayati", "Sari", "Ramadhani", "Fadillah", "Azzahra", "Khairunnisa",
    "Rahmah", "Nurjannah", "Amelia", "Septiani", "Handayani", "Oktaviani",
]
BIRTH_PLACES = ["Paringin", "Halong", "Awayan", "Batumandi", "Lampihong", "Juai",
                "Tebing Tinggi", "Amuntai", "Tanjung", "Barabai", "Banjarmasin"]

# Where the students' NIKs were issued: mostly Balangan, some neighbouring regencies.
NEIGHBOUR_PREFIXES = ["630801", "630805", "630901", "630704", "640101"]

CLASSES = {"SMA": ["X", "XI", "XII"], "SMK": ["X", "XI", "XII"], "MA": ["X", "XI", "XII"],
           "SLB": ["X"], "PESANTREN": ["Ulya 1", "Ulya 2", "Ulya 3"]}
STREAMS = {"SMA": ["IPA 1", "IPA 2", "IPS 1"], "SMK": ["ATPH", "TKJ", "APHP"],
           "MA": ["IPA", "IPS", "Agama"], "SLB": ["C"], "PESANTREN": [""]}
