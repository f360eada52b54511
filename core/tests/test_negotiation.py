"""Remembered content negotiation chooses what DRF's own would, every time, and stays bounded."""
import pytest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api import negotiation
from core.api.negotiation import RememberingNegotiation
from core.api.renderers import ActionFormRenderer, OrjsonRenderer

ACCEPTS = [None, "*/*", "application/json", "text/html", "text/html,application/xhtml+xml,*/*;q=0.8",
           "application/json; indent=4", "application/*", "text/*;q=0.5, application/json"]


def _request(accept=None, query=""):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return Request(APIRequestFactory().get(f"/api/auth/me/{query}", **headers))


@pytest.mark.parametrize("query", ["", "?format=json"])
def test_the_remembered_choice_is_drfs_choice(query, monkeypatch):
    monkeypatch.setattr(RememberingNegotiation, "_chosen", {})
    renderers = [OrjsonRenderer(), ActionFormRenderer()]
    def outcome(negotiator, accept):
        try:
            renderer, media_type = negotiator.select_renderer(_request(accept, query), renderers)
        except exceptions.NotAcceptable:
            return "406"
        return type(renderer), media_type

    outcomes = []
    for accept in ACCEPTS * 2:  # the second pass answers from memory
        expected = outcome(DefaultContentNegotiation(), accept)
        assert outcome(RememberingNegotiation(), accept) == expected, accept
        outcomes.append(expected)
    accepted = {accept for accept, answer in zip(ACCEPTS, outcomes, strict=False) if answer != "406"}
    assert len(RememberingNegotiation._chosen) == len(accepted)
    assert any(o != "406" for o in outcomes)


def test_an_unacceptable_header_is_refused_each_time_and_not_kept(monkeypatch):
    monkeypatch.setattr(RememberingNegotiation, "_chosen", {})
    for _ in range(2):
        with pytest.raises(exceptions.NotAcceptable):
            RememberingNegotiation().select_renderer(_request("image/png"), [OrjsonRenderer()])
    assert RememberingNegotiation._chosen == {}


def test_memory_is_bounded_whatever_headers_clients_invent(monkeypatch):
    monkeypatch.setattr(RememberingNegotiation, "_chosen", {})
    monkeypatch.setattr(negotiation, "REMEMBERED", 5)
    renderers = [OrjsonRenderer(), ActionFormRenderer()]
    for n in range(20):
        renderer, _ = RememberingNegotiation().select_renderer(_request(f"application/json; v={n}"), renderers)
        assert isinstance(renderer, OrjsonRenderer)
    assert len(RememberingNegotiation._chosen) == 5


@pytest.mark.django_db
def test_the_api_answers_json_or_the_form_page_by_accept(client_as):
    member = client_as("member")
    for _ in range(2):
        assert member.get("/api/auth/me/", HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
        assert member.get("/api/auth/me/", HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")
