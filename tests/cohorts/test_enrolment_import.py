"""A coordinator enrols many leaders at once from pasted rows or a CSV file: every row is checked
first, nothing is saved while a row is wrong, known people are reused, and new people get one
invitation each, emailed after the commit."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cohorts import enrolment, services
from tenancy.models import Invitation, LeaderGroup, Person, Role, RoleKind
from tenancy.services import accept_invitation, create_invitation, grant_role, hash_token
from tests.cohorts.test_enrolment_parsing import workbook
from tests.factories import make_group, make_organisation, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


LIST = ("name;email;title;language\n"
        "Kari Nordmann;kari@kommune.example;kommunedirektør;\n"
        "Jens Hansen;jens@kommune.example;digitaliseringschef;da\n")


def import_url(world, group=None):
    return reverse("leader_import", kwargs={"network_slug": world.network.slug,
                                            "group_id": (group or world.group).pk})


def leaders_in(group):
    return set(Role.objects.for_network(group.network_id).filter(
        kind=RoleKind.LEADER, leader_group=group).values_list("person__email", flat=True))


def check(client, world, text, group=None):
    return client.post(import_url(world, group), {"text": text, "check": "1"})


def check_and_enrol(client, world, text, group=None):
    checked = check(client, world, text, group)
    assert checked.status_code == 200, checked.content.decode()
    fingerprint = checked.context["form"]["checked"].value()
    return client.post(import_url(world, group),
                       {"text": text, "checked": fingerprint, "enrol": "1"})


def test_checking_shows_what_would_happen_and_saves_nothing(client, world):
    client.force_login(world.coordinator)
    response = check(client, world, LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kari Nordmann" in page and "jens@kommune.example" in page
    assert "Enrol 2 leaders" in page
    assert not Person.objects.filter(email__in=["kari@kommune.example"]).exists()
    assert not Invitation.objects.for_network(world.network).exists()


def test_enrolling_creates_accounts_roles_and_sends_invitations_after_commit(
        client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = check_and_enrol(client, world, LIST)
    assert response.status_code == 302
    assert response.url == reverse("organisation_detail", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk})
    assert callbacks
    assert leaders_in(world.group) >= {"kari@kommune.example", "jens@kommune.example"}
    kari = Person.objects.get(email="kari@kommune.example")
    assert (kari.name, kari.title, kari.language) == ("Kari Nordmann", "kommunedirektør", "")
    assert not kari.has_usable_password()
    invitations = {i.email: i for i in Invitation.objects.for_network(world.network)}
    assert invitations["kari@kommune.example"].language == "nb"  # the network's language
    assert invitations["jens@kommune.example"].language == "da"
    assert all(i.leader_group == world.group and i.organisation == world.organisation
               and i.invited_by == world.coordinator and i.sent_at for i in invitations.values())
    assert sorted(message.to[0] for message in mail.outbox) == [
        "jens@kommune.example", "kari@kommune.example"]


def test_no_email_leaves_before_the_transaction_commits(client, world,
                                                        django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check_and_enrol(client, world, LIST)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "jens@kommune.example", "kari@kommune.example"]


def test_an_invitation_from_the_list_can_be_accepted(world):
    parsed = enrolment.parse_leaders(LIST)
    services.enrol_leaders(world.network, world.group, parsed.leaders,
                           invited_by=world.coordinator)
    invitation = Invitation.objects.for_network(world.network).get(email="kari@kommune.example")
    token = "known-token"
    invitation.token_hash = hash_token(token)
    invitation.save()
    _invitation, person = accept_invitation(token)
    assert person == Person.objects.get(email="kari@kommune.example")
    assert Role.objects.for_network(world.network).filter(person=person).count() == 1


@pytest.mark.parametrize("language", ["en", "nb"])
def test_wrong_rows_are_listed_by_row_field_and_reason_and_nothing_is_saved(
        client, world, language):
    world.coordinator.language = language
    world.coordinator.save(update_fields=["language"])
    client.force_login(world.coordinator)
    text = ("name;email;title;language\n"
            "Kari Nordmann;kari@kommune.example;;\n"
            ";ola@kommune.example;;\n"
            "Per Hansen;per.kommune.example;;\n"
            "Liv Berg;liv@kommune.example;;sv\n")
    response = check(client, world, text)
    assert response.status_code == 400
    page = response.content.decode()
    with translation.override(language):
        for row, message in [
                (3, gettext("The name is missing.")),
                (4, gettext("“%(value)s” is not a valid email address.")
                 % {"value": "per.kommune.example"}),
                (5, gettext("“%(value)s” is not a language Bro knows. Use nb, nn, da or en, or "
                            "leave it empty for the network's language.") % {"value": "sv"})]:
            assert gettext("Row %(row)s") % {"row": row} in page
            assert message.replace("'", "&#x27;") in page
    assert response.context["form"]["checked"].value() == ""
    assert text.strip().split("\n")[2] in page  # the rows stay in the box, to be fixed there
    assert not Person.objects.filter(email="kari@kommune.example").exists()


def test_a_list_with_wrong_rows_cannot_be_enrolled_even_when_forced(client, world):
    client.force_login(world.coordinator)
    text = "name;email\nKari;kari@kommune.example\nOla;ola.kommune.example\n"
    response = client.post(import_url(world), {
        "text": text, "checked": enrolment.fingerprint(text), "enrol": "1"})
    assert response.status_code == 400
    assert not Person.objects.filter(email="kari@kommune.example").exists()


def test_a_list_changed_after_checking_is_checked_again_not_enrolled(client, world):
    client.force_login(world.coordinator)
    fingerprint = check(client, world, LIST).context["form"]["checked"].value()
    changed = LIST + "Ola Nordmann;ola@kommune.example;;\n"
    response = client.post(import_url(world), {"text": changed, "checked": fingerprint,
                                               "enrol": "1"})
    assert response.status_code == 200
    assert "Enrol 3 leaders" in response.content.decode()
    assert not Person.objects.filter(email="ola@kommune.example").exists()


def test_an_uploaded_excel_csv_with_bom_and_semicolons_is_read(client, world):
    client.force_login(world.coordinator)
    data = ("\ufeffNavn;E-post;Tittel;Språk\r\nKåre Ødegård;kare@kommune.example;"
            "rådgiver;nb\r\n").encode()
    response = client.post(import_url(world), {
        "text": "", "check": "1", "file": SimpleUploadedFile("leaders.csv", data, "text/csv")})
    assert response.status_code == 200
    assert "Kåre Ødegård" in response.content.decode()
    text = response.context["form"]["text"].value()
    assert text.startswith("Navn;E-post")  # the file's rows, ready to enrol or to fix
    fingerprint = response.context["form"]["checked"].value()
    client.post(import_url(world), {"text": text, "checked": fingerprint, "enrol": "1"})
    assert "kare@kommune.example" in leaders_in(world.group)


def upload(client, world, filename, data):
    return client.post(import_url(world), {
        "text": "", "check": "1", "file": SimpleUploadedFile(filename, data)})


def test_a_windows_1252_csv_is_read_and_the_page_says_which_encoding(client, world):
    client.force_login(world.coordinator)
    data = "navn;e-post\nKåre Ødegård;kare@kommune.example\n".encode("cp1252")
    response = upload(client, world, "leaders.csv", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "How the list was read" in page and "Windows-1252" in page
    assert "Kåre Ødegård" in page
    text = response.context["form"]["text"].value()
    fingerprint = response.context["form"]["checked"].value()
    client.post(import_url(world), {"text": text, "checked": fingerprint, "enrol": "1"})
    assert Person.objects.get(email="kare@kommune.example").name == "Kåre Ødegård"


def test_an_xlsx_workbook_with_an_hr_department_column_is_checked_and_enrolled(client, world):
    client.force_login(world.coordinator)
    data = workbook([["Fornavn", "Etternavn", "Avdeling", "E-post"],
                     ["Kari", "Nordmann", "Helse", "kari@kommune.example"],
                     ["Jens", "Hansen", "=SUM(1,2)", "jens@kommune.example"]])
    response = upload(client, world, "ledere.xlsx", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The first sheet of the Excel workbook was read." in page
    assert "“Avdeling” is not used" in page
    assert "Enrol 2 leaders" in page
    text = response.context["form"]["text"].value()
    assert text.startswith("Fornavn\tEtternavn")  # shown in the text box, ready to fix or enrol
    fingerprint = response.context["form"]["checked"].value()
    client.post(import_url(world), {"text": text, "checked": fingerprint, "enrol": "1"})
    assert leaders_in(world.group) >= {"kari@kommune.example", "jens@kommune.example"}
    assert Person.objects.get(email="kari@kommune.example").name == "Kari Nordmann"


def test_a_file_with_a_nul_byte_is_refused_by_the_check_naming_the_row(client, world):
    client.force_login(world.coordinator)
    data = b"name;email\nKari;kari@kommune.example\nOla\x00;ola@kommune.example\n"
    response = upload(client, world, "leaders.csv", data)
    assert response.status_code == 400
    problems = response.context["parsed"].problems
    assert [(p.row, p.field) for p in problems] == [(3, "")]
    assert "NUL character" in response.content.decode()
    assert "Enrol" not in response.content.decode().split("<form")[1]
    pasted = check(client, world, "name;email\nKari\x00;kari@kommune.example\n")
    assert [(p.row, p.field) for p in pasted.context["parsed"].problems] == [(2, "")]
    assert not Person.objects.filter(email="kari@kommune.example").exists()


def test_an_unreadable_file_is_refused_with_advice_and_keeps_the_pasted_text(client, world):
    client.force_login(world.coordinator)
    response = client.post(import_url(world), {
        "text": LIST, "check": "1",
        "file": SimpleUploadedFile("leaders.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Excel Workbook (.xlsx)" in page
    assert "Kari Nordmann;kari@kommune.example" in page


def test_duplicates_in_the_list_become_one_person(client, world):
    client.force_login(world.coordinator)
    text = ("name;email\nKari Nordmann;kari@kommune.example\n"
            "Kari N.;KARI@kommune.example\n")
    page = check(client, world, text).content.decode()
    assert "Rows with the same email are merged into one" in page
    check_and_enrol(client, world, text)
    assert Person.objects.filter(email__iexact="kari@kommune.example").count() == 1
    assert Invitation.objects.for_network(world.network).filter(
        email__iexact="kari@kommune.example").count() == 1


def test_people_of_the_network_are_reused_never_doubled(client, world):
    known = Person.objects.create_user("Kari@Kommune.example", name="")
    grant_role(known, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation))
    client.force_login(world.coordinator)
    page = check(client, world, LIST).content.decode()
    assert "already takes part in the network" in page
    check_and_enrol(client, world, LIST)
    assert Person.objects.filter(email__iexact="kari@kommune.example").count() == 1
    known.refresh_from_db()
    assert known.name == "Kari Nordmann"  # an empty name is filled in, nothing overwritten
    assert known.email in leaders_in(world.group)
    assert not Invitation.objects.for_network(world.network).filter(
        email__iexact="kari@kommune.example").exists()


def test_an_account_of_another_network_is_neither_revealed_nor_added_silently(
        client, world, other_world):
    """Invariant 1: a list must not tell a coordinator that an email has an account elsewhere,
    nor the name it carries there; that person is invited like anyone new."""
    elsewhere = Person.objects.create_user("kari@kommune.example", name="Kari Hemmelig")
    grant_role(elsewhere, other_world.network, RoleKind.LEADER, leader_group=other_world.group)
    client.force_login(world.coordinator)
    page = check(client, world, LIST).content.decode()
    assert "Kari Hemmelig" not in page
    assert "Kari Nordmann" in page and "already takes part" not in page
    check_and_enrol(client, world, LIST)
    assert Person.objects.filter(email__iexact="kari@kommune.example").count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Kari Hemmelig"
    assert Invitation.objects.for_network(world.network).filter(
        email__iexact="kari@kommune.example", leader_group=world.group).exists()


def test_people_already_in_the_group_are_reported_and_left_alone(client, world):
    world.leader.email = "kari@kommune.example"
    world.leader.save()
    create_invitation(world.network, email="jens@kommune.example", kind=RoleKind.LEADER,
                      invited_by=world.coordinator, language="da", leader_group=world.group)
    client.force_login(world.coordinator)
    response = check(client, world, LIST)
    assert "Already enrolled" in response.content.decode()
    assert response.context["plan"].to_enrol == 0
    assert "Enrol 0" not in response.content.decode()
    roles_before = Role.objects.for_network(world.network).count()
    services.enrol_leaders(world.network, world.group, enrolment.parse_leaders(LIST).leaders,
                           invited_by=world.coordinator)
    assert Role.objects.for_network(world.network).count() == roles_before
    assert Invitation.objects.for_network(world.network).count() == 1


def test_a_coordinator_enrols_only_in_their_own_organisations_groups(client, world):
    elsewhere = make_group(world.network, make_organisation(world.network))
    cross = make_group(world.network, None)
    client.force_login(world.coordinator)
    for group in (elsewhere, cross):
        assert check(client, world, LIST, group).status_code == 404
    for person in (world.leader, world.facilitator):
        client.force_login(person)
        assert check(client, world, LIST).status_code == 404


def test_a_network_admin_enrols_in_any_group_and_creates_groups_across_organisations(
        client, world):
    client.force_login(world.admin)
    response = client.post(reverse("network_groups", kwargs={"network_slug": world.network.slug}),
                           {"name": "Digitaliseringsledere i Agder", "organisation": "",
                            "language": ""})
    assert response.status_code == 302
    cross = LeaderGroup.objects.for_network(world.network).get(
        name="Digitaliseringsledere i Agder")
    assert cross.organisation is None
    response = check_and_enrol(client, world, LIST, cross)
    assert response.url == reverse("network_groups", kwargs={"network_slug": world.network.slug})
    assert leaders_in(cross) == {"kari@kommune.example", "jens@kommune.example"}
    assert Invitation.objects.for_network(world.network).filter(
        leader_group=cross, organisation=None).count() == 2


def test_an_admin_may_create_a_group_in_an_organisation_of_the_network_only(
        client, world, other_world):
    client.force_login(world.admin)
    url = reverse("network_groups", kwargs={"network_slug": world.network.slug})
    response = client.post(url, {"name": "Stjålet", "organisation": other_world.organisation.pk})
    assert response.status_code == 200
    assert not LeaderGroup.unscoped.filter(name="Stjålet").exists()
    client.post(url, {"name": "Ledergruppe 2", "organisation": world.organisation.pk,
                      "language": "en"})
    group = LeaderGroup.objects.for_network(world.network).get(name="Ledergruppe 2")
    assert (group.organisation, group.language) == (world.organisation, "en")


def leader_list(count, start=0):
    rows = [f"Leder {n};leder{n}@kommune.example;rådgiver;" for n in range(start, start + count)]
    return "name;email;title;language\n" + "\n".join(rows)


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_300_leaders_take_as_many_queries_as_30(world, django_assert_num_queries):
    """A whole network's enrolment in one file is an ordinary case: reads and writes are bulk."""
    small_group = make_group(world.network, world.organisation)

    def enrol(text, group):
        parsed = enrolment.parse_leaders(text)
        assert parsed.ok
        return lambda: services.enrol_leaders(world.network, group, parsed.leaders,
                                              invited_by=world.coordinator)

    # Some people of each list already have accounts, and some are in the group already.
    for n in (0, 1, 1000, 1001):
        make_person(email=f"leder{n}@kommune.example")
    grant_role(Person.objects.get(email="leder1@kommune.example"), world.network,
               RoleKind.LEADER, leader_group=small_group)
    grant_role(Person.objects.get(email="leder1001@kommune.example"), world.network,
               RoleKind.LEADER, leader_group=world.group)
    small = count_queries(enrol(leader_list(30), small_group))
    with django_assert_num_queries(small):
        enrol(leader_list(300, start=1000), world.group)()
    assert small <= 10
    assert len(leaders_in(world.group) - {world.leader.email}) == 300
    # leder1001 was in the group already; leder1000's account is unknown to this network, so
    # it is invited like the 298 new people
    assert Invitation.objects.for_network(world.network).filter(
        leader_group=world.group).count() == 299


def test_checking_300_leaders_takes_as_many_queries_as_30(client, world):
    client.force_login(world.coordinator)
    check(client, world, leader_list(3))  # the first page of a session also notes the network
    small = count_queries(lambda: check(client, world, leader_list(30)))
    big = count_queries(lambda: check(client, world, leader_list(300, start=1000)))
    assert big == small
