#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/mbg.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

#if defined(__SANITIZE_ADDRESS__)
#define MSPO_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MSPO_TEST_ASAN 1
#endif
#endif

namespace {

Bytes from_hex(const std::string& text) {
    std::istringstream in(text);
    Bytes out;
    std::string tok;
    while (in >> tok) out.push_back(static_cast<std::uint8_t>(std::stoul(tok, nullptr, 16)));
    return out;
}

// The 256-byte DEBUG dump of 00000000.MBG in KB Q108027: two whole records
// (0x00 and 0x74) and the first 24 bytes of a freed third slot.
const Bytes& kb_dump() {
    static const Bytes dump = from_hex(R"(
        00 00 4D 61 72 74 69 61 6E 00 00 00 00 54 68 69
        73 20 69 73 20 74 68 65 20 73 75 62 6A 65 63 74
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 19 00 10 00 08 00 0A 00
        C9 07 00 30 30 30 30 30 30 36 32 00 00 00 28 02
        00 00 00 00 00 00 00 00 18 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 98 C9 5B 00
        00 00 00 00 00 00 4D 61 72 74 69 61 6E 00 00 00
        00 54 68 69 73 20 69 73 20 74 68 65 20 6E 65 78
        74 20 73 75 62 6A 65 63 74 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 1A 00 10 00
        08 00 0A 00 C9 07 00 30 30 30 30 30 30 36 33 00
        00 00 2A 02 00 00 00 00 00 00 00 00 18 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        82 54 6B 00 00 00 00 00 D4 4A 7F 4D 8A 4D 95 4D
        A0 4D AB 4D B6 4D C1 4D 00 00 CC 4D D7 4D E2 4D)");
    return dump;
}

MbgRecord numbered(std::uint32_t mai) {
    MbgRecord r;
    r.set_sender("ADMIN");
    r.set_subject("message " + std::to_string(mai));
    r.set_mai(mai);
    return r;
}

// Resident memory of this process, in bytes.
#if !defined(_WIN32)  // POSIX only: resident memory from /proc/self/statm
std::uint64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t total = 0, resident = 0;
    statm >> total >> resident;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}
#endif

}  // namespace

TEST_CASE("mbg: fields of the KB Q108027 sample", "[mbg]") {
    const Bytes& dump = kb_dump();
    REQUIRE(dump.size() == 256);
    const MbgTable t = decode_mbg(dump);
    REQUIRE(t.records.size() == 2);
    CHECK(t.trailing.size() == 24);  // a partial third record: the dump stops there
    CHECK(encode_mbg(t) == dump);

    const MbgRecord& first = t.records[0];
    CHECK(first.sender() == "Martian");
    CHECK(first.subject() == "This is the subject");
    CHECK(first.date() == MbgDate{25, 16, 8, 10, 1993});  // 16:25 8/10/1993
    CHECK(first.mai_text() == "00000062");
    CHECK(first.mai() == 0x62u);

    const MbgRecord& second = t.records[1];
    CHECK(second.sender() == "Martian");
    CHECK(second.subject() == "This is the next subject");
    CHECK(second.date() == MbgDate{26, 16, 8, 10, 1993});
    CHECK(second.mai() == 0x63u);
}

TEST_CASE("mbg: a record built with the setters matches the KB sample", "[mbg]") {
    MbgRecord r;
    r.set_sender("Martian");
    r.set_subject("This is the subject");
    r.set_date(MbgDate{25, 16, 8, 10, 1993});
    r.set_mai(0x62);
    // The KB says the MAI number sits 54 bytes after the subject's first character.
    CHECK(MbgRecord::kMai - MbgRecord::kSubject == 54);
    // Every byte up to the end of the MAI field is as in the dump (the
    // unknown bytes there are zero in the sample).
    const Bytes& dump = kb_dump();
    CHECK(std::equal(r.raw.begin(), r.raw.begin() + 0x4C, dump.begin()));
    CHECK_THROWS_AS(r.set_sender("ElevenChars"), std::length_error);
    CHECK_THROWS_AS(r.set_subject(std::string(41, 's')), std::length_error);
    r.set_subject(std::string(40, 's'));
    CHECK(r.subject().size() == 40);
}

TEST_CASE("mbg: a MAI field that is not 8 hex digits", "[mbg]") {
    MbgRecord r;
    CHECK_FALSE(r.mai());
    put_cstr(r.raw, MbgRecord::kMai, MbgRecord::kMaiWidth, "0000006Z");
    CHECK(r.mai_text() == "0000006Z");
    CHECK_FALSE(r.mai());
}

TEST_CASE("mbg: unknown bytes survive decode, set field, encode", "[mbg]") {
    const Bytes image = random_bytes(116 * 3 + 5, 6);
    MbgTable t = decode_mbg(image);
    REQUIRE(t.records.size() == 3);
    CHECK(encode_mbg(t) == image);
    t.records[1].set_date(MbgDate{1, 2, 3, 4, 2024});
    t.records[1].set_mai(0xABCDEF01u);
    const Bytes out = encode_mbg(t);
    REQUIRE(out.size() == image.size());
    const std::size_t base = 116;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool date = i >= base + 0x38 && i < base + 0x42;
        const bool mai = i >= base + 0x43 && i < base + 0x4C;
        if (!date && !mai) CHECK(out[i] == image[i]);
    }
    const MbgTable back = decode_mbg(out);
    CHECK(back.records[1].date() == MbgDate{1, 2, 3, 4, 2024});
    CHECK(back.records[1].mai_text() == "ABCDEF01");
}

TEST_CASE("mbg: absurd sizes in memory", "[mbg]") {
    const Bytes image = random_bytes(115, 7);
    const MbgTable t = decode_mbg(image);
    CHECK(t.records.empty());
    CHECK(t.trailing.size() == 115);
    CHECK(size_violation(rules::mbg, 115));
    CHECK_FALSE(size_violation(rules::mbg, 0));  // an empty mailbag is valid
    CHECK(encode_mbg(t) == image);
}

TEST_CASE("mbg: MbgReader streams a good file across chunks", "[mbg]") {
    TempDir dir("mbg");
    const std::uint32_t n = 1200;  // more than two chunks of 565
    std::vector<MbgRecord> records;
    for (std::uint32_t i = 0; i < n; ++i) records.push_back(numbered(i));
    write_bytes(dir.path / "0000002A.MBG", encode_mbg(records));

    MbgReader reader(dir.path / "0000002A.MBG");
    CHECK(reader.file_size() == 116u * n);
    CHECK(reader.record_count() == n);
    CHECK(reader.trailing_size() == 0);
    CHECK_FALSE(reader.read_partial());
    std::uint64_t seen = 0;
    while (auto item = reader.next()) {
        REQUIRE(item->index == seen);
        REQUIRE(item->offset == seen * 116);
        REQUIRE(item->record.mai() == seen);
        ++seen;
    }
    CHECK(seen == n);
    CHECK_FALSE(reader.next());
}

TEST_CASE("mbg: MbgReader over an empty mailbag", "[mbg]") {
    TempDir dir("mbg");
    write_bytes(dir.path / "INQUEUE.MBG", {});
    MbgReader reader(dir.path / "INQUEUE.MBG");
    CHECK(reader.record_count() == 0);
    CHECK_FALSE(reader.next());
    CHECK_FALSE(reader.read_partial());
}

TEST_CASE("mbg: MbgReader reports a partial trailing record", "[mbg]") {
    TempDir dir("mbg");
    write_bytes(dir.path / "00000000.MBG", kb_dump());
    MbgReader reader(dir.path / "00000000.MBG");
    CHECK(reader.record_count() == 2);
    CHECK(reader.trailing_size() == 24);
    std::vector<std::uint32_t> mais;
    while (auto item = reader.next()) mais.push_back(item->record.mai().value_or(0));
    CHECK(mais == std::vector<std::uint32_t>{0x62, 0x63});
    const auto partial = reader.read_partial();
    REQUIRE(partial);
    CHECK(partial->offset == 232);
    CHECK(partial->bytes == Bytes(kb_dump().begin() + 232, kb_dump().end()));
}

TEST_CASE("mbg: MbgReader notices a file that shrinks while read", "[mbg]") {
    TempDir dir("mbg");
    const fs::path p = dir.path / "0000002A.MBG";
    std::vector<MbgRecord> records(1000);
    write_bytes(p, encode_mbg(records));
    MbgReader reader(p);
    REQUIRE(reader.next());
    fs::resize_file(p, 116 * 10);
    try {
        while (reader.next()) {}
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::truncated);
        CHECK(e.file() == p);
    }
}

TEST_CASE("mbg: MbgReader refuses missing files, folders and links", "[mbg][makes-links]") {
    TempDir dir("mbg");
    auto code_of = [](const fs::path& p) {
        try {
            MbgReader r(p);
        } catch (const Error& e) { return e.code(); }
        return Errc::io;  // not expected
    };
    CHECK(code_of(dir.path / "NONE.MBG") == Errc::not_found);
    fs::create_directories(dir.path / "DIR.MBG");
    CHECK(code_of(dir.path / "DIR.MBG") == Errc::unsafe_path);
    write_bytes(dir.path / "REAL.MBG", {});
    fs::create_symlink(dir.path / "REAL.MBG", dir.path / "LINK.MBG");
    CHECK(code_of(dir.path / "LINK.MBG") == Errc::unsafe_path);
}

#if !defined(_WIN32)  // POSIX only: resident memory from /proc/self/statm
TEST_CASE("mbg: MbgReader memory does not grow with the file size", "[mbg]") {
    TempDir dir("mbg");
    const fs::path p = dir.path / "HUGE.MBG";
    write_bytes(p, {});
    const std::uint64_t n = 1000000;  // 116 MB, sparse: reads as zero records
    fs::resize_file(p, 116 * n + 7);

    MbgReader reader(p);
    CHECK(reader.record_count() == n);
    CHECK(reader.trailing_size() == 7);
    const std::uint64_t before = resident_bytes();
    std::uint64_t peak = before, seen = 0;
    while (auto item = reader.next()) {
        if (item->index % 20000 == 0) peak = std::max(peak, resident_bytes());
        ++seen;
    }
    peak = std::max(peak, resident_bytes());
    CHECK(seen == n);
    REQUIRE(reader.read_partial());
    CHECK(reader.read_partial()->bytes == Bytes(7, 0));
#ifndef MSPO_TEST_ASAN
    // The file is 116 MB; the reader holds one 64 KiB chunk.
    CHECK(peak - before < 4u * 1024 * 1024);
#else
    // AddressSanitizer keeps freed chunks in quarantine, so resident memory
    // is not a measure of the reader there.
    (void)peak;
#endif
}
#endif

TEST_CASE("mbg: MbgWriter builds a mailbag and its KEY", "[mbg]") {
    MbgWriter w;
    CHECK(w.append(numbered(1)) == 0u);
    CHECK(w.append(numbered(2), true) == 1u);
    CHECK(w.append(numbered(3)) == 2u);
    CHECK(w.count() == 3);
    CHECK(w.mbg_bytes().size() == 3 * 116);
    CHECK_FALSE(w.key().slot_deleted(0));
    CHECK(w.key().slot_deleted(1));
    CHECK(w.key().live_slots(w.count()) == 2);
    CHECK(w.key().first_free(w.count()) == 1u);
    const MbgTable back = decode_mbg(w.mbg_bytes());
    REQUIRE(back.records.size() == 3);
    CHECK(back.records[2].mai() == 3u);
    CHECK(back.trailing.empty());
}

TEST_CASE("mbg: MbgWriter stops at the KEY limit", "[mbg]") {
    MbgWriter w;
    const MbgRecord r = numbered(7);
    for (std::size_t i = 0; i < kMailbagLimit; ++i) w.append(r);
    CHECK(w.full());
    CHECK(w.mbg_bytes().size() == kMailbagLimit * 116);
    CHECK(w.key().all_zero());
    try {
        w.append(r);
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.code() == Errc::bad_value); }
    CHECK(w.count() == kMailbagLimit);
}
