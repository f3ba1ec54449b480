// common/checks/external_version.cpp (and version_resource.cpp, its NE and PE
// reader): External's version from the bytes of its image, and
// find_external_beside. The images are written byte by byte by the small
// builder below, from the layouts in version_resource.hpp.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <unistd.h>

#include "mspo/checks/external_version.hpp"
#include "test_support.hpp"

using namespace mspo;

namespace {

using V = ExternalVersion::Verdict;
using Version = std::array<std::uint16_t, 4>;

/// A small MS-DOS image: "MZ", a header, then `text` somewhere in it.
Bytes mz(const std::string& text, std::size_t at = 0x200) {
    Bytes b{'M', 'Z'};
    b.resize(at, 0);
    b.insert(b.end(), text.begin(), text.end());
    b.resize(b.size() + 64, 0);
    return b;
}

void u16(Bytes& b, std::size_t off, std::uint32_t v) {
    if (b.size() < off + 2) b.resize(off + 2, 0);
    b[off] = static_cast<std::uint8_t>(v);
    b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
void u32(Bytes& b, std::size_t off, std::uint32_t v) {
    u16(b, off, v & 0xFFFF);
    u16(b, off + 2, v >> 16);
}

/// VS_VERSIONINFO holding only its VS_FIXEDFILEINFO: PE's form (`wide`:
/// a type word and a UTF-16 key) or NE's (an 8-bit key).
Bytes versioninfo(bool wide, Version v) {
    Bytes b;
    const std::string key = "VS_VERSION_INFO";
    std::size_t at = wide ? 6 : 4;
    for (char c : key) {
        b.resize(at + (wide ? 2 : 1), 0);
        b[at] = static_cast<std::uint8_t>(c);
        at += wide ? 2 : 1;
    }
    at += wide ? 2 : 1;                                    // the key's NUL
    const std::size_t fixed = (at + 3) & ~std::size_t{3};  // PE: 40, NE: 20
    u32(b, fixed, 0xFEEF04BD);
    u32(b, fixed + 4, 0x00010000);
    u32(b, fixed + 8, static_cast<std::uint32_t>(v[0]) << 16 | v[1]);
    u32(b, fixed + 12, static_cast<std::uint32_t>(v[2]) << 16 | v[3]);
    b.resize(fixed + 52, 0);
    u16(b, 0, static_cast<std::uint32_t>(b.size()));
    u16(b, 2, 52);
    return b;
}

// The PE image's layout: the header at 0x80, one section ".rsrc" of RVA
// 0x1000 at file offset 0x200 holding the three-level directory (type 16,
// name 1, language 0x409) and the data entry, then VS_VERSIONINFO.
constexpr std::size_t kPe = 0x80;
constexpr std::size_t kPeOpt = kPe + 24;
constexpr std::size_t kRsrc = 0x200;
constexpr std::uint32_t kRsrcRva = 0x1000;
constexpr std::size_t kRoot = kRsrc, kNames = kRsrc + 0x18, kLangs = kRsrc + 0x30, kData = kRsrc + 0x48,
                      kVersionInfo = kRsrc + 0x58;

Bytes pe(Version v, bool plus = false) {
    Bytes b{'M', 'Z'};
    u32(b, 0x3C, kPe);
    b.resize(kPe + 4, 0);
    b[kPe] = 'P';
    b[kPe + 1] = 'E';
    u16(b, kPe + 4, plus ? 0x8664 : 0x14C);  // machine
    u16(b, kPe + 6, 1);                      // one section
    const std::size_t dirs = plus ? 112 : 96;
    const std::size_t opt_size = dirs + 16 * 8;
    u16(b, kPe + 20, static_cast<std::uint32_t>(opt_size));
    u16(b, kPeOpt, plus ? 0x20B : 0x10B);
    u32(b, kPeOpt + dirs - 4, 16);  // NumberOfRvaAndSizes
    const Bytes vi = versioninfo(true, v);
    const auto rsrc_size = static_cast<std::uint32_t>(kVersionInfo - kRsrc + vi.size());
    u32(b, kPeOpt + dirs + 16, kRsrcRva);
    u32(b, kPeOpt + dirs + 20, rsrc_size);
    const std::size_t section = kPeOpt + opt_size;
    const std::string name = ".rsrc";
    b.resize(section + 40, 0);
    std::copy(name.begin(), name.end(), b.begin() + static_cast<std::ptrdiff_t>(section));
    u32(b, section + 8, rsrc_size);
    u32(b, section + 12, kRsrcRva);
    u32(b, section + 16, rsrc_size);
    u32(b, section + 20, kRsrc);
    // Three directories of one numbered entry each, then the data entry.
    const auto dir = [&](std::size_t at, std::uint32_t id, std::uint32_t target) {
        u16(b, at + 14, 1);
        u32(b, at + 16, id);
        u32(b, at + 20, target);
    };
    dir(kRoot, 16, 0x80000000u | (kNames - kRsrc));
    dir(kNames, 1, 0x80000000u | (kLangs - kRsrc));
    dir(kLangs, 0x409, kData - kRsrc);
    u32(b, kData, kRsrcRva + (kVersionInfo - kRsrc));
    u32(b, kData + 4, static_cast<std::uint32_t>(vi.size()));
    b.resize(kVersionInfo, 0);
    b.insert(b.end(), vi.begin(), vi.end());
    return b;
}

// The NE image's layout: the header at 0x80, its resource table at 0xC0
// (alignment shift 4; one type, RT_VERSION, of one resource), the
// VS_VERSIONINFO at 0x200.
constexpr std::size_t kNe = 0x80;
constexpr std::size_t kNeTable = kNe + 0x40;
constexpr std::size_t kNeBlock = 0x200;

Bytes ne(Version v) {
    Bytes b{'M', 'Z'};
    u32(b, 0x3C, kNe);
    b.resize(kNe + 0x40, 0);
    b[kNe] = 'N';
    b[kNe + 1] = 'E';
    u16(b, kNe + 0x24, kNeTable - kNe);                   // the resource table
    u16(b, kNe + 0x26, kNeTable - kNe + 2 + 8 + 12 + 2);  // the resident names after it
    u16(b, kNeTable, 4);                                  // alignment shift
    u16(b, kNeTable + 2, 0x8010);                         // RT_VERSION
    u16(b, kNeTable + 4, 1);                              // one resource
    const Bytes vi = versioninfo(false, v);
    u16(b, kNeTable + 10, kNeBlock >> 4);                                      // its offset
    u16(b, kNeTable + 12, static_cast<std::uint32_t>((vi.size() + 15) >> 4));  // its length
    u16(b, kNeTable + 14, 0x30);                                               // flags
    u16(b, kNeTable + 16, 0x8001);                                             // id 1
    u16(b, kNeTable + 22, 0);                                                  // usage
    u16(b, kNeTable + 24, 0);                                                  // end of the types
    b.resize(kNeBlock, 0);
    b.insert(b.end(), vi.begin(), vi.end());
    b.resize(b.size() + 16, 0);
    return b;
}

bool says(const ExternalVersion& v, const std::string& part) { return v.how.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("external_version: Version strings in an MZ image", "[external_version]") {
    auto v = find_external_version(mz("Microsoft Mail External Version 3.2.18\r\n$"));
    CHECK(v.verdict == V::ok);
    CHECK(v.source == ExternalVersion::Source::string);
    CHECK(v.version == "3.2.18");
    CHECK(v.text == "Version 3.2.18");
    CHECK(v.offset == 0x200 + 24);
    CHECK(v.image == "MS-DOS (MZ)");
    CHECK(v.how == "version string \"Version 3.2.18\" at offset 536 in the MS-DOS (MZ) image");
    v = find_external_version(mz("EXTERNAL version 3.2.16"));
    CHECK(v.verdict == V::old);
    CHECK(v.version == "3.2.16");
    CHECK(find_external_version(mz("VERSION v3.5")).verdict == V::ok);
    CHECK(find_external_version(mz("Version 3.0")).verdict == V::old);
    CHECK(find_external_version(mz("Version 3.2.20")).verdict == V::ok);
    CHECK(find_external_version(mz("Version 4.0.1")).verdict == V::ok);
    CHECK(find_external_version(mz("Version 2.9.99")).verdict == V::old);
}

TEST_CASE("external_version: what cannot be told", "[external_version]") {
    // 3.2 without a third number may be 3.2.16 or 3.2.18.
    auto v = find_external_version(mz("Version 3.2 "));
    CHECK(v.verdict == V::unknown);
    CHECK(v.version == "3.2");
    // No version at all, or not a program.
    CHECK(find_external_version(mz("no number here")).verdict == V::unknown);
    const Bytes text{'V', 'e', 'r', 's', 'i', 'o', 'n', ' ', '3', '.', '2', '.', '1', '8'};
    v = find_external_version(text);
    CHECK(v.verdict == V::unknown);
    CHECK(v.image.empty());
    CHECK(find_external_version(Bytes{}).verdict == V::unknown);
}

TEST_CASE("external_version: a bare N.N.N when no Version string is there", "[external_version]") {
    auto v = find_external_version(mz("EXTERNAL 3.2.16 (c) 1995"));
    CHECK(v.verdict == V::old);
    CHECK(v.version == "3.2.16");
    // Longer runs of digits and dots are not versions (an IP address, a date).
    CHECK(find_external_version(mz("at 10.1.2.3 on 1995")).verdict == V::unknown);
    CHECK(find_external_version(mz("1234.5.6")).verdict == V::unknown);
}

TEST_CASE("external_version: the version resource of a PE image", "[external_version]") {
    for (bool plus : {false, true}) {
        INFO((plus ? "PE32+" : "PE32"));
        auto v = find_external_version(pe({3, 2, 18, 0}, plus));
        CHECK(v.image == "Windows NT (PE)");
        CHECK(v.verdict == V::ok);
        CHECK(v.source == ExternalVersion::Source::resource);
        CHECK(v.version == "3.2.18.0");
        CHECK(v.offset == kVersionInfo + 40);
        CHECK(v.how ==
              "FileVersion 3.2.18.0 in the version resource of the Windows NT (PE) image "
              "(VS_FIXEDFILEINFO at offset " +
                  std::to_string(kVersionInfo + 40) + ")");
        v = find_external_version(pe({3, 2, 16, 0}, plus));
        CHECK(v.verdict == V::old);
        CHECK(v.version == "3.2.16.0");
    }
    CHECK(find_external_version(pe({3, 2, 18, 7})).verdict == V::ok);
    CHECK(find_external_version(pe({4, 0, 0, 0})).verdict == V::ok);
    CHECK(find_external_version(pe({3, 1, 99, 0})).verdict == V::old);
    // 3.2.0.18: the build number may stand in the fourth place.
    const auto v = find_external_version(pe({3, 2, 0, 18}));
    CHECK(v.verdict == V::unknown);
    CHECK(v.version == "3.2.0.18");
    CHECK(says(v, "may be older or newer than 3.2.18"));
    // The resource wins over a string in the image.
    Bytes b = pe({3, 2, 16, 0});
    const std::string s = "Version 3.2.18";
    b.insert(b.end(), s.begin(), s.end());
    CHECK(find_external_version(b).verdict == V::old);
}

TEST_CASE("external_version: the version resource of an NE image", "[external_version]") {
    auto v = find_external_version(ne({3, 2, 18, 0}));
    CHECK(v.image == "Windows (NE)");
    CHECK(v.verdict == V::ok);
    CHECK(v.source == ExternalVersion::Source::resource);
    CHECK(v.offset == kNeBlock + 20);
    CHECK(says(v, "in the version resource of the Windows (NE) image"));
    v = find_external_version(ne({3, 2, 16, 0}));
    CHECK(v.verdict == V::old);
    CHECK(v.version == "3.2.16.0");
    // Another type before RT_VERSION is stepped over.
    Bytes b = ne({3, 2, 16, 0});
    Bytes two(b.begin(), b.begin() + kNeTable + 2);
    for (std::uint32_t w : {0x8003u, 1u, 0u, 0u, 0x30u, 0x30u, 0x30u, 0x8001u, 0u, 0u}) {
        two.push_back(static_cast<std::uint8_t>(w));
        two.push_back(static_cast<std::uint8_t>(w >> 8));
    }
    two.insert(two.end(), b.begin() + kNeTable + 2, b.begin() + kNeBlock);
    two.resize(kNeBlock);  // the table grew by 20 bytes into the padding
    two.insert(two.end(), b.begin() + kNeBlock, b.end());
    CHECK(find_external_version(two).verdict == V::old);
}

TEST_CASE("external_version: NE and PE images without a version resource", "[external_version]") {
    // No resource directory: a version string is searched, and says so.
    Bytes b = pe({3, 2, 18, 0});
    u32(b, kPeOpt + 96 + 16, 0);
    auto v = find_external_version(b);
    CHECK(v.verdict == V::unknown);
    CHECK(v.how == "no version resource and no version string in the Windows NT (PE) image");
    const std::string s = "MTA Version 3.2.16";
    b.insert(b.end(), s.begin(), s.end());
    v = find_external_version(b);
    CHECK(v.verdict == V::old);
    CHECK(v.source == ExternalVersion::Source::string);
    CHECK(says(v, "in the Windows NT (PE) image (it has no version resource)"));
    // A resource directory without type 16.
    b = pe({3, 2, 18, 0});
    u32(b, kRoot + 16, 3);
    CHECK(says(find_external_version(b), "no version resource"));
    // NE: no resource table (it would start where the resident names do), or no RT_VERSION in it.
    b = ne({3, 2, 18, 0});
    u16(b, kNe + 0x24, get_u16(b, kNe + 0x26));
    CHECK(says(find_external_version(b),
               "no version resource and no version string in the Windows (NE) image"));
    b = ne({3, 2, 18, 0});
    u16(b, kNeTable + 2, 0x8003);
    CHECK(says(find_external_version(b), "no version resource"));
}

TEST_CASE("external_version: hostile PE images cannot be told, with the offset", "[external_version]") {
    const auto bad = [](const Bytes& b, const std::string& part) {
        const auto v = find_external_version(b);
        INFO(v.how);
        CHECK(v.verdict == V::unknown);
        REQUIRE(v.offset.has_value());
        CHECK(says(v, "the version resource of the Windows NT (PE) image cannot be read at offset " +
                          std::to_string(*v.offset) + ": "));
        CHECK(says(v, part));
    };
    const Bytes good = pe({3, 2, 18, 0});
    Bytes b = good;
    // A name directory that points back at the root: a loop.
    u32(b, kNames + 20, 0x80000000u);
    bad(b, "loops back to the directory at offset " + std::to_string(kRoot));
    // Huge counts: 65535 named and 65535 numbered entries, 65535 sections.
    b = good;
    u16(b, kRoot + 12, 0xFFFF);
    u16(b, kRoot + 14, 0xFFFF);
    bad(b, "131070 entries (1048560 bytes) runs past the end of the image");
    b = good;
    u16(b, kPe + 6, 0xFFFF);
    bad(b, "the section table (65535 sections)");
    // Offsets past the end, into no section, data where a directory must be.
    b = good;
    u32(b, kLangs + 20, 0x7FFFFFF0);
    bad(b, "the version resource's data entry");
    b = good;
    u32(b, kData, 0x90000000u);
    bad(b, "lies in no section of the image");
    b = good;
    u32(b, kData + 4, 0xFFFFFFF0u);
    bad(b, "runs past the end of its section's data");
    b = good;
    u32(b, kRoot + 20, kNames - kRsrc);
    bad(b, "points at data, not at a directory");
    b = good;
    u32(b, kLangs + 20, 0x80000000u | (kLangs - kRsrc));
    bad(b, "points at a directory, not at data");
    // A broken VS_VERSIONINFO: no key, a wrong signature, a length past its resource.
    b = good;
    b[kVersionInfo + 6] = 'X';
    bad(b, "does not start with the key VS_VERSION_INFO");
    b = good;
    b[kVersionInfo + 40] ^= 0xFF;
    bad(b, "has the signature 0xFEEF0442, not 0xFEEF04BD");
    b = good;
    u16(b, kVersionInfo, 0xFFFF);
    bad(b, "more than the 92 of its resource");
    b = good;
    u16(b, kVersionInfo + 2, 0);
    bad(b, "holds no VS_FIXEDFILEINFO");
    b = good;
    u16(b, kPeOpt, 0x107);
    bad(b, "the optional header's magic is 0x107");
}

TEST_CASE("external_version: truncated and mangled NE and PE images never crash", "[external_version]") {
    for (const Bytes& good : {pe({3, 2, 18, 0}), pe({3, 2, 18, 0}, true), ne({3, 2, 18, 0})}) {
        // Every prefix: cannot tell (or the MZ string search, when the header is cut).
        for (std::size_t n = 0; n < good.size() - 16; ++n) {
            const Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
            const auto v = find_external_version(cut);
            INFO("length " << n << ": " << v.how);
            CHECK(v.verdict == V::unknown);
        }
        // Every byte flipped in turn: any verdict, but no crash or unbounded read (ASan in CI).
        for (std::size_t k = 0; k < good.size(); ++k) {
            Bytes b = good;
            b[k] ^= 0xFF;
            (void)find_external_version(b);
        }
    }
    // NE: a table with no end marker, an absurd shift, a count past the end, an entry at offset 0.
    const Bytes good = ne({3, 2, 18, 0});
    Bytes b(good.begin(), good.begin() + kNeTable + 2);
    for (int k = 0; k < 40; ++k) u16(b, b.size(), 0x8003), u16(b, b.size(), 0), b.resize(b.size() + 4, 0);
    auto v = find_external_version(b);
    CHECK(v.verdict == V::unknown);
    CHECK(says(v, "the resource table (no end marker)"));
    b = good;
    u16(b, kNeTable, 40);
    CHECK(says(find_external_version(b), "cannot be read at offset " + std::to_string(kNeTable) +
                                             ": the resource table's alignment shift is 40 (more than 16)"));
    b = good;
    u16(b, kNeTable + 4, 0xFFFF);
    CHECK(says(find_external_version(b), "the 65535 resources of a resource type entry"));
    b = good;
    u16(b, kNeTable + 10, 0);
    CHECK(says(find_external_version(b), "points at offset 0"));
    b = good;
    u16(b, kNeTable + 10, 0xFFFF);
    CHECK(says(find_external_version(b), "runs past the end of the image"));
}

TEST_CASE("external_version: read_external_version reads at most 4 MiB of a regular file",
          "[external_version][makes-links]") {
    test::TempDir dir("extver");
    Bytes b = pe({3, 2, 16, 0});
    test::write_bytes(dir.path / "MTA.EXE", b);
    auto v = read_external_version(dir.path / "MTA.EXE");
    CHECK(v.verdict == V::old);
    // A version string past the first 4 MiB is not read, and the reason is given.
    Bytes big = mz("nothing here");
    big.resize(kExternalReadLimit + 100, 0);
    const std::string s = "Version 3.2.18";
    std::copy(s.begin(), s.end(), big.begin() + static_cast<std::ptrdiff_t>(kExternalReadLimit + 10));
    test::write_bytes(dir.path / "BIG.EXE", big);
    v = read_external_version(dir.path / "BIG.EXE");
    CHECK(v.verdict == V::unknown);
    CHECK(says(v, "(only the first 4194304 of its 4194404 bytes are read)"));
    // A link and a folder are refused.
    std::filesystem::create_symlink(dir.path / "MTA.EXE", dir.path / "LINK.EXE");
    CHECK(test::code_of([&] { read_external_version(dir.path / "LINK.EXE"); }) == Errc::unsafe_path);
    CHECK(test::code_of([&] { read_external_version(dir.path); }) == Errc::unsafe_path);
}

TEST_CASE("external_version: find_external_beside looks in the documented order", "[external_version]") {
    namespace fs = std::filesystem;
    test::TempDir dir("extbeside");
    const fs::path po = dir.path / "MAILDATA";
    fs::create_directories(po / "GLB");
    // Nothing anywhere: where it looked.
    auto r = find_external_beside(po);
    CHECK(!r.program);
    CHECK(r.root == po);
    CHECK(r.parent == dir.path);
    CHECK(r.subfolders == 0);
    // A subfolder beside the postoffice (any case), in name order.
    fs::create_directories(dir.path / "MAILEXE");
    fs::create_directories(dir.path / "ZZZ");
    test::write_bytes(dir.path / "MAILEXE" / "external.exe", mz("Version 3.2.16"));
    test::write_bytes(dir.path / "ZZZ" / "EXTERNAL.EXE", mz("Version 3.2.18"));
    r = find_external_beside(po);
    REQUIRE(r.program);
    CHECK(*r.program == dir.path / "MAILEXE" / "external.exe");
    CHECK(r.where == "in a folder beside the postoffice");
    CHECK(r.version.verdict == V::old);
    CHECK(r.subfolders == 1);
    // The parent folder comes before its subfolders, the postoffice before both.
    test::write_bytes(dir.path / "EXTERNAL.EXE", mz("Version 3.2.18"));
    r = find_external_beside(po);
    CHECK(r.where == "in the postoffice's parent folder");
    CHECK(r.version.verdict == V::ok);
    test::write_bytes(po / "External.Exe", pe({3, 2, 20, 0}));
    r = find_external_beside(po / "");  // a trailing separator, as a user may type it
    CHECK(r.where == "in the postoffice folder");
    CHECK(*r.program == po / "External.Exe");
    CHECK(r.version.version == "3.2.20.0");
}

#if !defined(_WIN32)  // POSIX only: symbolic links, FIFOs and permission bits
TEST_CASE("external_version: find_external_beside follows no link and passes over what is no program",
          "[external_version]") {
    namespace fs = std::filesystem;
    test::TempDir dir("extbeside");
    test::TempDir away("extaway");
    const fs::path po = dir.path / "MAILDATA";
    fs::create_directories(po / "GLB");
    // A link out of the postoffice, a folder, a FIFO, and a linked subfolder.
    test::write_bytes(away.path / "EXTERNAL.EXE", mz("Version 3.2.18"));
    fs::create_symlink(away.path / "EXTERNAL.EXE", po / "EXTERNAL.EXE");
    fs::create_directories(dir.path / "EXTERNAL.EXE");
    fs::create_directories(dir.path / "A");
    platform::make_fifo(dir.path / "A" / "EXTERNAL.EXE");
    fs::create_directory_symlink(away.path, dir.path / "B");
    auto r = find_external_beside(po);
    CHECK(!r.program);
    CHECK(r.subfolders == 2);  // A and the folder EXTERNAL.EXE; B is a link
    REQUIRE(r.passed_over.size() == 3);
    CHECK(r.passed_over[0] == (po / "EXTERNAL.EXE").string() +
                                  " is a symbolic link, not a program: passed over (links are not followed)");
    CHECK(r.passed_over[1] ==
          (dir.path / "EXTERNAL.EXE").string() + " is a folder, not a program: passed over");
    CHECK(r.passed_over[2] == (dir.path / "A" / "EXTERNAL.EXE").string() +
                                  " is a FIFO, socket or device, not a program: passed over");
    // A file found but unreadable: the version says why (root reads every file).
    if (::geteuid() != 0) {
        test::write_bytes(dir.path / "A" / "external.exe", mz("Version 3.2.18"));
        fs::permissions(dir.path / "A" / "external.exe", fs::perms::none);
        r = find_external_beside(po);
        REQUIRE(r.program);
        CHECK(r.version.verdict == V::unknown);
        CHECK(says(r.version, "cannot be read: "));
    }
}
#endif
