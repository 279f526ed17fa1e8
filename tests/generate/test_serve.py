#!/usr/bin/env python3
"""Generated services, run as processes on the embedded broker and SQLite, with no user file
edited: the declarative library model (tests/generate/declarative) and the driver-call example
serve their commands, publish their events, react through their policies, sync calls and saga
compensations, and keep and serve their read models.

Usage: test_serve.py BROKER NAME=BINARY... [unittest args]
"""

import base64
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from processes import System, call, eventually, send, token  # noqa: E402

BROKER = sys.argv[1]
BINARIES = dict(arg.split("=", 1) for arg in sys.argv[2:] if "=" in arg)
sys.argv = [sys.argv[0]] + [a for a in sys.argv[2:] if "=" not in a]


class Library(unittest.TestCase):
    """tests/generate/declarative/model.yaml: commands, a sync call with breaker and fallback,
    a policy across contexts, a configured precondition, and a read model with its queries."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.system = System(cls.tmp.name, BROKER)
        s = cls.system
        cls.catalog = s.service("catalog", BINARIES["library_catalog"])
        cls.lending = s.service("lending", BINARIES["library_lending"], {
            "ESKIT_LENDING_RESERVE_THE_BOOK_URL": cls.catalog, "ESKIT_LENDING_MAX_LOAN_DAYS": "21"})
        cls.notification = s.service("notification", BINARIES["library_notification"])

    @classmethod
    def tearDownClass(cls):
        cls.system.close()
        cls.tmp.cleanup()

    def run(self, result=None):
        outcome = super().run(result)
        if result and (result.failures or result.errors):
            print(self.system.logs(), file=sys.stderr)
        return outcome

    def test_a_loan_reserves_its_book_and_returning_it_releases_the_book(self):
        status, book = call("POST", self.catalog + "/books", {"bookId": 7, "title": "Dune"})
        self.assertEqual(201, status, book)
        self.assertEqual({"bookId": 7, "title": "Dune", "status": "AVAILABLE", "version": 1}, book)

        status, loan = call("POST", self.lending + "/loans", {"bookId": 7, "memberId": 3, "days": 7})
        self.assertEqual(201, status, loan)
        self.assertEqual("BORROWED", loan["status"])
        self.assertEqual("RESERVED", call("GET", f"{self.catalog}/books/7")[1]["status"],
                         "the sync call reserved the book before the loan was stored")

        row_url = f"{self.notification}/member-loans/{loan['loanId']}"
        row = eventually(lambda: (lambda r: r[0] == 200 and r[1])(call("GET", row_url)),
                         "the read model's row")
        self.assertEqual({"loanId": loan["loanId"], "memberId": 3, "bookId": 7,
                          "status": "BORROWED", "changes": 1}, row)

        status, again = call("POST", self.lending + "/loans", {"bookId": 7, "memberId": 4, "days": 2})
        self.assertEqual(409, status, again)
        self.assertEqual("urn:eskit:problem:refused-by-catalog", again["type"])
        self.assertIn("AVAILABLE", again["detail"], "the catalog's own reason")

        status, returned = call("POST", f"{self.lending}/loans/{loan['loanId']}/return", {})
        self.assertEqual((200, "RETURNED"), (status, returned["status"]), returned)
        eventually(lambda: call("GET", f"{self.catalog}/books/7")[1]["status"] == "AVAILABLE",
                   "the policy releasing the returned book")
        eventually(lambda: call("GET", row_url)[1].get("status") == "RETURNED",
                   "the projection of the return")
        _, row = call("GET", row_url)
        self.assertEqual(2, row["changes"], "each event applied once")

        status, returned = call("POST", f"{self.lending}/loans/{loan['loanId']}/return", {})
        self.assertEqual(409, status, "the lifecycle refuses a second return")

    def test_the_configured_maximum_decides_and_input_is_checked(self):
        status, problem = call("POST", self.lending + "/loans", {"bookId": 8, "memberId": 3,
                                                                 "days": 22})
        self.assertEqual(409, status, problem)
        self.assertEqual("a loan lasts 1 day up to the configured maximum", problem["detail"])
        call("POST", self.catalog + "/books", {"bookId": 8, "title": "Emma"})
        self.assertEqual(201, call("POST", self.lending + "/loans",
                                   {"bookId": 8, "memberId": 3, "days": 21})[0],
                         "ESKIT_LENDING_MAX_LOAN_DAYS=21 allows 21 (the model's default is 14)")
        status, problem = call("POST", self.lending + "/loans", {"bookId": "x", "memberId": 3,
                                                                 "days": 2})
        self.assertEqual(400, status)
        self.assertEqual("bookId", problem["errors"][0]["field"])
        self.assertEqual(400, call("GET", self.catalog + "/books/seven")[0])
        self.assertEqual(404, call("GET", self.catalog + "/books/999")[0])
        self.assertEqual(409, call("POST", self.catalog + "/books", {"bookId": 9, "title": ""})[0])

    def test_the_list_query_filters(self):
        call("POST", self.catalog + "/books", {"bookId": 20, "title": "Ulysses"})
        call("POST", self.catalog + "/books", {"bookId": 21, "title": "Middlemarch"})
        call("POST", self.lending + "/loans", {"bookId": 20, "memberId": 55, "days": 3})
        call("POST", self.lending + "/loans", {"bookId": 21, "memberId": 56, "days": 3})

        def loans_of(member):
            status, body = call("GET", f"{self.notification}/member-loans?memberId={member}")
            return status == 200 and [row["bookId"] for row in body["items"]]
        self.assertEqual([20], eventually(lambda: loans_of(55), "member 55's loans"))
        self.assertEqual([21], eventually(lambda: loans_of(56), "member 56's loans"))
        self.assertEqual(400, call("GET", f"{self.notification}/member-loans?memberId=x")[0])

    def test_without_the_catalog_a_loan_is_refused_with_the_fallback_and_nothing_is_stored(self):
        # Last in name order, as unittest runs them: it stops the catalog.
        self.system.stop("catalog")
        status, problem = call("POST", self.lending + "/loans",
                               {"bookId": 30, "memberId": 9, "days": 3})
        self.assertEqual(503, status, problem)
        self.assertEqual("urn:eskit:problem:try-later", problem["type"])
        self.assertEqual([], call("GET", f"{self.notification}/member-loans?memberId=9")[1]["items"])


class DriverCall(unittest.TestCase):
    """examples/drivercall as generated: no user file edited, the write-up's flows hold."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.system = System(cls.tmp.name, BROKER)
        s = cls.system
        cls.payment = s.service("payment", BINARIES["drivercall_payment"])
        cls.caller = s.service("caller", BINARIES["drivercall_caller"],
                               {"ESKIT_CALLER_APPROVE_PAYMENT_URL": cls.payment})
        cls.catcher = s.service("catcher", BINARIES["drivercall_catcher"])
        cls.dashboard = s.service("dashboard", BINARIES["drivercall_dashboard"])
        cls.customer = token("CUSTOMER")

    @classmethod
    def tearDownClass(cls):
        cls.system.close()
        cls.tmp.cleanup()

    def run(self, result=None):
        outcome = super().run(result)
        if result and (result.failures or result.errors):
            print(self.system.logs(), file=sys.stderr)
        return outcome

    def make_call(self, location, amount=20000):
        status, made = call("POST", self.caller + "/calls",
                            {"mobile": "010-1234-5678", "location": location, "payType": "CARD",
                             "payAmount": amount}, self.customer)
        self.assertEqual(201, status, made)
        return made["callId"]

    def dashboard_of(self, call_id):
        return call("GET", f"{self.dashboard}/dashboards/{call_id}", bearer=self.customer)[1] or {}

    def test_a_paid_call_in_the_service_area_is_received(self):
        call_id = self.make_call("kangnam")
        status, paid = call("POST", f"{self.caller}/calls/payCall/{call_id}", {}, self.customer)
        self.assertEqual((200, "APPROVED"), (status, paid["status"]), paid)
        row = eventually(lambda: (lambda r: r.get("catchStatus") == "RECEIVED" and r)(
            self.dashboard_of(call_id)), "the dashboard showing the received call")
        self.assertEqual(("APPROVED", "APPROVED"), (row["callStatus"], row["paymentStatus"]))

    def test_a_call_outside_the_area_is_denied_and_compensated(self):
        call_id = self.make_call("busan")
        self.assertEqual(200, call("POST", f"{self.caller}/calls/payCall/{call_id}", {},
                                   self.customer)[0])
        row = eventually(lambda: (lambda r: r.get("callStatus") == "DENIED" and
                                  r.get("paymentStatus") == "DISABLED" and r)(
            self.dashboard_of(call_id)), "CatchDenied compensating payment and call")
        self.assertEqual("DENIED", row["catchStatus"])
        self.assertEqual("DENIED", call("GET", f"{self.caller}/calls/{call_id}",
                                        bearer=self.customer)[1]["status"])

    def test_no_payment_no_call(self):
        call_id = self.make_call("mapo", amount=3000)
        status, problem = call("POST", f"{self.caller}/calls/payCall/{call_id}", {}, self.customer)
        self.assertEqual(409, status, problem)
        self.assertEqual("payment is refused for amounts under 5000", problem["detail"])
        self.assertEqual("CREATED", call("GET", f"{self.caller}/calls/{call_id}",
                                         bearer=self.customer)[1]["status"])

    def test_cancelling_a_paid_call_cancels_its_payment(self):
        call_id = self.make_call("jongro")
        call("POST", f"{self.caller}/calls/payCall/{call_id}", {}, self.customer)
        status, cancelled = call("POST", f"{self.caller}/calls/{call_id}/cancel", {},
                                 self.customer)
        self.assertEqual((200, "CANCELLED"), (status, cancelled["status"]), cancelled)
        eventually(lambda: self.dashboard_of(call_id).get("paymentStatus") == "CANCELLED",
                   "the policy cancelling the payment")

    def test_roles_are_checked(self):
        self.assertEqual(401, call("POST", self.caller + "/calls", {})[0])
        status, _ = call("POST", self.caller + "/calls", {}, token("DRIVER"))
        self.assertEqual(403, status)


class PetCareLogin(unittest.TestCase):
    """examples/petcare's user context: Login issues a signed token (issues_token), only a
    configured login id can claim ADMIN, and sitter approval needs ADMIN."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.system = System(cls.tmp.name, BROKER)
        cls.user = cls.system.service("user", BINARIES["petmily_user"], {
            "ESKIT_USER_TOKEN_SECRET": "unused-by-hs256", "ESKIT_USER_ADMIN_LOGIN_IDS": "root"})

    @classmethod
    def tearDownClass(cls):
        cls.system.close()
        cls.tmp.cleanup()

    def register(self, login_id, password):
        status, member = call("POST", self.user + "/user/members", {
            "loginId": login_id, "password": password, "memberName": login_id,
            "email": f"{login_id}@example.com", "phone": "010-0000-0000",
            "address": {"city": "Seoul", "street": "1 Mapo-daero", "zipCode": "04100"}})
        self.assertEqual(201, status, member)
        self.assertNotIn("password", member, "a secret field is never answered")
        return member

    def login(self, login_id, password):
        answer = send("POST", self.user + "/user/login", {"loginId": login_id, "password": password})
        return answer

    def test_login_issues_a_token_that_the_services_accept(self):
        member = self.register("hong", "s3cret")
        answer = self.login("hong", "s3cret")
        self.assertEqual(200, answer.status, answer.raw)
        self.assertEqual("Bearer", answer.body["token_type"])
        self.assertGreater(answer.body["expires_in"], 0)
        claims = json.loads(base64.urlsafe_b64decode(
            answer.body["access_token"].split(".")[1] + "=="))
        self.assertEqual(("hong", ["MEMBER"]), (claims["sub"], claims["roles"]))
        status, viewed = call("GET", f"{self.user}/user/members/{member['memberId']}",
                              bearer=answer.body["access_token"])
        self.assertEqual((200, "hong"), (status, viewed["loginId"]), "the issued token is accepted")
        self.assertNotIn("password", viewed)

    def test_a_token_lifetime_below_one_second_stops_the_start_up(self):
        # A token expired when issued would fail every login; the service refuses to start and
        # says which setting, and where the value came from.
        with self.assertRaises(AssertionError) as refused:
            self.system.service("user-zero-lifetime", BINARIES["petmily_user"], {
                "ESKIT_USER_TOKEN_SECRET": "unused-by-hs256",
                "ESKIT_USER_ACCESS_TOKEN_VALIDITY_SECONDS": "0"})
        reason = str(refused.exception)
        self.assertIn("exited with", reason)
        self.assertIn("user.accessTokenValiditySeconds: must be at least 1", reason)
        self.assertIn("it is 0 (from ESKIT_USER_ACCESS_TOKEN_VALIDITY_SECONDS)", reason)

    def test_wrong_password_and_unknown_id_get_the_same_refusal(self):
        self.register("kim", "right")
        wrong, unknown = self.login("kim", "wrong"), self.login("nobody", "right")
        self.assertEqual((401, 401), (wrong.status, unknown.status))
        self.assertEqual(wrong.body, unknown.body)
        self.assertEqual("urn:eskit:problem:invalid-credentials", wrong.body["type"])

    def test_sitter_approval_needs_admin(self):
        member = self.register("lee", "pw")
        member_token = self.login("lee", "pw").body["access_token"]
        status, sitter = call("POST", self.user + "/user/sitters", {
            "memberId": member["memberId"], "sitterName": "Lee", "introduction": "dogs",
            "careerYears": 2, "activityArea": "Mapo"}, member_token)
        self.assertEqual(201, status, sitter)
        approval = f"{self.user}/user/sitters/{sitter['sitterId']}/approval"
        self.assertEqual(403, call("POST", approval, {}, member_token)[0], "MEMBER may not approve")

        self.register("root", "admin-pw")
        status, _ = call("POST", self.user + "/user/admin-role",
                         {"loginId": "lee", "password": "pw"})
        self.assertEqual(409, status, "a login id that is not configured cannot claim ADMIN")
        status, _ = call("POST", self.user + "/user/admin-role",
                         {"loginId": "root", "password": "admin-pw"})
        self.assertEqual(200, status)
        admin_token = self.login("root", "admin-pw").body["access_token"]
        status, approved = call("POST", approval, {}, admin_token)
        self.assertEqual((200, "APPROVED"), (status, approved["status"]), approved)


if __name__ == "__main__":
    unittest.main()
