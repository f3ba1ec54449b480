#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/netpo.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

NetpoRecord make_netpo(const std::string& net, const std::string& po, const std::string& box,
                       std::uint32_t mailbag, std::uint32_t tid) {
    NetpoRecord r;
    r.set_network(net);
    r.set_postoffice(po);
    r.set_mailbox(box);
    r.set_mailbag(mailbag);
    r.set_tid(tid);
    return r;
}

// Delete chain 0, then two external addresses.
Bytes good_file() {
    NetpoTable t;
    t.header = Bytes(4, 0);
    t.records.push_back(make_netpo("HQNET", "LONDON", "JSMITH", 0x10, 0x2001));
    t.records.push_back(make_netpo("HQNET", "PARIS", "ADUPONT", 0x11, 0x2002));
    return encode_netpo(t);
}

}  // namespace

TEST_CASE("NetpoRecord: field offsets of our model", "[netpo]") {
    NetpoRecord r = make_netpo("NET", "PO", "BOX", 0x01020304u, 0x0A0B0C0Du);
    r.set_deleted(true);
    CHECK(r.raw[0x00] == 1);
    CHECK(r.raw[0x01] == 'N');
    CHECK(r.raw[0x0C] == 'P');
    CHECK(r.raw[0x17] == 'B');
    CHECK(r.raw[0x22] == 0x04);
    CHECK(r.raw[0x25] == 0x01);
    CHECK(r.raw[0x26] == 0x0D);
    CHECK(r.raw[0x29] == 0x0A);
    CHECK(r.raw[0x2A] == 0);
    CHECK(r.deleted());
    CHECK(r.network() == "NET");
    CHECK(r.postoffice() == "PO");
    CHECK(r.mailbox() == "BOX");
}

TEST_CASE("NetpoRecord: names are 10 characters at most", "[netpo]") {
    NetpoRecord r;
    r.set_network("ABCDEFGHIJ");
    CHECK(r.network() == "ABCDEFGHIJ");
    CHECK_THROWS_AS(r.set_network("ABCDEFGHIJK"), std::length_error);
    CHECK_THROWS_AS(r.set_postoffice("ABCDEFGHIJK"), std::length_error);
    CHECK_THROWS_AS(r.set_mailbox("ABCDEFGHIJK"), std::length_error);
}

TEST_CASE("decode_netpo: a good file", "[netpo]") {
    const Bytes b = good_file();
    REQUIRE(b.size() == 4 + 2 * 43);
    CHECK_FALSE(size_violation(rules::netpo, b.size()));
    const NetpoTable t = decode_netpo(b);
    REQUIRE(t.records.size() == 2);
    CHECK(netpo_delete_chain(t) == 0u);
    CHECK(t.records[1].network() == "HQNET");
    CHECK(t.records[1].postoffice() == "PARIS");
    CHECK(t.records[1].mailbox() == "ADUPONT");
    CHECK(t.records[1].mailbag() == 0x11);
    CHECK(t.records[1].tid() == 0x2002);
    CHECK_FALSE(t.records[1].deleted());
    CHECK(encode_netpo(t) == b);
}

TEST_CASE("netpo_delete_chain: read, reset and short headers (KB Q110100)", "[netpo]") {
    Bytes b = good_file();
    b[0] = 0x2F;  // points at record 1 (4 + 43)
    NetpoTable t = decode_netpo(b);
    CHECK(netpo_delete_chain(t) == 0x2Fu);
    set_netpo_delete_chain(t, 0);
    CHECK(netpo_delete_chain(t) == 0u);
    CHECK(encode_netpo(t) == good_file());

    NetpoTable shorty = decode_netpo(Bytes{1, 2});
    CHECK_FALSE(netpo_delete_chain(shorty));
    try {
        set_netpo_delete_chain(shorty, 0);
        FAIL("no exception");
    } catch (const Error& e) { CHECK(e.code() == Errc::truncated); }
    CHECK(shorty.header == Bytes{1, 2});
}

TEST_CASE("netpo_record_at: byte offsets of records", "[netpo]") {
    CHECK(netpo_record_at(4) == 0u);
    CHECK(netpo_record_at(4 + 43) == 1u);
    CHECK(netpo_record_at(4 + 43 * 1000) == 1000u);
    CHECK_FALSE(netpo_record_at(0));
    CHECK_FALSE(netpo_record_at(3));
    CHECK_FALSE(netpo_record_at(5));
    CHECK_FALSE(netpo_record_at(4 + 42));
    CHECK(netpo_record_at(UINT64_MAX - (UINT64_MAX - 4) % 43) == (UINT64_MAX - 4) / 43);
}

TEST_CASE("decode_netpo: truncated files", "[netpo]") {
    Bytes b = good_file();
    b.resize(b.size() - 1);
    CHECK(size_violation(rules::netpo, b.size()));
    const NetpoTable t = decode_netpo(b);
    CHECK(t.records.size() == 1);
    CHECK(t.trailing.size() == 42);
    CHECK(encode_netpo(t) == b);

    // PODIAG "Error 140" leaves a bare header (KB Q110223): valid, no records.
    const NetpoTable bare = decode_netpo(Bytes(4, 0));
    CHECK(bare.records.empty());
    CHECK_FALSE(size_violation(rules::netpo, 4));
    CHECK(decode_netpo(Bytes{}).header.empty());
}

TEST_CASE("decode_netpo: absurd sizes", "[netpo]") {
    Bytes b = good_file();
    b.insert(b.end(), 40, 0);
    CHECK(size_violation(rules::netpo, b.size()));
    NetpoTable t = decode_netpo(b);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 40);
    CHECK(encode_netpo(t) == b);

    Bytes big(4 + 1'000'000 * NetpoRecord::size, 0);
    big[4 + 500'000 * NetpoRecord::size + NetpoRecord::kMailbag] = 0x77;
    t = decode_netpo(big);
    REQUIRE(t.records.size() == 1'000'000);
    CHECK(t.records[500'000].mailbag() == 0x77);
    CHECK(encode_netpo(t) == big);

    CHECK(size_violation(rules::netpo, 3'000'000'000ull));
}

TEST_CASE("decode_netpo: round trip keeps unknown bytes", "[netpo]") {
    const Bytes original = random_bytes(4 + 25 * NetpoRecord::size + 11, 99);
    NetpoTable t = decode_netpo(original);
    REQUIRE(t.records.size() == 25);
    set_netpo_delete_chain(t, *netpo_delete_chain(t));
    for (auto& r : t.records) {
        r.set_mailbag(r.mailbag());
        r.set_tid(r.tid());
    }
    CHECK(encode_netpo(t) == original);
}
