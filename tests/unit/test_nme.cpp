#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/nme.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

NmeRecord entry(const std::string& alias, std::uint32_t tid, NmeType type, std::uint32_t pointer) {
    NmeRecord r;
    r.set_alias(alias);
    r.set_tid(tid);
    r.set_type(type);
    r.set_pointer(pointer);
    return r;
}

}  // namespace

TEST_CASE("nme: record fields sit at the model's offsets", "[nme]") {
    NmeRecord r = entry("Anna Admin", 0x11223344u, NmeType::group, 0x00000010u);
    CHECK(r.raw[0] == 'A');
    CHECK(r.raw[10] == 0);
    CHECK(r.raw[0x1F] == 0x44);
    CHECK(r.raw[0x22] == 0x11);
    CHECK(r.raw[0x23] == 4);
    CHECK(r.raw[0x24] == 0x10);
    CHECK(r.alias() == "Anna Admin");
    CHECK(r.tid() == 0x11223344u);
    CHECK(r.type() == NmeType::group);
    CHECK(r.pointer() == 0x10u);
    CHECK_THROWS_AS(r.set_alias(std::string(31, 'x')), std::length_error);
    r.set_alias(std::string(30, 'x'));
    CHECK(r.alias().size() == 30);
}

TEST_CASE("nme: a good file reads back", "[nme]") {
    TempDir dir("nme");
    NmeTable t;
    t.records = {entry("Local User", 1, NmeType::local, 0), entry("Far Away", 2, NmeType::external, 4),
                 entry("Everyone", 3, NmeType::group, 8)};
    const Bytes image = encode_nme(t);
    REQUIRE(image.size() == 3 * 45);
    write_bytes(dir.path / "ADMIN.NME", image);

    const NmeTable back = read_nme(dir.path / "ADMIN.NME");
    CHECK_FALSE(size_violation(rules::nme, back.file_size));
    REQUIRE(back.records.size() == 3);
    CHECK(back.trailing.empty());
    CHECK(back.records[1].alias() == "Far Away");
    CHECK(back.records[1].type() == NmeType::external);
    CHECK(back.records[2].pointer() == 8u);
    CHECK(find_tid(back, 3) == 2u);
    CHECK_FALSE(find_tid(back, 99));
    CHECK(encode_nme(back) == image);
}

TEST_CASE("nme: a truncated file keeps its partial record", "[nme]") {
    Bytes image = random_bytes(2 * 45 + 20, 1);
    const NmeTable t = decode_nme(image);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 20);
    CHECK(size_violation(rules::nme, t.file_size));
    CHECK(encode_nme(t) == image);
}

TEST_CASE("nme: absurd sizes", "[nme]") {
    SECTION("shorter than one record") {
        const Bytes image = random_bytes(44, 2);
        const NmeTable t = decode_nme(image);
        CHECK(t.records.empty());
        CHECK(t.trailing.size() == 44);
        CHECK(encode_nme(t) == image);
    }
    SECTION("an empty file is an empty list") {
        const NmeTable t = decode_nme(Bytes{});
        CHECK(t.records.empty());
        CHECK_FALSE(size_violation(rules::nme, 0));
    }
    SECTION("a file over the read limit is refused before reading") {
        TempDir dir("nme");
        const fs::path p = dir.path / "GAL.NME";
        write_bytes(p, {});
        fs::resize_file(p, kNmeReadLimit + 45);  // sparse
        try {
            read_nme(p);
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::size_rule);
            CHECK(e.file() == p);
        }
    }
    SECTION("a missing file") {
        TempDir dir("nme");
        CHECK_THROWS_AS(read_nme(dir.path / "NONE.NME"), Error);
    }
}

TEST_CASE("nme: unknown type values are kept and reported as unknown", "[nme]") {
    NmeRecord r = entry("Odd", 5, NmeType::local, 0);
    r.set_type_code(7);
    CHECK(r.type_code() == 7);
    CHECK_FALSE(r.type());
    CHECK(nme_type_name(r.type_code()) == "unknown (7)");
    CHECK(nme_type_name(0) == "unknown (0)");
    CHECK(nme_type_name(1) == "local");
    CHECK(nme_type_name(2) == "external");
    CHECK(nme_type_name(4) == "group");
    CHECK_FALSE(nme_type(3));
    const Bytes image(r.raw.begin(), r.raw.end());
    const NmeTable t = decode_nme(image);
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].type_code() == 7);
    CHECK(encode_nme(t) == image);
}

TEST_CASE("nme: unknown bytes survive decode, set field, encode", "[nme]") {
    const Bytes image = random_bytes(10 * 45 + 3, 3);
    NmeTable t = decode_nme(image);
    REQUIRE(t.records.size() == 10);
    CHECK(encode_nme(t) == image);

    t.records[4].set_tid(0xCAFEF00Du);
    t.records[4].set_pointer(0x01020304u);
    t.records[4].set_type(NmeType::group);
    const Bytes out = encode_nme(t);
    REQUIRE(out.size() == image.size());
    const std::size_t base = 4 * 45;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool written = i >= base + NmeRecord::kTid && i < base + NmeRecord::kPointer + 4;
        if (!written) CHECK(out[i] == image[i]);
    }
    const NmeTable back = decode_nme(out);
    CHECK(back.records[4].tid() == 0xCAFEF00Du);
    CHECK(back.records[4].pointer() == 0x01020304u);
    CHECK(back.records[4].type() == NmeType::group);
}
