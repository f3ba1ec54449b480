#include <catch2/catch.hpp>
#include <cstdint>

#include "mspo/format/file_rules.hpp"
#include "mspo/format/grpmem.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

// A 4-byte zero header and three members' records.
Bytes good_file() {
    GrpmemTable t;
    t.header = Bytes(4, 0);
    for (std::uint32_t mailbag : {0x0u, 0x5u, 0x1Fu}) {
        GrpmemRecord r;
        r.set_delete_flag(1);
        r.set_mailbag(mailbag);
        r.raw[GrpmemRecord::kUnknown] = 0x99;  // stands for the unknown .MEM pointers
        t.records.push_back(r);
    }
    return encode_grpmem(t);
}

}  // namespace

TEST_CASE("GrpmemRecord: field offsets of our model", "[grpmem]") {
    GrpmemRecord r;
    r.set_delete_flag(1);
    r.set_mailbag(0x0A0B0C0Du);
    CHECK(r.raw[0] == 1);
    CHECK(r.raw[1] == 0x0D);
    CHECK(r.raw[4] == 0x0A);
    CHECK(r.delete_flag() == 1);
    CHECK(r.mailbag() == 0x0A0B0C0Du);
    for (std::size_t i = GrpmemRecord::kUnknown; i < GrpmemRecord::size; ++i) CHECK(r.raw[i] == 0);
}

TEST_CASE("decode_grpmem: a good file", "[grpmem]") {
    const Bytes b = good_file();
    REQUIRE(b.size() == 4 + 3 * 128);
    CHECK_FALSE(size_violation(rules::grpmem, b.size()));
    const GrpmemTable t = decode_grpmem(b);
    REQUIRE(t.records.size() == 3);
    CHECK(t.trailing.empty());
    CHECK(t.records[1].mailbag() == 5);
    CHECK(t.records[2].mailbag() == 0x1F);
    CHECK(t.records[2].raw[GrpmemRecord::kUnknown] == 0x99);
    CHECK(encode_grpmem(t) == b);
}

TEST_CASE("decode_grpmem: a reset file is a copy of the reset GROUP.GLB (KB Q104562)", "[grpmem]") {
    const Bytes b(4, 0);
    CHECK_FALSE(size_violation(rules::grpmem, b.size()));
    const GrpmemTable t = decode_grpmem(b);
    CHECK(t.records.empty());
    CHECK(encode_grpmem(t) == b);
}

TEST_CASE("decode_grpmem: a truncated file keeps its partial record", "[grpmem]") {
    Bytes b = good_file();
    b.resize(b.size() - 100);
    CHECK(size_violation(rules::grpmem, b.size()));
    const GrpmemTable t = decode_grpmem(b);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 28);
    CHECK(encode_grpmem(t) == b);

    const Bytes tiny{0, 0, 0};
    const GrpmemTable u = decode_grpmem(tiny);
    CHECK(u.header.size() == 3);
    CHECK(u.records.empty());
    CHECK(encode_grpmem(u) == tiny);
}

TEST_CASE("decode_grpmem: absurd sizes", "[grpmem]") {
    Bytes b = good_file();
    b.push_back(0x01);
    CHECK(size_violation(rules::grpmem, b.size()));
    GrpmemTable t = decode_grpmem(b);
    CHECK(t.records.size() == 3);
    CHECK(t.trailing == Bytes{0x01});
    CHECK(encode_grpmem(t) == b);

    // 100,000 records (12.8 MB): far more than any postoffice has users.
    const Bytes big(4 + 100'000 * GrpmemRecord::size, 0x5A);
    t = decode_grpmem(big);
    CHECK(t.records.size() == 100'000);
    CHECK(t.trailing.empty());
    CHECK(encode_grpmem(t) == big);

    CHECK(size_violation(rules::grpmem, 3'000'000'000ull));
}

TEST_CASE("decode_grpmem: round trip keeps unknown bytes", "[grpmem]") {
    const Bytes original = random_bytes(4 + 10 * GrpmemRecord::size + 3, 5);
    GrpmemTable t = decode_grpmem(original);
    REQUIRE(t.records.size() == 10);
    for (auto& r : t.records) {
        r.set_mailbag(r.mailbag());
        r.set_delete_flag(r.delete_flag());
    }
    CHECK(encode_grpmem(t) == original);
}
