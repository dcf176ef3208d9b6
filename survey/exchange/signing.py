"""Ed25519 keys and signatures of exchange packages over a canonical serialisation: JSON
with sorted keys, no spaces, UTF-8, so that the bytes signed are the bytes verified.

`cryptography` is loaded by the functions that sign or verify (about 7 MB): the pages that
only name a unit's source server never load it.
"""

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                                   Ed25519PublicKey)


class ExchangeRefused(ValueError):
    """A package (or a key) this server does not accept; the message is for people."""


def canonical(payload: dict) -> bytes:
    """Return the bytes a package's signature covers."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def public_text(key: "Ed25519PublicKey") -> str:
    """Return a public key as base64 of its 32 raw bytes (what an admin registers)."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def read_public(text: str) -> "Ed25519PublicKey":
    """Return the public key of a base64 text; raise ExchangeRefused if it is not one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode((text or "").strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ExchangeRefused("kunci publik tidak sah: berikan 44 karakter base64 dari "
                              "`suara exchange keygen` server sumber") from None


def key_id(public: str) -> str:
    """Return the short identifier of a public key (its SHA-256, 16 hex digits)."""
    return hashlib.sha256(base64.b64decode(public)).hexdigest()[:16]


def generate(path: Path) -> str:
    """Write a new private key (PEM, readable by its owner only); return its public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public_text(key.public_key())


def load_private(path: Path) -> "Ed25519PrivateKey":
    """Return the private key of a PEM file; raise ExchangeRefused if there is none."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not path.is_file():
        raise ExchangeRefused(f"kunci penanda tangan {path} belum ada: jalankan "
                              "`suara exchange keygen`")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ExchangeRefused(f"{path} bukan kunci Ed25519")
    return key


def sign(payload: dict, key: "Ed25519PrivateKey") -> dict:
    """Return the signed package of a payload."""
    public = public_text(key.public_key())
    signature = key.sign(canonical(payload))
    return {"payload": payload, "signature": base64.b64encode(signature).decode("ascii"),
            "key_id": key_id(public)}


def verify(package: dict, public: str) -> None:
    """Raise ExchangeRefused unless the package's signature is that of the key over its
    payload."""
    from cryptography.exceptions import InvalidSignature

    try:
        signature = base64.b64decode(package["signature"], validate=True)
        read_public(public).verify(signature, canonical(package["payload"]))
    except (InvalidSignature, binascii.Error, KeyError, TypeError, ValueError):
        raise ExchangeRefused("paket ditolak: tanda tangannya tidak cocok dengan isinya "
                              "(paket telah diubah atau rusak); tidak ada yang disimpan") from None
