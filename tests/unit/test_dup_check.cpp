#include <catch2/catch.hpp>

#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;

namespace {
constexpr std::string_view kSpec =
    "user ADMIN\nuser BOB\nexternal NET/PO2 users=2\nexternal NET/PO3 users=1\n";

Findings run(const TempPostoffice& po) {
    const Postoffice p = po.po();
    const Accounts a = load_accounts(p);
    return check_external_filenums(p, &a);
}

template <class F>
void edit_netpo(const TempPostoffice& po, F f) {
    auto t = decode_netpo(pogen_fixture::read_bytes(po.path("GLB/NETPO.GLB")));
    f(t);
    pogen_fixture::write_bytes(po.path("GLB/NETPO.GLB"), encode_netpo(t));
}
}  // namespace

TEST_CASE("dup_check: distinct numbers pass, one postoffice's many records are one user", "[checks][dup]") {
    TempPostoffice po(kSpec);
    CHECK(run(po).empty());
}

TEST_CASE("dup_check: an external postoffice using an account's mailbag", "[checks][dup]") {
    TempPostoffice po(kSpec);
    edit_netpo(po, [](NetpoTable& t) { t.records[2].set_mailbag(1); });  // PO3 -> BOB's number
    const auto f = run(po);
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "filenum.duplicate");
    CHECK(f[0].file == "GLB/NETPO.GLB");
    CHECK(f[0].record == 2u);
    CHECK(f[0].offset == 4u + 2 * 43 + NetpoRecord::kMailbag);
    CHECK(f[0].message.find("already used by account 1 (BOB)") != std::string::npos);
}

TEST_CASE("dup_check: two external postoffices, one number", "[checks][dup]") {
    TempPostoffice po(kSpec);
    edit_netpo(po, [](NetpoTable& t) { t.records[2].set_mailbag(t.records[0].mailbag()); });
    const auto f = run(po);
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("external postoffice NET/PO3") == 0);
}

TEST_CASE("dup_check: deleted NETPO records hold no number", "[checks][dup]") {
    TempPostoffice po(kSpec);
    edit_netpo(po, [](NetpoTable& t) {
        t.records[2].set_mailbag(1);
        t.records[2].set_deleted(true);
    });
    CHECK(run(po).empty());
}

TEST_CASE("dup_check: gateways and networks", "[checks][dup]") {
    TempPostoffice po(kSpec);
    auto t = decode_network(pogen_fixture::read_bytes(po.path("GLB/NETWORK.GLB")));
    NetworkRecord gw;
    gw.set_kind(NetworkRecord::kKindGateway);
    gw.set_name("FAX");
    gw.set_hexid(0);  // ADMIN's mailbag
    NetworkRecord net2 = t.records[0];
    net2.set_name("NET2");  // same XTN number as NET
    t.records.push_back(gw);
    t.records.push_back(net2);
    pogen_fixture::write_bytes(po.path("GLB/NETWORK.GLB"), encode_network(t));
    const auto f = run(po);
    REQUIRE(f.size() == 2);
    CHECK(f[0].message.find("gateway FAX") == 0);
    CHECK(f[0].record == 1u);
    CHECK(f[1].message.find("network NET2") == 0);
    CHECK(f[1].offset == 2u * 122 + NetworkRecord::kHexid);
}

TEST_CASE("dup_check: runs without the account tables", "[checks][dup]") {
    TempPostoffice po(kSpec);
    edit_netpo(po, [](NetpoTable& t) { t.records[2].set_mailbag(1); });
    CHECK(check_external_filenums(po.po(), nullptr).empty());
}
