"""PDF and spreadsheet builders of SUARA's reports, fed by the plain data of `data`."""
