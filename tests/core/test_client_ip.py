"""The client's address comes from the trusted proxies only: a client that sends its own
X-Forwarded-For cannot choose the address its requests are counted under."""

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from conect.accounts.adapter import AccountAdapter
from conect.core.client_ip import client_ip

PROXY = "172.30.80.10"
CLIENT = "203.0.113.7"


def _request(remote_addr=PROXY, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_the_connection_is_the_client():
    """With no trusted proxy, X-Forwarded-For is ignored: REMOTE_ADDR is the client."""
    assert client_ip(_request(CLIENT)) == CLIENT
    assert client_ip(_request(CLIENT, forwarded_for="198.51.100.1")) == CLIENT


def test_the_default_trusts_no_proxy(settings):
    """Until TRUSTED_PROXY_COUNT is set, nobody is believed about the client's address."""
    del settings.TRUSTED_PROXY_COUNT
    assert client_ip(_request(CLIENT, forwarded_for="198.51.100.1")) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_proxy_the_last_entry_is_the_client():
    """Behind one proxy, the entry it appended (the last) is the client."""
    assert client_ip(_request(forwarded_for=CLIENT)) == CLIENT


@pytest.mark.parametrize(
    "spoofed",
    ["198.51.100.1", "127.0.0.1", "10.0.0.1, 10.0.0.2", "not-an-address", "unknown, ,"],
)
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_proxy_what_the_client_sent_is_ignored(spoofed):
    """Whatever X-Forwarded-For the client sent stays to the left of the proxy's entry,
    so the client is counted under its real address."""
    assert client_ip(_request(forwarded_for=f"{spoofed}, {CLIENT}")) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_proxies_the_second_entry_from_the_right_is_the_client():
    """Behind a load balancer and the proxy, the load balancer's entry is the client and
    the last one is the load balancer itself."""
    request = _request(forwarded_for=f"198.51.100.1, {CLIENT}, 10.1.2.3")
    assert client_ip(request) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_fewer_entries_than_proxies_take_the_leftmost():
    """A request that passed one proxy only (none from the client) is counted under the
    address that proxy saw, as DRF does."""
    assert client_ip(_request(forwarded_for=CLIENT)) == CLIENT


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_no_header_falls_back_to_the_connection():
    """A request without X-Forwarded-For (the container's health check) is counted
    under REMOTE_ADDR."""
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", forwarded_for=" ")) == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_garbled_proxy_entry_falls_back_to_the_connection():
    """What our proxy wrote is always an address; if it is not, the connection counts
    rather than a string a client could vary."""
    assert client_ip(_request(forwarded_for="garbage")) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_addresses_are_canonical_and_without_port():
    """One address written two ways is one client; a port is not part of the address."""
    assert client_ip(_request(forwarded_for="2001:DB8:0::1")) == "2001:db8::1"
    assert client_ip(_request(forwarded_for="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(_request(forwarded_for=f"{CLIENT}:51234")) == CLIENT


@pytest.mark.parametrize("count", [0, 1, 2])
@pytest.mark.parametrize(
    "forwarded_for",
    [None, CLIENT, f"198.51.100.1, {CLIENT}", f"1.1.1.1, 198.51.100.1, {CLIENT}"],
)
def test_the_api_throttle_counts_the_same_address(settings, count, forwarded_for):
    """With REST_FRAMEWORK["NUM_PROXIES"] equal to TRUSTED_PROXY_COUNT, DRF's throttles
    (the API's limits) count the client under the same address as allauth's."""
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    request = _request(forwarded_for=forwarded_for)
    assert count == api_settings.NUM_PROXIES
    assert BaseThrottle().get_ident(Request(request)) == client_ip(request)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_asks_the_adapter_for_the_same_address():
    """allauth's rate limits read the client's address from our account adapter."""
    request = _request(forwarded_for=f"198.51.100.1, {CLIENT}")
    assert AccountAdapter(request).get_client_ip(request) == CLIENT
