"""The nine service elements (unsur) of PermenPANRB 14/2017."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    code: str
    name_id: str
    name_en: str

    def name(self, locale: str = "id") -> str:
        """Return the element's name in the given locale."""
        return self.name_en if locale == "en" else self.name_id


ELEMENTS = (
    Element("U1", "Persyaratan", "Requirements"),
    Element("U2", "Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    Element("U3", "Waktu Penyelesaian", "Completion time"),
    Element("U4", "Biaya/Tarif", "Fees/tariffs"),
    Element("U5", "Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    Element("U6", "Kompetensi Pelaksana", "Staff competence"),
    Element("U7", "Perilaku Pelaksana", "Staff conduct"),
    Element("U8", "Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    Element("U9", "Sarana dan Prasarana", "Facilities and infrastructure"),
)
ELEMENT_CODES = tuple(element.code for element in ELEMENTS)
BY_CODE = {element.code: element for element in ELEMENTS}
