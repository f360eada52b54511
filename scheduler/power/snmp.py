"""PDUs over SNMP v2c or v3 with pysnmp: outlet control OIDs set in the PDU's options.

Defaults follow APC's PowerNet-MIB ``sPDUOutletCtl`` (``1.3.6.1.4.1.318.1.1.4.4.2.1.3.<n>``:
1 on, 2 off, 3 reboot), which also answers the state on GET. Options: ``control_oid``,
``on``, ``off``, ``outlets`` (how many to read for the status), ``community`` (else the
PDU's password), ``port``. For Raritan's PDU2-MIB set ``control_oid`` to
``1.3.6.1.4.1.13742.6.4.1.2.1.2.1`` with ``on`` 1 and ``off`` 0.

SNMP v3 (``options.version`` ``"3"``) always runs authPriv: the PDU's username is the USM
user, its password the authentication passphrase and its privacy password the encryption
passphrase; ``auth_protocol`` is ``sha`` (default), ``sha256`` or ``sha512``, ``priv_protocol``
``aes`` (AES-128, default), ``aes192`` or ``aes256``. Only authPriv is offered: switching
power with credentials sent in clear is what this replaces.
"""
import asyncio
from urllib.parse import urlparse

from . import Driver, PowerError

DEFAULT_CONTROL_OID = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"

# Names in the PDU's options -> pysnmp's protocol constants (``pysnmp.entity.config``).
AUTH_PROTOCOLS = {"sha": "USM_AUTH_HMAC96_SHA", "sha256": "USM_AUTH_HMAC192_SHA256",
                  "sha512": "USM_AUTH_HMAC384_SHA512"}
PRIV_PROTOCOLS = {"aes": "USM_PRIV_CFB128_AES", "aes192": "USM_PRIV_CFB192_AES", "aes256": "USM_PRIV_CFB256_AES"}
# USM reports an agent answers to a v3 request whose credentials it does not accept (RFC 3414 §3.2).
CREDENTIAL_REPORTS = ("UnknownUserName", "WrongDigest", "DecryptionError", "UnsupportedSecurityLevel",
                      "AuthenticationFailure", "AuthenticationError", "UnknownSecurityName")


def is_v3(options: dict) -> bool:
    """Whether a PDU's options ask for SNMP v3."""
    return str(options.get("version", "2c")).lower().lstrip("v") == "3"


def v3_problems(options: dict, username: str, password: str, privacy: str) -> dict[str, str]:
    """What is missing or wrong in SNMP v3 settings, by field (empty when they are usable)."""
    problems = {}
    if not username:
        problems["username"] = "SNMP v3 needs the USM user name"
    if str(options.get("auth_protocol", "sha")).lower() not in AUTH_PROTOCOLS:
        problems["options"] = f"auth_protocol is one of {', '.join(AUTH_PROTOCOLS)}"
    if str(options.get("priv_protocol", "aes")).lower() not in PRIV_PROTOCOLS:
        problems["options"] = f"priv_protocol is one of {', '.join(PRIV_PROTOCOLS)}"
    # RFC 3414 passphrases are at least 8 characters; pysnmp refuses shorter ones.
    if len(password) < 8:
        problems["password"] = "the authentication passphrase has at least 8 characters"
    if len(privacy) < 8:
        problems["privacy_password"] = "the privacy passphrase has at least 8 characters"
    return problems


class SnmpDriver(Driver):
    """One SNMP PDU; ``address`` is ``host`` or ``host:port`` (or ``snmp://host:port``)."""

    def _target(self):
        parsed = urlparse(self.address if "//" in self.address else f"snmp://{self.address}")
        return parsed.hostname, int(self.options.get("port") or parsed.port or 161)

    def _run(self, coroutine):
        try:
            return asyncio.run(coroutine)
        except PowerError:
            raise
        except OSError as exc:
            raise PowerError(f"Cannot reach the PDU at {self.address}: {exc}.")

    async def _exchange(self, values: list) -> list:
        # Imported here: pysnmp is needed only for PDUs that use this driver.
        from pysnmp.hlapi.v3arch.asyncio import (
            ContextData,
            ObjectIdentity,
            ObjectType,
            SnmpEngine,
            UdpTransportTarget,
            get_cmd,
            set_cmd,
        )
        from pysnmp.proto.rfc1902 import Integer

        snmp = SnmpEngine()
        try:
            target = await UdpTransportTarget.create(self._target(), timeout=self.timeout, retries=0)
            community = self._credentials()
            if values and values[0][1] is not None:
                binds = [ObjectType(ObjectIdentity(oid), Integer(v)) for oid, v in values]
                error, status, index, answer = await set_cmd(snmp, community, target, ContextData(), *binds)
            else:
                binds = [ObjectType(ObjectIdentity(oid)) for oid, _ in values]
                error, status, index, answer = await get_cmd(snmp, community, target, ContextData(), *binds)
        finally:
            snmp.close_dispatcher()
        if error:
            if is_v3(self.options) and type(error).__name__ in CREDENTIAL_REPORTS:
                raise PowerError(f"The PDU at {self.address} refused the SNMP v3 credentials ({error}): check the "
                                 "user name, the authentication and privacy passphrases and protocols.")
            raise PowerError(f"The PDU at {self.address} did not answer: {error}.")
        if status:
            raise PowerError(f"The PDU refused the request: {status.prettyPrint()}.")
        return [int(value) for _, value in answer]

    def _credentials(self):
        """v2c: the community; v3: the USM user with SHA authentication and AES privacy (authPriv)."""
        from pysnmp.entity import config
        from pysnmp.hlapi.v3arch.asyncio import CommunityData, UsmUserData

        if not is_v3(self.options):
            return CommunityData(self.options.get("community") or self.password or "private", mpModel=1)
        problems = v3_problems(self.options, self.username, self.password, self.privacy)
        if problems:
            raise PowerError("The PDU's SNMP v3 settings are incomplete: " + "; ".join(problems.values()) + ".")
        auth = AUTH_PROTOCOLS[str(self.options.get("auth_protocol", "sha")).lower()]
        priv = PRIV_PROTOCOLS[str(self.options.get("priv_protocol", "aes")).lower()]
        return UsmUserData(self.username, authKey=self.password, privKey=self.privacy,
                           authProtocol=getattr(config, auth), privProtocol=getattr(config, priv))

    def _oid(self, number: int) -> str:
        return f"{self.options.get('control_oid') or DEFAULT_CONTROL_OID}.{number}"

    def _state(self, value: int) -> str:
        if value == int(self.options.get("on", 1)):
            return "on"
        if value == int(self.options.get("off", 2)):
            return "off"
        raise PowerError(f"The PDU answered an outlet state {value} that is neither on nor off.")

    def status(self) -> dict[int, str]:
        """GET every outlet's control OID (``options.outlets``, default 8)."""
        count = int(self.options.get("outlets", 8))
        values = self._run(self._exchange([(self._oid(n), None) for n in range(1, count + 1)]))
        return {n: self._state(v) for n, v in enumerate(values, start=1)}

    def switch(self, number: int, on: bool) -> str:
        """SET the outlet's control OID, then GET it back."""
        wanted = int(self.options.get("on", 1)) if on else int(self.options.get("off", 2))
        self._run(self._exchange([(self._oid(number), wanted)]))
        return self._state(self._run(self._exchange([(self._oid(number), None)]))[0])
