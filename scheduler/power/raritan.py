"""Raritan PDUs through their JSON-RPC API over HTTP(S) with basic auth.

``POST /model/pdu/0`` ``getOutlets`` lists the outlets' resource ids; each outlet answers
``getState`` (``powerState`` 0 off, 1 on) and ``setPowerState`` (``pstate``).
"""
import itertools

import httpx

from . import Driver, PowerError

_ids = itertools.count(1)


class RaritanDriver(Driver):
    """One Raritan PDU at ``address`` (``https://host[:port]``)."""

    def _call(self, client: httpx.Client, rid: str, method: str, params: dict | None = None):
        body = {"jsonrpc": "2.0", "method": method, "id": next(_ids)}
        if params is not None:
            body["params"] = params
        try:
            response = client.post(self.address.rstrip("/") + rid, json=body)
        except httpx.TimeoutException:
            raise PowerError(f"The PDU at {self.address} did not answer within {self.timeout:g} s.")
        except httpx.HTTPError as exc:
            raise PowerError(f"Cannot reach the PDU at {self.address}: {exc}.")
        if response.status_code == 401:
            raise PowerError("The PDU refused the user name or password.")
        if response.status_code != 200:
            raise PowerError(f"The PDU answered HTTP {response.status_code} to {method}.")
        try:
            answer = response.json()
        except ValueError:
            raise PowerError(f"The PDU answered {method} with something that is not JSON.")
        if "error" in answer:
            raise PowerError(f"The PDU refused {method}: {answer['error'].get('message', answer['error'])}.")
        return (answer.get("result") or {}).get("_ret_")

    def _client(self) -> httpx.Client:
        return httpx.Client(auth=(self.username, self.password), timeout=self.timeout,
                            verify=bool(self.options.get("verify_tls", True)))

    def _outlet_rids(self, client) -> list[str]:
        outlets = self._call(client, "/model/pdu/0", "getOutlets")
        if not isinstance(outlets, list):
            raise PowerError("The PDU's outlet list could not be read.")
        return [o["rid"] for o in outlets]

    @staticmethod
    def _state(value) -> str:
        if not isinstance(value, dict) or value.get("powerState") not in (0, 1):
            raise PowerError("The PDU's outlet state could not be read.")
        return "on" if value["powerState"] == 1 else "off"

    def status(self) -> dict[int, str]:
        """Every outlet's state, read one by one after listing them."""
        with self._client() as client:
            return {n: self._state(self._call(client, rid, "getState"))
                    for n, rid in enumerate(self._outlet_rids(client), start=1)}

    def switch(self, number: int, on: bool) -> str:
        """Set one outlet's power state, then read it back."""
        with self._client() as client:
            rids = self._outlet_rids(client)
            if not 1 <= number <= len(rids):
                raise PowerError(f"The PDU has no outlet {number} (it has {len(rids)}).")
            self._call(client, rids[number - 1], "setPowerState", {"pstate": 1 if on else 0})
            return self._state(self._call(client, rids[number - 1], "getState"))
