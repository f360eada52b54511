"""Requests to one PDU run one at a time: the PDU row lock serialises them across processes and threads."""
import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from core.errors import DomainError
from scheduler import services
from scheduler.models import Outlet
from scheduler.power.simulators import RaritanServer


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_switches_on_one_pdu_never_overlap_at_the_pdu():
    sim = RaritanServer(outlets=2, password="pw")
    sim.delay = 0.05
    try:
        operator = UserFactory(role="operator")
        pdu = services.create_pdu(operator, name="Locked strip", driver="raritan", address=sim.url,
                                  username="admin", password="pw")
        for number in (1, 2):
            services.set_outlet(operator, pdu, number=number)
        errors = []

        def switch(number):
            try:
                services.switch_outlet(operator, pdu.pk, number, "on")
            except DomainError as exc:  # reported below; a thread cannot raise into the test
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=switch, args=(n,)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sim.most_in_flight == 1
        assert set(Outlet.objects.filter(pdu=pdu).values_list("state", flat=True)) == {"on"}
    finally:
        sim.close()
