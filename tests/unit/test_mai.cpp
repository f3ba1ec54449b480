#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "mspo/base/error.hpp"
#include "mspo/format/mai.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

// A MAI image whose counter bytes are `lo hi`, as in the KB Q104423 examples.
Bytes mai_with(std::uint8_t lo, std::uint8_t hi, std::size_t size = 64) {
    Bytes b = random_bytes(size, 8);
    b[0x0B] = lo;
    b[0x0C] = hi;
    return b;
}

void check_truncated(const fs::path& p) {
    try {
        read_mai_refcount(p);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::truncated);
        CHECK(e.file() == p);
        CHECK(e.offset() == std::optional<std::uint64_t>(0x0B));
    }
}

}  // namespace

TEST_CASE("mai: the reference counter of a good file", "[mai]") {
    TempDir dir("mai");
    write_bytes(dir.path / "0000013D.MAI", mai_with(0x2C, 0x01));  // KB Q104423: 012C = 300
    CHECK(read_mai_refcount(dir.path / "0000013D.MAI") == 300);
    write_bytes(dir.path / "00000001.MAI", mai_with(0x05, 0x00, 13));  // smallest file that holds it
    CHECK(read_mai_refcount(dir.path / "00000001.MAI") == 5);

    CHECK(get_refcount(mai_with(0xFF, 0x00)) == 255);
    CHECK(get_refcount(mai_with(0x00, 0x01)) == 256);
    CHECK(get_refcount(mai_with(0xF4, 0x01)) == 500);
}

TEST_CASE("mai: a truncated file", "[mai]") {
    TempDir dir("mai");
    write_bytes(dir.path / "A.MAI", random_bytes(12, 9));
    check_truncated(dir.path / "A.MAI");
    write_bytes(dir.path / "B.MAI", {});
    check_truncated(dir.path / "B.MAI");
    CHECK_THROWS_AS(get_refcount(Bytes(12, 0)), Error);
    Bytes short_image(5, 0);
    try {
        set_refcount(short_image, 1);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::truncated);
        CHECK(e.offset() == std::optional<std::uint64_t>(0x0B));
    }
    CHECK(short_image == Bytes(5, 0));
}

TEST_CASE("mai: a missing file", "[mai]") {
    TempDir dir("mai");
    try {
        read_mai_refcount(dir.path / "NONE.MAI");
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.code() == Errc::not_found); }
}

TEST_CASE("mai: an absurdly large file reads only the counter", "[mai]") {
    TempDir dir("mai");
    const fs::path p = dir.path / "BIG.MAI";
    write_bytes(p, mai_with(0x03, 0x00, 16));
    fs::resize_file(p, 1ull << 34);  // sparse, 16 GiB
    CHECK(read_mai_refcount(p) == 3);
}

TEST_CASE("mai: set_refcount changes only the counter", "[mai]") {
    const Bytes image = random_bytes(300, 10);
    Bytes edited = image;
    set_refcount(edited, 0x0102);
    CHECK(get_refcount(edited) == 0x0102);
    CHECK(edited[0x0B] == 0x02);
    CHECK(edited[0x0C] == 0x01);
    for (std::size_t i = 0; i < image.size(); ++i)
        if (i != 0x0B && i != 0x0C) CHECK(edited[i] == image[i]);
    set_refcount(edited, get_refcount(image));
    CHECK(edited == image);
}

TEST_CASE("mai_refcount: each counter read once per Postoffice until refresh()", "[mai]") {
    TempDir dir("mai-memo");
    const fs::path file = dir.path / "00000013.MAI";
    write_bytes(file, mai_with(2, 0));
    const Postoffice po(dir.path);
    CHECK(mai_refcount(po, 0x13, file) == 2);
    write_bytes(file, mai_with(5, 0));
    CHECK(mai_refcount(po, 0x13, file) == 2);  // remembered, not read again
    CHECK(read_mai_refcount(file) == 5);
    po.refresh();
    CHECK(mai_refcount(po, 0x13, file) == 5);
    fs::remove(file);
    po.refresh();
    CHECK_THROWS_AS(mai_refcount(po, 0x13, file), Error);  // errors are not remembered
}
