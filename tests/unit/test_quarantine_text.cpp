// common/checks/quarantine_text.cpp: the GIMPORT/IMPORT text of what palfix removes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "mspo/checks/quarantine_text.hpp"

using namespace mspo;

namespace {

std::string text_of(const std::vector<QuarantineEntry>& entries) {
    const Bytes b = quarantine_text(entries, "/srv/MAILDATA", "2026-11-25T19:00:00Z");
    return std::string(b.begin(), b.end());
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find("\r\n", at);
        REQUIRE(end != std::string::npos);  // every line ends in CR LF
        lines.push_back(text.substr(at, end - at));
        at = end + 2;
    }
    return lines;
}

QuarantineEntry external(const std::string& alias, const std::string& address) {
    QuarantineEntry e;
    e.kind = QuarantineEntry::Kind::external;
    e.file = "NME/ADMIN.NME";
    e.record = 3;
    e.reason = "external entry whose NETPO.GLB record could not be found";
    e.alias = alias;
    e.address = address;
    e.raw = {0x41, 0x00, 0xff};
    return e;
}

}  // namespace

TEST_CASE("quarantine_text: columns as KB Q99419 says (code 1, alias 3, address 34)", "[quarantine_text]") {
    const auto lines = lines_of(text_of({external("Jane Doe", "PCM:NET1/PO2/JDOE")}));
    const auto a = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l[0] == 'A'; });
    REQUIRE(a != lines.end());
    CHECK(*a == "A Jane Doe                       PCM:NET1/PO2/JDOE");
    CHECK(a->find("PCM:") == 33);  // column 34
    CHECK(a->substr(2, 8) == "Jane Doe");
    // the line before names where it came from, with the record's bytes as hex
    CHECK((a - 1)->rfind("# NME/ADMIN.NME record 3", 0) == 0);
    CHECK((a - 1)->find("4100ff") != std::string::npos);
}

TEST_CASE("quarantine_text: a 30-character alias still leaves a blank before column 34",
          "[quarantine_text]") {
    const std::string alias(30, 'X');
    const auto lines = lines_of(text_of({external(alias, "PCM:N/P/M")}));
    CHECK(std::count(lines.begin(), lines.end(), "A " + alias + " PCM:N/P/M") == 1);
}

TEST_CASE("quarantine_text: external A lines come before any group", "[quarantine_text]") {
    QuarantineEntry g;
    g.kind = QuarantineEntry::Kind::group;
    g.file = "NME/ADMIN.NME";
    g.record = 1;
    g.reason = "group entry whose chain could not be found";
    g.alias = "Staff Group";
    g.members = {{"Alice Smith", "PCM:NETWORK/POSTOFFICE/ALICE"}, {"Bad\x01Name", "PCM:N/P/X"}};
    const auto text = text_of({g, external("Jane Doe", "PCM:NET1/PO2/JDOE")});
    const auto lines = lines_of(text);
    const auto first_a = text.find("\r\nA Jane Doe");
    const auto first_g = text.find("\r\nG Staff Group");
    REQUIRE(first_a != std::string::npos);
    REQUIRE(first_g != std::string::npos);
    CHECK(first_a < first_g);
    CHECK(std::count(lines.begin(), lines.end(),
                     "G Staff Group                    PCM:NETWORK/POSTOFFICE/StaffGroup") == 1);
    CHECK(std::count(lines.begin(), lines.end(),
                     "A Alice Smith                    PCM:NETWORK/POSTOFFICE/ALICE") == 1);
    // a member whose alias holds a control byte is a comment, shown with \x01
    CHECK(text.find("# member not importable: alias \"Bad\\x01Name\"") != std::string::npos);
}

TEST_CASE("quarantine_text: what cannot be imported is # lines, never a control byte", "[quarantine_text]") {
    QuarantineEntry bad = external("Esc\x1b[31m", "PCM:N/P/M");  // alias not importable
    QuarantineEntry partial;
    partial.file = "NME/0000002A.NME";
    partial.offset = 90;
    partial.reason = "partial record (7 bytes) at the end of the file";
    partial.raw = {1, 2, 3, 4, 5, 6, 7};
    QuarantineEntry no_netpo = external("Far Away", "");  // no NETPO record: no address
    const auto text = text_of({bad, partial, no_netpo});
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c != '\r' && c != '\n') CHECK((u >= 0x20 && u != 0x7F));
    }
    for (const auto& l : lines_of(text)) CHECK((l.empty() || l[0] == '#'));
    CHECK(text.find("Esc\\x1b[31m") != std::string::npos);
    CHECK(text.find("# NME/0000002A.NME offset 90: partial record (7 bytes) at the end of the file: "
                    "01020304050607") != std::string::npos);
    CHECK(text.find("Far Away") != std::string::npos);
}

TEST_CASE("quarantine_text: CP850 bytes are written as they are", "[quarantine_text]") {
    const std::string alias = "M\x81ller";  // u-umlaut in CP850
    const auto text = text_of({external(alias, "PCM:N/P/MULLER")});
    CHECK(text.find("A " + alias) != std::string::npos);
}

TEST_CASE("quarantine_text: importable_name and comment_safe", "[quarantine_text]") {
    CHECK(importable_name("Alice"));
    CHECK(importable_name(std::string(30, 'a')));
    CHECK_FALSE(importable_name(std::string(31, 'a')));
    CHECK_FALSE(importable_name(""));
    CHECK_FALSE(importable_name(" lead"));
    CHECK_FALSE(importable_name("trail "));
    CHECK_FALSE(importable_name("a\x7f"));
    CHECK_FALSE(importable_name(std::string("a\0b", 3)));
    CHECK(comment_safe("a\\b\x01\x9b") == "a\\x5cb\\x01\x9b");
}

TEST_CASE("quarantine_text: an empty list is the header alone", "[quarantine_text]") {
    const auto lines = lines_of(text_of({}));
    CHECK_FALSE(lines.empty());
    for (const auto& l : lines) CHECK(l.rfind("# - ", 0) == 0);
    CHECK(lines[0].find("/srv/MAILDATA") != std::string::npos);
}
