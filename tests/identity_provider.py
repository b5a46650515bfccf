"""A stub of OpenID Connect identity providers' HTTP side (Microsoft Entra ID, ID-porten,
MitID Erhverv, Feide), in-process: discovery document, token endpoint and userinfo.

Only these endpoints are stubbed; every request to Bro goes through the real views, sessions
and database. The ID token is fetched over the direct back-channel, so allauth does not
check its signature (OpenID Connect Core 3.1.3.7) and no JWKS is needed.
"""

import json
import time
import uuid
from urllib.parse import parse_qs, urlparse

import jwt
from django.urls import reverse


class FakeResponse:
    def __init__(self, payload, status_code=200):
        self.payload, self.status_code = payload, status_code
        self.headers = {"content-type": "application/json; charset=utf-8"}
        self.text = json.dumps(payload)
        self.content = self.text.encode()

    def json(self):
        return self.payload

    def raise_for_status(self):
        assert self.status_code == 200


class FakeIdentityProvider:
    """Every issuer registered with `serve`, each knowing its one client (Bro's)."""

    def __init__(self):
        self.clients = {}  # issuer -> client id
        self.user = None  # the claims of whoever signs in at the provider next
        self.calls = []

    def serve(self, issuer, client_id):
        self.clients[issuer.rstrip("/")] = client_id

    def sign_in_as(self, *, sub, email=None, name="Signed-in Person", **claims):
        """The next person to sign in; `email=None` for ID-porten, which sends none."""
        self.user = {"sub": sub, "name": name, **claims}
        if email is not None:
            self.user.update(email=email, email_verified=True)

    @staticmethod
    def discovery(issuer):
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                      "client_secret_basic"],
        }

    def id_token(self, issuer):
        now = int(time.time())
        claims = {**self.user, "iss": issuer, "aud": self.clients[issuer], "iat": now,
                  "nbf": now, "exp": now + 3600, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, "not-checked-over-a-direct-tls-exchange", algorithm="HS256")

    def respond(self, method, url, **kwargs):
        self.calls.append((method, url))
        for issuer, client_id in self.clients.items():
            if url == issuer + "/.well-known/openid-configuration":
                return FakeResponse(self.discovery(issuer))
            if url == f"{issuer}/token" and method == "POST":
                assert kwargs["data"]["client_id"] == client_id
                return FakeResponse({"access_token": f"token-for-{client_id}",
                                     "token_type": "Bearer", "expires_in": 3600,
                                     "id_token": self.id_token(issuer)})
            if url == f"{issuer}/userinfo":
                assert kwargs["headers"]["Authorization"] == f"Bearer token-for-{client_id}"
                return FakeResponse(self.user)
        raise AssertionError(f"unexpected call to the identity provider: {method} {url}")


class FakeSession:
    def __init__(self, provider):
        self.provider = provider

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, **kwargs):
        return self.provider.respond("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.provider.respond("POST", url, **kwargs)

    def request(self, method, url, **kwargs):
        return self.provider.respond(method, url, **kwargs)


def go_through_provider(client, provider_id, *, process="login", host=None, client_id=None):
    """Press the button, come back from the provider with a code: the callback's response."""
    response = client.post(reverse("openid_connect_login", args=[provider_id]),
                           {"process": process})
    assert response.status_code == 302, response.content.decode()[:2000]
    authorize = urlparse(response.headers["Location"])
    if host:
        assert authorize.netloc == host
    query = parse_qs(authorize.query)
    if client_id:
        assert query["client_id"] == [client_id]
    return client.get(reverse("openid_connect_callback", args=[provider_id]),
                      {"code": "code-from-the-provider", "state": query["state"][0]})
