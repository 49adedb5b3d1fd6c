"""The foundation's main journey in a real browser: sign in, switch language, open the profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, sign_in
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory

# serialized_rollback like every browser module: a live-server test that flushes without it
# re-creates content types that the next module's restore then inserts again.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def officer(db):
    area = AreaFactory(code="BD", name="Bangladesh", name_local="বাংলাদেশ")
    ministry = OrganisationFactory(name="Ministry of Land", area=area)
    user = UserFactory(
        username="nusrat", first_name="Nusrat", last_name="Jahan", roles=["civil_servant"]
    )
    ProfileFactory(
        user=user, organisation=ministry, area=area, position="Assistant Commissioner (Land)"
    )
    return user


def test_sign_in_switch_language_and_open_profile(page: Page, live_server, officer):
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(page) == []

    sign_in(page, live_server.url, "nusrat")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nusrat")
    assert axe_violations(page) == []

    page.get_by_role("button", name="বাংলা").click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")

    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nusrat Jahan")
    expect(page.get_by_text("Assistant Commissioner (Land)")).to_be_visible()
    assert axe_violations(page) == []

    # Nothing on the phone-sized page scrolls sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_wrong_password_keeps_the_username_and_says_what_went_wrong(
    page: Page, live_server, officer
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nusrat")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("nusrat")
    assert axe_violations(page) == []


def test_an_english_page_draws_bangla_in_the_switcher_without_the_whole_bengali_font(
    page: Page, live_server, officer
):
    fonts: list[str] = []
    page.on(
        "request", lambda request: fonts.append(request.url) if ".woff2" in request.url else None
    )
    sign_in(page, live_server.url, "nusrat")
    page.goto(f"{live_server.url}/")  # no Bangla on it but the switcher's
    page.evaluate("() => document.fonts.ready.then(() => true)")

    assert any("noto-sans-bengali-label" in url for url in fonts)
    assert not any("noto-sans-bengali-bengali" in url for url in fonts)
    # Every glyph of the word is drawn from the subset: none from the system's fonts (a
    # missing glyph would fall back to one, or to an empty box where the phone has none).
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    button = session.send(
        "DOM.querySelector",
        {"nodeId": root, "selector": ".innohub-language-switcher [lang=bn]"},
    )["nodeId"]
    used = session.send("CSS.getPlatformFontsForNode", {"nodeId": button})["fonts"]
    # One web font drew it all (its own name table calls it Noto Sans Bengali), and the whole
    # font was never fetched: the subset.
    assert [(font["familyName"], font["isCustomFont"]) for font in used] == [
        ("Noto Sans Bengali", True)
    ]
