#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>

#include "mspo/format/access.hpp"
#include "mspo/format/file_rules.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

Access2Record make_access2(const std::string& mailbox, std::uint32_t mailbag, std::uint32_t tid,
                           bool deleted) {
    Access2Record r;
    r.set_mailbox(mailbox);
    r.set_mailbag(mailbag);
    r.set_tid(tid);
    r.set_deleted(deleted);
    return r;
}

}  // namespace

TEST_CASE("Access2Record: field offsets of our model", "[access]") {
    const Access2Record r = make_access2("ADMIN", 0x2A, 0x01020304u, true);
    CHECK(r.raw[0x00] == 'A');
    CHECK(r.raw[0x05] == 0);
    const std::string hex(r.raw.begin() + 0x0B, r.raw.begin() + 0x13);
    CHECK(hex == "0000002A");
    CHECK(r.raw[0x13] == 0);
    CHECK(r.raw[0x14] == 0x04);
    CHECK(r.raw[0x17] == 0x01);
    CHECK(r.raw[0x18] == 1);
    for (std::size_t i = 0x19; i < Access2Record::size; ++i) CHECK(r.raw[i] == 0);
    CHECK(r.mailbox() == "ADMIN");
    CHECK(r.mailbag_text() == "0000002A");
    CHECK(r.mailbag() == 0x2Au);
    CHECK(r.tid() == 0x01020304u);
    CHECK(r.deleted());
    CHECK(r.status() == 1);
}

TEST_CASE("Access2Record: a damaged mailbag field has no number", "[access]") {
    Access2Record r = make_access2("USER1", 1, 1, false);
    r.raw[Access2Record::kMailbag + 2] = 'G';
    CHECK_FALSE(r.mailbag());
    r.raw[Access2Record::kMailbag + 2] = 0;
    CHECK(r.mailbag_text() == "00");
    CHECK_FALSE(r.mailbag());
    // Lower-case hex is still a number.
    const char* lower = "0000abcd";
    std::copy(lower, lower + 8, r.raw.begin() + Access2Record::kMailbag);
    CHECK(r.mailbag() == 0xABCDu);
}

TEST_CASE("Access2Record: status and name limits", "[access]") {
    Access2Record r;
    CHECK_FALSE(r.deleted());
    r.raw[Access2Record::kStatus] = 5;  // not 1: not deleted, but visible
    CHECK_FALSE(r.deleted());
    CHECK(r.status() == 5);
    r.set_mailbox("ABCDEFGHIJ");
    CHECK(r.mailbox() == "ABCDEFGHIJ");
    CHECK_THROWS_AS(r.set_mailbox("ABCDEFGHIJK"), std::length_error);
}

TEST_CASE("AccessRecord: full name of 30 characters at most", "[access]") {
    AccessRecord r;
    r.set_full_name("Jane Smith");
    CHECK(r.full_name() == "Jane Smith");
    CHECK(r.raw[10] == 0);
    r.set_full_name(std::string(30, 'x'));
    CHECK(r.full_name().size() == 30);
    CHECK_THROWS_AS(r.set_full_name(std::string(31, 'x')), std::length_error);
}

TEST_CASE("access: the three tables decode in parallel", "[access]") {
    Access2Table t2;
    t2.records.push_back(make_access2("ADMIN", 0, 1, false));
    t2.records.push_back(make_access2("USER1", 1, 2, true));
    const Bytes b2 = encode_table(t2);
    const Bytes b1(2 * 586, 0);
    const Bytes b3(2 * 512, 0);
    CHECK_FALSE(size_violation(rules::access, b1.size()));
    CHECK_FALSE(size_violation(rules::access2, b2.size()));
    CHECK_FALSE(size_violation(rules::access3, b3.size()));
    const auto d1 = decode_table<AccessRecord>(b1, rules::access);
    const auto d2 = decode_table<Access2Record>(b2, rules::access2);
    const auto d3 = decode_table<Access3Record>(b3, rules::access3);
    CHECK(d1.records.size() == 2);
    CHECK(d2.records.size() == 2);
    CHECK(d3.records.size() == 2);
    CHECK(d2.records[1].mailbox() == "USER1");
    CHECK(d2.records[1].deleted());
    CHECK(encode_table(d2) == b2);
}

TEST_CASE("access: truncated and absurd sizes keep every byte", "[access]") {
    Bytes b = random_bytes(3 * 69 - 1, 3);
    CHECK(size_violation(rules::access2, b.size()));
    auto t = decode_table<Access2Record>(b, rules::access2);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 68);
    CHECK(encode_table(t) == b);

    const Bytes big(100'000 * 69, 0x30);
    t = decode_table<Access2Record>(big, rules::access2);
    CHECK(t.records.size() == 100'000);
    CHECK(encode_table(t) == big);
    CHECK(size_violation(rules::access, 3'000'000'000ull));
    CHECK(size_violation(rules::access3, 3'000'000'001ull));
}

TEST_CASE("access: round trip keeps unknown bytes", "[access]") {
    const Bytes o1 = random_bytes(5 * AccessRecord::size + 7, 1);
    const Bytes o2 = random_bytes(5 * Access2Record::size + 7, 2);
    const Bytes o3 = random_bytes(5 * Access3Record::size + 7, 3);
    auto t1 = decode_table<AccessRecord>(o1, rules::access);
    auto t2 = decode_table<Access2Record>(o2, rules::access2);
    auto t3 = decode_table<Access3Record>(o3, rules::access3);
    for (auto& r : t2.records) r.set_tid(r.tid());
    CHECK(encode_table(t1) == o1);
    CHECK(encode_table(t2) == o2);
    CHECK(encode_table(t3) == o3);
}
