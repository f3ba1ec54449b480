// common/checks/external_version.cpp: External's version from the bytes of its image.
#include <catch2/catch.hpp>

#include <string>

#include "mspo/checks/external_version.hpp"

using namespace mspo;

namespace {

using V = ExternalVersion::Verdict;

/// A small MS-DOS image: "MZ", a header, then `text` somewhere in it.
Bytes mz(const std::string& text, std::size_t at = 0x200) {
    Bytes b{'M', 'Z'};
    b.resize(at, 0);
    b.insert(b.end(), text.begin(), text.end());
    b.resize(b.size() + 64, 0);
    return b;
}

}  // namespace

TEST_CASE("external_version: Version strings in an MZ image", "[external_version]") {
    auto v = find_external_version(mz("Microsoft Mail External Version 3.2.18\r\n$"));
    CHECK(v.verdict == V::ok);
    CHECK(v.version == "3.2.18");
    CHECK(v.text == "Version 3.2.18");
    CHECK(v.offset == 0x200 + 24);
    CHECK(v.image == "MS-DOS (MZ)");
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

TEST_CASE("external_version: NE and PE images are named", "[external_version]") {
    Bytes b = mz("Version 3.2.18", 0x200);
    b[0x3C] = 0x80;
    b[0x80] = 'P';
    b[0x81] = 'E';
    CHECK(find_external_version(b).image == "Windows NT (PE)");
    b[0x80] = 'N';
    b[0x81] = 'E';
    CHECK(find_external_version(b).image == "Windows (NE)");
    Bytes none = mz("nothing");
    none[0x3C] = 0x80;
    none[0x80] = 'P';
    none[0x81] = 'E';
    const auto v = find_external_version(none);
    CHECK(v.verdict == V::unknown);
    CHECK(v.how.find("version resource is not read yet") != std::string::npos);
}
