"""PDUs over SNMP v2c with pysnmp: outlet control OIDs set in the PDU's options.

Defaults follow APC's PowerNet-MIB ``sPDUOutletCtl`` (``1.3.6.1.4.1.318.1.1.4.4.2.1.3.<n>``:
1 on, 2 off, 3 reboot), which also answers the state on GET. Options: ``control_oid``,
``on``, ``off``, ``outlets`` (how many to read for the status), ``community`` (else the
PDU's password), ``port``. For Raritan's PDU2-MIB set ``control_oid`` to
``1.3.6.1.4.1.13742.6.4.1.2.1.2.1`` with ``on`` 1 and ``off`` 0.
"""
import asyncio
from urllib.parse import urlparse

from . import Driver, PowerError

DEFAULT_CONTROL_OID = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"


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
            CommunityData,
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
            community = CommunityData(self.options.get("community") or self.password or "private", mpModel=1)
            if values and values[0][1] is not None:
                binds = [ObjectType(ObjectIdentity(oid), Integer(v)) for oid, v in values]
                error, status, index, answer = await set_cmd(snmp, community, target, ContextData(), *binds)
            else:
                binds = [ObjectType(ObjectIdentity(oid)) for oid, _ in values]
                error, status, index, answer = await get_cmd(snmp, community, target, ContextData(), *binds)
        finally:
            snmp.close_dispatcher()
        if error:
            raise PowerError(f"The PDU at {self.address} did not answer: {error}.")
        if status:
            raise PowerError(f"The PDU refused the request: {status.prettyPrint()}.")
        return [int(value) for _, value in answer]

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
