#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>

#include "mspo/format/file_rules.hpp"
#include "mspo/format/network.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

NetworkRecord make_network(std::uint8_t kind, const std::string& name, std::uint32_t hexid) {
    NetworkRecord r;
    r.set_kind(kind);
    r.set_name(name);
    r.set_hexid(hexid);
    return r;
}

// One network (XTN 00000003) and one gateway (queue mailbag 0000001A).
Bytes good_file() {
    NetworkTable t;
    t.records.push_back(make_network(NetworkRecord::kKindNetwork, "HQNET", 3));
    t.records.push_back(make_network(NetworkRecord::kKindGateway, "MSMAIL", 0x1A));
    return encode_network(t);
}

}  // namespace

TEST_CASE("NetworkRecord: field offsets of our model", "[network]") {
    const NetworkRecord r = make_network(1, "SMTP", 0xABCDEF01u);
    CHECK(r.raw[0x00] == 1);
    CHECK(r.raw[0x01] == 'S');
    CHECK(r.raw[0x05] == 0);
    const std::string hex(r.raw.begin() + 0x0C, r.raw.begin() + 0x14);
    CHECK(hex == "ABCDEF01");
    CHECK(r.raw[0x14] == 0);
    for (std::size_t i = NetworkRecord::kUnknown; i < NetworkRecord::size; ++i) CHECK(r.raw[i] == 0);
}

TEST_CASE("NetworkRecord: kind and file number", "[network]") {
    NetworkRecord n = make_network(0, "HQNET", 3);
    CHECK(n.is_network());
    CHECK_FALSE(n.is_gateway());
    CHECK(n.hexid() == 3u);
    CHECK(n.hexid_text() == "00000003");
    CHECK(n.target_relpath() == std::string("XTN/00000003.XTN"));

    NetworkRecord g = make_network(1, "MSMAIL", 0x1A);
    CHECK(g.is_gateway());
    CHECK(g.target_relpath() == std::string("MBG/0000001A.MBG"));

    g.set_kind(9);  // neither kind
    CHECK_FALSE(g.is_network());
    CHECK_FALSE(g.is_gateway());
    CHECK_FALSE(g.target_relpath());

    // A lower-case id is still read; a damaged id is not.
    const char* lower = "0000abcd";
    std::copy(lower, lower + 8, n.raw.begin() + NetworkRecord::kHexid);
    CHECK(n.hexid() == 0xABCDu);
    n.raw[NetworkRecord::kHexid + 3] = 'Z';
    CHECK_FALSE(n.hexid());
    CHECK_FALSE(n.target_relpath());
    n.raw[NetworkRecord::kHexid + 3] = 0;
    CHECK(n.hexid_text() == "000");
    CHECK_FALSE(n.hexid());

    CHECK_THROWS_AS(n.set_name("ABCDEFGHIJK"), std::length_error);
}

TEST_CASE("decode_network: a good file", "[network]") {
    const Bytes b = good_file();
    REQUIRE(b.size() == 2 * 122);
    CHECK_FALSE(size_violation(rules::network, b.size()));
    const NetworkTable t = decode_network(b);
    CHECK(t.header.empty());
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[0].name() == "HQNET");
    CHECK(t.records[0].is_network());
    CHECK(t.records[1].name() == "MSMAIL");
    CHECK(t.records[1].hexid() == 0x1Au);
    CHECK(encode_network(t) == b);
    CHECK(decode_network(Bytes{}).records.empty());
}

TEST_CASE("decode_network: a truncated file keeps its partial record", "[network]") {
    Bytes b = good_file();
    b.resize(b.size() - 61);
    CHECK(size_violation(rules::network, b.size()));
    const NetworkTable t = decode_network(b);
    CHECK(t.records.size() == 1);
    CHECK(t.trailing.size() == 61);
    CHECK(encode_network(t) == b);
}

TEST_CASE("decode_network: absurd sizes", "[network]") {
    Bytes b = good_file();
    b.push_back(0);
    CHECK(size_violation(rules::network, b.size()));
    NetworkTable t = decode_network(b);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 1);
    CHECK(encode_network(t) == b);

    const Bytes big(100'000 * NetworkRecord::size, 0x30);
    t = decode_network(big);
    CHECK(t.records.size() == 100'000);
    // All '0': nine digits and no NUL in the id field, so no file number.
    CHECK(t.records[99'999].hexid_text() == "000000000");
    CHECK_FALSE(t.records[99'999].hexid());
    CHECK(encode_network(t) == big);

    CHECK(size_violation(rules::network, 3'000'000'001ull));
}

TEST_CASE("decode_network: round trip keeps unknown bytes", "[network]") {
    const Bytes original = random_bytes(12 * NetworkRecord::size + 5, 17);
    NetworkTable t = decode_network(original);
    REQUIRE(t.records.size() == 12);
    for (auto& r : t.records) r.set_kind(r.kind());
    CHECK(encode_network(t) == original);

    // set_hexid touches the 9-byte id field only.
    NetworkRecord r = t.records[3];
    r.set_hexid(0x42);
    for (std::size_t i = 0; i < NetworkRecord::size; ++i)
        if (i < NetworkRecord::kHexid || i >= NetworkRecord::kHexid + NetworkRecord::kHexidWidth)
            CHECK(r.raw[i] == t.records[3].raw[i]);
}
