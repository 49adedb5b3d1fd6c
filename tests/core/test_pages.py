"""The page shell: home, navigation, language switching, error pages, CSP and assets."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from innohub.core import home, roles
from innohub.core.context_processors import navigation
from innohub.core.csp import GOVUK_SUPPORTED, script_hash
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What every signed-in person finds in the service navigation, in order.
SIGNED_IN_LINKS = [
    "/",
    "/areas/",
    "/organisations/",
    "/services/",
    "/ideas/",
    "/pilots/",
    "/lessons/",
    "/fund/",
    "/showcases/",
    "/training/",
    "/network/",
    "/talent/",
    "/engagement/",
    "/insights/",
    "/accounts/people/",
    "/accounts/teams/",
    "/accounts/profile/",
]


class _Page(HTMLParser):
    """Collects what the tests look at in a page: scripts, styles, links, attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


# --- Home ----------------------------------------------------------------------------------


def test_home_needs_sign_in(client):
    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_home_shows_a_helpful_empty_state_when_nothing_is_waiting(client, user, no_providers):
    client.force_login(user)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "What is yours to do" in html
    assert user.name in html
    assert "Nothing is waiting for you right now." in html
    assert "What innohub is for" in html
    assert f'href="{reverse("accounts:profile")}"' in html
    assert "innohub-task-card" not in html


def test_tasks_of_registered_providers_appear_on_home(client, user, register_provider):
    def reviews(request):
        return [
            home.HomeCard("Review ideas", "Ideas from your district wait for you.", "/ideas/", 3)
        ]

    def training(request):
        return [home.HomeCard("Join your cohort", "Your training starts on Monday.", "/training/")]

    register_provider(reviews)
    register_provider(training)
    client.force_login(user)

    response = client.get(reverse("core:home"))

    page = parse(response)
    cards = page.find("li", **{"class": "innohub-task-card"})
    assert len(cards) == 2
    html = response.content.decode()
    assert html.index("Review ideas") < html.index("Join your cohort")
    assert page.find("a", href="/ideas/") and page.find("a", href="/training/")
    assert re.search(r'innohub-task-card__count">\s*3\s*<', html)
    assert html.count("innohub-task-card__count") == 1  # no count, no tag
    assert "Nothing is waiting for you right now." not in html


def test_a_provider_sees_the_request_and_may_return_nothing(client, user, register_provider):
    seen = []

    def quiet(request):
        seen.append(request.user)
        return []

    register_provider(quiet)
    client.force_login(user)

    response = client.get(reverse("core:home"))

    assert seen == [user]
    assert "Nothing is waiting for you right now." in response.content.decode()


def test_registering_a_provider_twice_shows_its_tasks_once(client, user, register_provider):
    def once(request):
        return [home.HomeCard("Only once", "", "/once/")]

    register_provider(once)
    register_provider(once)
    client.force_login(user)

    response = client.get(reverse("core:home"))

    assert response.content.decode().count("Only once") == 1


def test_home_query_count_is_exact_and_does_not_grow_with_tasks(
    client, user, register_provider, django_assert_num_queries
):
    many = [home.HomeCard(f"Task {n}", "Something to do.", f"/t/{n}/", n) for n in range(50)]
    register_provider(lambda request: many)
    client.force_login(user)

    # Session, user, the user's roles (navigation); nothing per task.
    with django_assert_num_queries(3):
        response = client.get(reverse("core:home"))

    assert response.content.decode().count("innohub-task-card__title") == 50


def test_home_with_every_apps_providers_takes_an_exact_number_of_queries(
    client, user, django_assert_num_queries
):
    assert home.providers(), "the apps register their providers at start-up"
    client.force_login(user)

    # Session, user, roles, then each provider: accounts asks for the profile and teams,
    # services for the person's draft journeys, the pipeline for the teams whose pilots
    # they review (none: no count), the pilots they lead or mentor and the proposals they
    # are asked to assess.
    with django_assert_num_queries(9):
        response = client.get(reverse("core:home"))

    assert response.status_code == 200


# --- Shell: header, navigation, footer -----------------------------------------------------


def test_signed_in_shell_shows_name_sign_out_form_and_navigation(client, user):
    client.force_login(user)

    response = client.get(reverse("core:home"))

    page = parse(response)
    html = response.content.decode()
    assert page.find("a", href="#main-content", **{"class": "govuk-skip-link"})
    assert page.find("main", id="main-content")
    assert user.name in html
    sign_out = page.find("form", method="post", action=reverse("accounts:logout"))
    assert len(sign_out) == 1
    assert "Sign out" in html
    links = page.find("a", **{"class": "govuk-service-navigation__link"})
    assert [link["href"] for link in links] == SIGNED_IN_LINKS
    # The home page is the current item, and only it.
    assert [link.get("aria-current") for link in links] == ["page"] + [None] * (len(links) - 1)
    assert page.find("a", href=reverse("core:accessibility"))
    assert page.find("a", href="/api/v1/docs")


def test_signed_out_shell_offers_sign_in_and_no_navigation(client):
    response = client.get(reverse("core:accessibility"))

    page = parse(response)
    assert response.status_code == 200
    assert page.find("a", href=reverse("accounts:login"))
    assert not page.find("form", action=reverse("accounts:logout"))
    assert not page.find("a", **{"class": "govuk-service-navigation__link"})
    assert "WCAG" in response.content.decode()


@pytest.mark.parametrize(
    ("make_user", "sees_administration"),
    [
        (lambda: UserFactory(roles=[roles.CIVIL_SERVANT]), False),
        (lambda: UserFactory(roles=[roles.MENTOR, roles.TRAINER]), False),
        (lambda: UserFactory(is_staff=True), True),
        (lambda: UserFactory(roles=[roles.ADMINISTRATOR]), True),
        (lambda: UserFactory(roles=[roles.PROGRAMME_MANAGER]), True),
    ],
)
def test_administration_link_only_for_staff_administrators_and_programme_managers(
    rf, make_user, sees_administration
):
    request = rf.get("/")
    request.user = make_user()

    hrefs = [item["href"] for item in navigation(request)["nav_items"]]

    assert hrefs[: len(SIGNED_IN_LINKS)] == SIGNED_IN_LINKS
    assert (reverse("admin:index") in hrefs) is sees_administration


def test_navigation_marks_the_section_of_a_page_below_an_item(rf, user):
    request = rf.get(reverse("accounts:profile") + "somewhere/below/")
    request.user = user

    current = {item["href"]: item["current"] for item in navigation(request)["nav_items"]}

    assert current[reverse("accounts:profile")] == "true"
    assert {href for href, mark in current.items() if mark} == {reverse("accounts:profile")}


def test_navigation_is_empty_for_anonymous_people_and_requests_without_a_user(rf):
    request = rf.get("/")
    assert navigation(request) == {"nav_items": []}
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": []}


def test_messages_are_shown_as_notification_banners(rf, user):
    from django.shortcuts import render

    request = rf.get("/accessibility/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    request._messages.add(message_levels.SUCCESS, "Your profile was saved.")
    request._messages.add(message_levels.INFO, "Training starts on Monday.")

    html = render(request, "core/accessibility.html").content.decode()

    assert html.count("govuk-notification-banner__content") == 2
    assert "govuk-notification-banner--success" in html
    assert "Your profile was saved." in html
    assert 'aria-labelledby="message-2-title"' in html


# --- Languages ------------------------------------------------------------------------------


def test_language_switcher_offers_each_language_in_its_own_language(client, user):
    client.force_login(user)

    response = client.get(reverse("core:home"))

    page = parse(response)
    buttons = {b["lang"] for b in page.find("button", **{"class": "innohub-link-button"})}
    assert buttons == {"bn", "bs", "fr"}
    current = page.find("span", **{"aria-current": "true"})
    assert len(current) == 1 and current[0]["lang"] == "en"
    html = response.content.decode()
    for name in ("English", "বাংলা", "Bosanski", "Français"):
        assert name in html
    forms = page.find("form", action=reverse("set_language"), method="post")
    assert len(forms) == 3
    assert len(page.find("input", name="next", value="/")) == 3


def test_switching_to_bangla_makes_the_next_page_bangla(client, user):
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "bn", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    html = page.content.decode()
    assert '<html lang="bn"' in html
    assert re.search(r'<span[^>]*lang="bn"[^>]*aria-current="true"[^>]*>বাংলা</span>', html)


def test_language_switch_works_for_people_who_are_not_signed_in(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/accessibility/"})

    html = client.get(reverse("core:accessibility")).content.decode()

    assert '<html lang="fr"' in html


# --- Error pages -----------------------------------------------------------------------------


def test_unknown_address_gets_our_404_page(client, settings):
    settings.DEBUG = False

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-header" in html
    assert "If you typed the web address, check it is correct." in html


def test_500_page_renders_without_request_context_or_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "/static/css/innohub.css" in html


@pytest.mark.urls("tests.core.urls_boom")
def test_a_failing_view_answers_our_500_page(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_403_page_for_a_refused_person(rf, user):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = user
    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_400_page_for_a_bad_request(client, settings):
    settings.DEBUG = False

    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "there is a problem with the request" in response.content.decode()


def test_expired_form_gets_a_friendly_403_that_says_nothing_was_saved(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "Nothing was saved." in html
    assert "CSRF verification failed" not in html


# --- Security headers, scripts and assets ----------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(client, user):
    client.force_login(user)

    response = client.get(reverse("core:home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("url_name", ["core:home", "core:accessibility"])
def test_pages_have_no_inline_script_or_style(client, user, url_name):
    client.force_login(user)

    response = client.get(reverse(url_name))
    page = parse(response)

    # One inline script, GOV.UK's body class, allowed by its hash and by nothing broader.
    assert page.inline_scripts == [GOVUK_SUPPORTED]
    assert script_hash(GOVUK_SUPPORTED) in response["Content-Security-Policy"]
    assert not [attrs for _, attrs in page.tags if "style" in attrs]
    assert not [attrs for _, attrs in page.tags if any(k.startswith("on") for k in attrs)]
    assert not page.find("style")
    scripts = page.find("script")
    assert sum(1 for script in scripts if not script.get("src")) == 1
    assert page.find("script", type="module", src="/static/js/init.js")
    htmx = page.find("script", src="/static/js/htmx.min.js")
    assert htmx and "defer" in htmx[0]


def _static_paths(html: str) -> set[str]:
    return set(re.findall(r'(?:src|href)="' + settings.STATIC_URL + r'([^"?#]+)"', html))


@pytest.fixture(scope="module")
def built_assets() -> Path:
    build = Path(settings.BASE_DIR) / "assets" / "build"
    if not (build / "css" / "innohub.css").exists():
        pytest.fail("run `npm run build` first (make test does it)")
    return build


def test_every_static_file_the_pages_name_exists(client, user, built_assets):
    pages = [client.get(reverse("core:accessibility")).content.decode()]
    client.force_login(user)
    pages.append(client.get(reverse("core:home")).content.decode())
    pages.append(server_error(RequestFactory().get("/")).content.decode())
    named = set().union(*map(_static_paths, pages))

    assert {"css/innohub.css", "js/init.js", "js/htmx.min.js", "images/favicon.svg"} <= named
    assert [path for path in named if not finders.find(path)] == []


def test_every_file_the_stylesheet_and_init_script_name_exists(built_assets):
    css = (built_assets / "css" / "innohub.css").read_text()
    urls = set(re.findall(r'url\("?([^")]+)"?\)', css))
    assert any("noto-sans-bengali" in url for url in urls)
    for url in urls:
        if url.startswith("data:"):
            continue
        if url.startswith(settings.STATIC_URL):
            path = url.removeprefix(settings.STATIC_URL)
        else:  # relative to css/innohub.css
            path = posixpath.normpath(posixpath.join("css", url))
        assert finders.find(path), url
    init = Path(finders.find("js/init.js")).read_text()
    for module in re.findall(r'from "\./([^"]+)"', init):
        assert finders.find(f"js/{module}"), module
    for script in ("govuk-frontend.min.js", "htmx.min.js", "chart.umd.js"):
        assert finders.find(f"js/{script}"), script


def test_stylesheet_uses_noto_sans_and_not_gds_transport(built_assets):
    css = (built_assets / "css" / "innohub.css").read_text()

    assert '"Noto Sans","Noto Sans Bengali"' in css
    assert "GDS Transport" not in css
    assert "font-display:swap" in css
    assert not (built_assets / "govuk" / "assets" / "fonts").exists()


def test_favicon_ico_leads_to_the_icon_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "favicon" in response["Location"]
    assert "max-age=86400" in response["Cache-Control"]


def test_the_admin_lists_apps_by_names_people_read_and_links_the_icon(client, admin_user):
    from tests.accounts.helpers import sign_in_verified

    sign_in_verified(client, admin_user)
    page = client.get("/admin/").content.decode()
    for raw in ("Otp_Static", "Tasks Database Backend", ">Geo<", "Otp_Totp", ">Axes<"):
        assert raw not in page
    for name in ("Background tasks", "Two-factor: backup codes", "Areas", "Services and journeys"):
        assert name in page
    assert 'rel="icon"' in page and "favicon" in page
