"""The editor in the browser: sign in with a key (a bad one is refused), create an event with
its date helper, place, actor and citation, edit it, change and remove the participants and
citations it holds, meet a concurrent edit (412, explained, typed values kept), keep what was
typed when a save fails, refuse a form without its CSRF token, and sign out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from app.dashboard.session import SESSION_COOKIE
from app.demo.load import demo_id
from tests.dashboard.conftest import (
    LiveDashboard,
    Visit,
    api_event,
    as_other_editor,
    edit_page,
    expect_document_status,
    save,
    texts,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

KANIYAT = "21b8af5b-cac0-5865-a91a-8aea0aac0ea6"
LNA = str(demo_id("actor", "lna"))
GNA = str(demo_id("actor", "gna"))
TRT_ARABI = str(demo_id("source", "trtarabi-2020-01-14"))
DPA = str(demo_id("source", "dpa-via-trtarabi"))


def sign_in(visit: Visit, key: str, then: str = "/events/new") -> Page:
    page = visit.open(f"/sign-in?next={then}&lang=en")
    page.fill("#key", key)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def create_event(visit: Visit, live: LiveDashboard, title: str) -> str:
    """Fill the new-event form as an editor would and save it; the new event's id."""
    page = sign_in(visit, live.editor_key)
    page.select_option("#type", "ceasefire.breach")
    page.fill("#title_en", title)
    page.fill("#title_ar", "اشتباكات قرب ترهونة")
    page.select_option(".edtf-helper select", "between")
    page.fill(".edtf-helper input[type=date] >> nth=0", "2020-01-15")
    page.fill(".edtf-helper input[type=date] >> nth=1", "2020-01-16")
    page.click(".edtf-helper button")
    assert page.input_value("#when") == "2020-01-15/2020-01-16"
    page.select_option("#location_id", label="Tarhuna")
    page.select_option("#participant_actor_1", KANIYAT)
    page.select_option("#participant_role_1", "accused")
    page.select_option("#citation_source_1", index=1)
    page.fill("#citation_quote_1", "اشتباكات عنيفة جنوب طرابلس")
    page.fill("#citation_translation_1", "Heavy clashes south of Tripoli")
    page.click("form.event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/events/" in page.url
    assert "/new" not in page.url
    return page.url.split("/events/")[1].split("?")[0]


def test_a_bad_key_is_refused_with_the_form_again(visit: Visit) -> None:
    page = sign_in(visit, "wq_not-a-key")
    assert page.locator(".problem-box").inner_text().startswith("This key was not accepted")
    assert page.locator("#key").count() == 1
    assert page.context.cookies()[0]["name"] != SESSION_COOKIE
    visit.assert_clean()


def test_an_editor_creates_an_event_then_edits_it(visit: Visit, live: LiveDashboard) -> None:
    event_id = create_event(visit, live, "Clashes near Tarhuna")
    page = visit.page
    assert page.locator("h1").inner_text() == "Clashes near Tarhuna"
    assert page.locator(".badge.status-draft").count() == 1  # a draft, seen by its editor
    assert page.locator(".when-words").inner_text().startswith("Between 15 and 16 January 2020")
    assert "اشتباكات عنيفة" in page.locator("blockquote.quote").inner_text()
    assert "accused" in " ".join(texts(page, ".facts-list li"))
    session = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    assert session["httpOnly"]
    assert session["sameSite"] == "Strict"
    visit.screenshot("event-created-en")

    page.click("a.button-link[href$='/edit']")
    page.wait_for_load_state("networkidle")
    visit.screenshot("editor-edit-en")
    page.fill("#title_en", "Clashes near Tarhuna, two days")
    page.select_option("#status", "in_review")
    page.click("form.event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/events/{event_id}")
    assert page.locator("h1").inner_text() == "Clashes near Tarhuna, two days"
    assert page.locator(".badge.status-in_review").count() == 1
    assert page.locator(".history li").count() == 2
    visit.assert_clean()


def test_a_concurrent_edit_is_explained_and_the_typed_values_kept(
    visit: Visit, live: LiveDashboard
) -> None:
    event_id = create_event(visit, live, "Shelling reported near Tarhuna")
    page = visit.open(f"/events/{event_id}/edit?lang=en")
    # Another editor saves first, through the API, after this form was loaded.
    changed = as_other_editor(live, "PATCH", event_id)(
        json={"title": {"en": "Shelling near Tarhuna (second editor)", "ar": "قصف قرب ترهونة"}}
    )
    assert changed.status_code == 200, changed.text
    page.fill("#title_en", "Shelling near Tarhuna, my wording")
    page.fill("#summary_en", "A summary I do not want to type twice.")
    assert save(page) == 412
    conflict = page.locator(".conflict-box").inner_text()
    assert "dashboard second editor" in conflict
    assert "title" in conflict
    assert "Shelling near Tarhuna (second editor)" in conflict  # what is saved now
    assert page.input_value("#title_en") == "Shelling near Tarhuna, my wording"
    assert page.input_value("#summary_en") == "A summary I do not want to type twice."
    visit.screenshot("editor-conflict-en")
    expect_document_status(visit, "412 (Precondition Failed)")
    # Saving again, on purpose, applies the editor's values over the current version.
    assert save(page) == 303
    assert page.locator("h1").inner_text() == "Shelling near Tarhuna, my wording"
    visit.assert_clean()


def test_a_failed_save_shows_the_problem_and_keeps_the_form(
    visit: Visit, live: LiveDashboard
) -> None:
    page = sign_in(visit, live.editor_key, then="/events/new?lang=ar")
    page.fill("#title_ar", "عنوان سيبقى كما كُتب")
    page.fill("#when", "2020-13-45")
    page.click("form.event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "when" in page.locator(".problem-box").inner_text()
    assert page.input_value("#title_ar") == "عنوان سيبقى كما كُتب"
    assert page.input_value("#when") == "2020-13-45"
    visit.screenshot("editor-problem-ar")
    expect_document_status(visit, "422 (Unprocessable Entity)")
    visit.assert_clean()


def test_a_form_without_its_csrf_token_is_refused(visit: Visit, live: LiveDashboard) -> None:
    import httpx2 as httpx

    cookies = {SESSION_COOKIE: live.editor_key}
    body = {"type": "other", "when": "2020-01-15", "title_en": "Forged", "original_language": "en"}
    for token in ({}, {"csrf_token": "0" * 64}):
        answer = httpx.post(f"{live.url}/events/new", data={**body, **token}, cookies=cookies)
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
    page = sign_in(visit, live.editor_key)
    page.evaluate("document.querySelector('form.event-form input[name=csrf_token]').remove()")
    page.fill("#title_en", "Forged")
    page.fill("#when", "2020-01-15")
    page.click("form.event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Refused"
    visit.screenshot("editor-csrf-refused-en")
    expect_document_status(visit, "403 (Forbidden)")
    visit.assert_clean()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(live: LiveDashboard) -> None:
    import httpx2 as httpx

    # The address comes back whole, however odd: an unquoted `&` once cut `next` short.
    answer = httpx.get(f"{live.url}/events/a%26lang%3Dar/edit")
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query) == {"next": ["/events/a&lang=ar/edit"]}


def test_signing_out_forgets_the_key(visit: Visit, live: LiveDashboard) -> None:
    event_id = create_event(visit, live, "A draft seen only while signed in")
    page = visit.page
    page.click("form[action='/sign-out'] button")
    page.wait_for_load_state("networkidle")
    assert all(c["name"] != SESSION_COOKIE for c in page.context.cookies())
    assert page.locator(".site-tools a[href='/sign-in']").count() == 1
    page = visit.open(f"/events/{event_id}?lang=en")
    assert page.locator("h1").inner_text() == "Not found"
    expect_document_status(visit, "404 (Not Found)")
    visit.assert_clean()


def two_sided_event(live: LiveDashboard, title: str) -> dict[str, Any]:
    """The LNA and the GNA, and two claims: one about the LNA's part, one about the event."""
    return api_event(
        live,
        {
            "title": {"en": title},
            "participants": [
                {"actor_id": LNA, "role": "party"},
                {"actor_id": GNA, "role": "target"},
            ],
            "citations": [
                {
                    "source_id": TRT_ARABI,
                    "participant": 0,
                    "quote": "قوات الجيش الوطني قصفت المواقع",
                    "quote_language": "ar",
                },
                {"source_id": DPA, "quote": "Shelling was heard overnight", "quote_language": "en"},
            ],
        },
    )


def test_an_editor_changes_a_participants_role_and_stance(
    visit: Visit, live: LiveDashboard
) -> None:
    event_id = create_event(visit, live, "Clashes at the Tarhuna checkpoint")
    page = visit.open(f"/events/{event_id}/edit?lang=en")
    held = page.locator(".held-row.participant-row")
    assert held.count() == 1
    assert held.evaluate("(el) => getComputedStyle(el).display") == "grid"  # editor.css loaded
    assert "Kaniyat" in held.locator(".held-name").inner_text()
    part = held.locator("input[name=current_participant]").input_value()
    key = f"participant_{part}"
    assert page.input_value(f"#{key}_role") == "accused"
    page.select_option(f"#{key}_role", "target")
    page.select_option(f"#{key}_stance", "denied")
    page.fill(f"#{key}_note", "Denies any part in the clashes")
    visit.screenshot("editor-held-rows-en")
    assert save(page) == 303
    assert page.url.endswith(f"/events/{event_id}")
    actors = " ".join(texts(page, ".record-facts .facts-list li"))
    assert "target" in actors
    assert "denied" in actors
    assert "accused" not in actors
    assert "Denies any part in the clashes" in actors
    assert f"participant {part} changed" in page.locator(".history li").first.inner_text()
    visit.screenshot("editor-participant-changed-en")
    visit.assert_clean()


def test_removing_a_participant_and_a_citation(visit: Visit, live: LiveDashboard) -> None:
    """A participant a citation is about cannot go alone: the row says so and the form keeps
    what was typed; ticking that citation too removes both, each with a revision."""
    event = two_sided_event(live, "Shelling south of Tripoli")
    lna, gna = (part["id"] for part in event["participants"])
    about_lna, plain = (cite["id"] for cite in event["citations"])
    page = edit_page(visit, live, event["id"], lang="ar")
    page.check(f"#participant_{lna}_remove")
    page.select_option(f"#participant_{gna}_stance", "refused")
    page.fill("#title_ar", "قصف جنوب طرابلس")
    assert save(page) == 422
    problem = page.locator(f"#participant_{lna}_problem")
    assert "Citations refer to this participant" in problem.inner_text()
    # Said once, at its row; the box at the top only leads there.
    assert page.content().count("Citations refer to this participant") == 1
    assert page.locator(f".problem-box a[href='#participant_{lna}_problem']").count() == 1
    assert page.locator(f".held-row.failed #participant_{lna}_remove").is_checked()
    assert page.input_value(f"#participant_{gna}_stance") == "refused"
    assert page.input_value("#title_ar") == "قصف جنوب طرابلس"
    visit.screenshot("editor-row-problem-ar")
    expect_document_status(visit, "422 (Unprocessable Entity)")

    page.check(f"#citation_{about_lna}_remove")
    visit.screenshot("editor-rows-to-remove-ar")
    assert save(page) == 303
    actors = " ".join(texts(page, ".record-facts .facts-list li"))
    assert "حكومة الوفاق" in actors
    assert "الجيش الوطني الليبي" not in actors
    quotes = " ".join(texts(page, "blockquote.quote"))
    assert "Shelling was heard overnight" in quotes
    assert "قوات الجيش الوطني" not in quotes
    history = " ".join(texts(page, ".history li"))
    for reason in (f"participant {gna} changed", f"citation {about_lna} removed"):
        assert reason in history
    assert f"participant {lna} removed" in history
    assert f"citation {plain}" not in history
    visit.screenshot("editor-rows-removed-ar")
    visit.assert_clean()


def test_a_concurrent_change_of_a_participant_is_explained_and_the_typed_rows_kept(
    visit: Visit, live: LiveDashboard
) -> None:
    event = two_sided_event(live, "Shelling near Ain Zara")
    event_id, lna = event["id"], event["participants"][0]["id"]
    kept, gone = (cite["id"] for cite in event["citations"])
    page = edit_page(visit, live, event_id)
    # The second editor, after this form was loaded: another role, and a citation removed.
    role = as_other_editor(live, "PATCH", f"{event_id}/participants/{lna}")(
        json={"role": "observer"}
    )
    assert role.status_code == 200, role.text
    assert as_other_editor(live, "DELETE", f"{event_id}/citations/{gone}")().status_code == 204
    page.select_option(f"#participant_{lna}_role", "mediator")
    page.select_option(f"#participant_{lna}_stance", "accepted")
    page.fill(f"#citation_{kept}_translation", "LNA forces shelled the positions")
    page.fill(f"#citation_{gone}_quote", "Typed into a deleted citation")
    assert save(page) == 412
    conflict = page.locator(".conflict-box")
    assert "dashboard second editor" in conflict.inner_text()
    rows = texts(page, ".conflict-fields tbody tr")
    assert any("role" in row and "mediator" in row and "observer" in row for row in rows)
    assert any("Typed into a deleted citation" in r and "removed meanwhile" in r for r in rows)
    assert page.input_value(f"#participant_{lna}_role") == "mediator"
    assert page.input_value(f"#participant_{lna}_stance") == "accepted"
    assert page.input_value(f"#citation_{kept}_translation") == "LNA forces shelled the positions"
    assert page.locator(f"#citation_{gone}_quote").count() == 0
    visit.screenshot("editor-row-conflict-en")
    expect_document_status(visit, "412 (Precondition Failed)")
    # Saving again, on purpose, applies the typed rows over the versions saved meanwhile.
    assert save(page) == 303
    actors = " ".join(texts(page, ".record-facts .facts-list li"))
    assert "mediator" in actors
    assert "accepted" in actors
    assert "observer" not in actors
    assert "LNA forces shelled the positions" in " ".join(texts(page, ".claim .translation"))
    visit.assert_clean()
