// common/format/overflow_ledger.cpp: mbgsplit's ledger of overflow mailbags.
#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/format/overflow_ledger.hpp"

using namespace mspo;

namespace {

std::string error_of(std::string_view text) {
    try {
        parse_ledger(text, "MBG/OVERFLOW.TXT");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::bad_value);
        return e.what();
    }
    FAIL("no error for a damaged ledger");
    return "";
}

}  // namespace

TEST_CASE("overflow ledger: render and parse round-trip", "[format][ledger]") {
    OverflowLedger l;
    l.entries = {{0x2A, 0x105}, {0x2A, 0x106}, {0x7, 0x107}};
    const std::string text = render_ledger(l);
    CHECK(text.find("0000002A 00000105\n0000002A 00000106\n00000007 00000107\n") != std::string::npos);
    const OverflowLedger back = parse_ledger(text, "x");
    CHECK(back.entries == l.entries);
    CHECK(back.overflows_of(0x2A) == std::vector<std::uint32_t>{0x105, 0x106});
    CHECK(back.owners() == std::vector<std::uint32_t>{0x2A, 0x7});
    REQUIRE(back.find_overflow(0x107) != nullptr);
    CHECK(back.find_overflow(0x107)->owner == 0x7u);
    CHECK(back.find_overflow(0x2A) == nullptr);
    CHECK(render_ledger(OverflowLedger{}).find('\n') != std::string::npos);  // comments only
    CHECK(parse_ledger(render_ledger(OverflowLedger{}), "x").empty());
}

TEST_CASE("overflow ledger: blanks and tabs and CRLF and lower case are accepted", "[format][ledger]") {
    const auto l = parse_ledger("\n# note\r\n  0000002a\t00000105  \r\n\n", "x");
    REQUIRE(l.entries.size() == 1);
    CHECK(l.entries[0] == OverflowEntry{0x2A, 0x105});
}

TEST_CASE("overflow ledger: damage is refused with the line", "[format][ledger]") {
    CHECK(error_of("0000002A\n").find("line 1: not two mailbag numbers") != std::string::npos);
    CHECK(error_of("# c\n0000002A 0105\n").find("line 2:") != std::string::npos);
    CHECK(error_of("0000002A 0000010G\n").find("8 hex digits") != std::string::npos);
    CHECK(error_of("0000002A 0000002A\n").find("its own overflow") != std::string::npos);
    CHECK(error_of("0000002A 00000105\n00000007 00000105\n")
              .find("line 2: overflow mailbag 00000105 is listed twice") != std::string::npos);
    CHECK(error_of("0000002A 00000105\n00000105 00000106\n").find("both as an owner and as an overflow") !=
          std::string::npos);
    CHECK(error_of("0000002A 00000105 x\n").find("line 1") != std::string::npos);
}
