"""A simulated SNMP PDU: a pysnmp agent on loopback answering GET and SET on outlet control OIDs.

It serves ``<control_oid>.<n>`` for outlets 1..n with the PowerNet-MIB meaning (1 on, 2 off),
v2c with one community, or v3 with one USM user (authPriv, SHA and AES by default), so the
SNMP driver is tested over the real protocol, USM authentication and encryption included.
"""
import asyncio
import socket
import threading

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto.rfc1902 import Integer

from .snmp import AUTH_PROTOCOLS, DEFAULT_CONTROL_OID, PRIV_PROTOCOLS


class SnmpPduAgent:
    """An SNMP agent with ``outlets`` outlets on ``127.0.0.1:<port>``.

    v2c with ``community``; with ``v3_user`` it answers only that USM user, authPriv, keyed by
    ``auth_key`` / ``priv_key`` over ``auth_protocol`` / ``priv_protocol`` (names as in the PDU's options).
    """

    def __init__(self, outlets: int = 8, community: str = "private", control_oid: str = DEFAULT_CONTROL_OID, *,
                 v3_user: str = "", auth_key: str = "", priv_key: str = "", auth_protocol: str = "sha",
                 priv_protocol: str = "aes"):
        self.states = {n: 2 for n in range(1, outlets + 1)}
        self.community, self.control_oid = community, control_oid
        self.v3 = (v3_user, auth_key, priv_key, AUTH_PROTOCOLS[auth_protocol], PRIV_PROTOCOLS[priv_protocol]) \
            if v3_user else None
        # The agent's own socket, bound here and kept: a port found free and then bound again later
        # could be taken in between by another agent (tests run several at once).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("the SNMP agent did not start")

    def _serve(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        snmp = engine.SnmpEngine()
        config.add_transport(snmp, udp.DOMAIN_NAME,
                             udp.UdpAsyncioTransport(loop=self.loop).open_server_mode(sock=self.socket))
        if self.v3:
            user, auth_key, priv_key, auth, priv = self.v3
            config.add_v3_user(snmp, user, getattr(config, auth), auth_key, getattr(config, priv), priv_key)
            config.add_vacm_user(snmp, 3, user, "authPriv", (1, 3, 6, 1), (1, 3, 6, 1))
        else:
            config.add_v1_system(snmp, "pdu-area", self.community)
            config.add_vacm_user(snmp, 2, "pdu-area", "noAuthNoPriv", (1, 3, 6, 1), (1, 3, 6, 1))
        snmp_context = context.SnmpContext(snmp)
        builder = snmp_context.get_mib_instrum().get_mib_builder()
        (scalar, instance) = builder.import_symbols("SNMPv2-SMI", "MibScalar", "MibScalarInstance")
        agent = self
        base = tuple(int(x) for x in self.control_oid.split("."))

        class OutletControl(instance):
            def getValue(self, name, **kwargs):  # noqa: N802 (pysnmp's name)
                return self.syntax.clone(agent.states[name[-1]])

            def setValue(self, value, name, **kwargs):  # noqa: N802 (pysnmp's name)
                if int(value) in (1, 2):
                    agent.states[name[-1]] = int(value)
                elif int(value) == 3:  # reboot: ends on
                    agent.states[name[-1]] = 1
                return self.syntax.clone(agent.states[name[-1]])

        builder.export_symbols(
            "__BENCHTOP_PDU", scalar(base, Integer()).setMaxAccess("read-write"),
            *(OutletControl(base, (n,), Integer(state)) for n, state in self.states.items()))
        cmdrsp.GetCommandResponder(snmp, snmp_context)
        cmdrsp.SetCommandResponder(snmp, snmp_context)
        cmdrsp.NextCommandResponder(snmp, snmp_context)
        self.engine = snmp
        snmp.transport_dispatcher.job_started(1)
        self.loop.call_soon(self.ready.set)
        try:
            snmp.transport_dispatcher.run_dispatcher()
        except Exception:  # noqa: BLE001 - the dispatcher stops by closing; nothing to report
            pass

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.socket.close()
