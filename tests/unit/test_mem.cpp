#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/mem.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

TEST_CASE("mem: a good file reads back", "[mem]") {
    TempDir dir("mem");
    const std::vector<std::uint32_t> members{0x2A, 0x1000, 0xDEADBEEF};
    const Bytes image = build_mem(members);
    REQUIRE(image.size() == 12);
    CHECK(image[0] == 0x2A);
    CHECK(image[5] == 0x10);
    write_bytes(dir.path / "0000002B.MEM", image);

    const MemTable t = read_mem(dir.path / "0000002B.MEM");
    CHECK_FALSE(size_violation(rules::mem, t.file_size));
    CHECK(mem_mailbags(t) == members);
    CHECK(encode_mem(t) == image);
}

TEST_CASE("mem: a truncated file keeps its partial record", "[mem]") {
    const Bytes image = random_bytes(6, 1);
    const MemTable t = decode_mem(image);
    CHECK(t.records.size() == 1);
    CHECK(t.trailing.size() == 2);
    CHECK(size_violation(rules::mem, t.file_size));
    CHECK(encode_mem(t) == image);
}

TEST_CASE("mem: absurd sizes", "[mem]") {
    SECTION("over the documented 2000 bytes is read but breaks the size rule") {
        const Bytes image = random_bytes(2004, 2);
        const MemTable t = decode_mem(image);
        CHECK(t.records.size() == 501);
        const auto why = size_violation(rules::mem, t.file_size);
        REQUIRE(why);
        CHECK(why->find("maximum") != std::string::npos);
        CHECK(encode_mem(t) == image);
    }
    SECTION("exactly 500 members keeps the rule") {
        const std::vector<std::uint32_t> members(kMemMaxMembers, 7);
        const Bytes image = build_mem(members);
        CHECK(image.size() == 2000);
        CHECK_FALSE(size_violation(rules::mem, image.size()));
    }
    SECTION("building more than 500 members is refused") {
        const std::vector<std::uint32_t> members(kMemMaxMembers + 1, 7);
        try {
            build_mem(members);
            FAIL("no error");
        } catch (const Error& e) { CHECK(e.code() == Errc::bad_value); }
    }
    SECTION("a huge file is refused before reading") {
        TempDir dir("mem");
        const fs::path p = dir.path / "00000001.MEM";
        write_bytes(p, {});
        fs::resize_file(p, 1ull << 30);  // sparse
        try {
            read_mem(p);
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::size_rule);
            CHECK(e.file() == p);
        }
    }
}

TEST_CASE("mem: unknown bytes survive decode, set field, encode", "[mem]") {
    const Bytes image = random_bytes(40 + 3, 3);
    MemTable t = decode_mem(image);
    REQUIRE(t.records.size() == 10);
    t.records[2].set_mailbag(0x01020304u);
    const Bytes out = encode_mem(t);
    REQUIRE(out.size() == image.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        if (i < 8 || i >= 12) CHECK(out[i] == image[i]);
    CHECK(decode_mem(out).records[2].mailbag() == 0x01020304u);
}
