"""Controlled vocabularies of a response: channels and the respondent profile.

Profile categories follow the sample questionnaire of PermenPANRB 14/2017.
Each vocabulary maps a stored code to its Indonesian and English labels.
"""

CHANNELS = ("qr", "link", "kiosk", "paper", "interview", "sms")

GENDERS = {"L": ("Laki-laki", "Male"), "P": ("Perempuan", "Female")}

EDUCATIONS = {
    "SD": ("SD ke bawah", "Primary school or less"),
    "SMP": ("SMP", "Junior high school"),
    "SMA": ("SMA/SMK", "Senior high school"),
    "D1-D3": ("D1–D3", "Diploma (D1–D3)"),
    "D4-S1": ("D4/S1", "Bachelor (D4/S1)"),
    "S2": ("S2", "Master (S2)"),
    "S3": ("S3", "Doctorate (S3)"),
}

OCCUPATIONS = {
    "PNS": ("PNS", "Civil servant"),
    "TNI": ("TNI", "Armed forces"),
    "POLRI": ("POLRI", "Police"),
    "SWASTA": ("Pegawai swasta", "Private employee"),
    "WIRAUSAHA": ("Wirausaha", "Self-employed"),
    "LAINNYA": ("Lainnya", "Other"),
}

AGE_MIN, AGE_MAX = 10, 120

# Spellings found on typed-in paper forms, mapped to the stored code.
ALIASES = {
    "gender": {"laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L",
               "perempuan": "P", "wanita": "P", "f": "P"},
    "education": {"sd": "SD", "smp": "SMP", "sltp": "SMP", "sma": "SMA", "smk": "SMA",
                  "slta": "SMA", "sma/smk": "SMA", "d1": "D1-D3", "d2": "D1-D3",
                  "d3": "D1-D3", "d1-d3": "D1-D3", "d4": "D4-S1", "s1": "D4-S1",
                  "d4/s1": "D4-S1", "d4-s1": "D4-S1"},
    "occupation": {"pns": "PNS", "asn": "PNS", "tni": "TNI", "polri": "POLRI",
                   "swasta": "SWASTA", "pegawai swasta": "SWASTA",
                   "wirausaha": "WIRAUSAHA", "wiraswasta": "WIRAUSAHA",
                   "lainnya": "LAINNYA",
                   # Frequent on paper forms; the regulation's sample list has no own code.
                   "pelajar": "LAINNYA", "mahasiswa": "LAINNYA", "pelajar/mahasiswa": "LAINNYA",
                   "irt": "LAINNYA", "ibu rumah tangga": "LAINNYA", "petani": "LAINNYA",
                   "nelayan": "LAINNYA", "buruh": "LAINNYA", "pensiunan": "LAINNYA"},
}

VOCABULARIES = {"gender": GENDERS, "education": EDUCATIONS, "occupation": OCCUPATIONS}


def normalise(field: str, raw: str) -> str | None:
    """Return the stored code for a typed value of a profile field, or None if unknown."""
    text = " ".join(raw.strip().split())
    if text.upper() in VOCABULARIES[field]:
        return text.upper()
    return ALIASES[field].get(text.lower())
