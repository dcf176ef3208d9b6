"""What every form does to typed text before it checks it."""


def clean_text(value):
    """Strip surrounding space and NULs (PostgreSQL refuses them); make line breaks one character.

    Browsers count a line break as one character for maxlength but send CR LF: without this a
    text the browser accepted could fail the server's length check.
    """
    if not isinstance(value, str):
        return value
    return value.replace("\x00", "").replace("\r\n", "\n").strip()
