#include <catch2/catch.hpp>

#include "mspo/format/name_match.hpp"

using namespace mspo;

TEST_CASE("name_match: plain text matches the start, ignoring case", "[name_match]") {
    const NamePattern p("sm");
    CHECK(p.matches("SMITH"));
    CHECK(p.matches("sm"));
    CHECK_FALSE(p.matches("S"));
    CHECK_FALSE(p.matches("ASMITH"));
    CHECK(NamePattern("").matches("ANY"));
}

TEST_CASE("name_match: * and ? match the whole name", "[name_match]") {
    CHECK(NamePattern("*SON").matches("JOHNSON"));
    CHECK_FALSE(NamePattern("*SON").matches("JOHNSONS"));
    CHECK(NamePattern("J?HN*").matches("JOHNSON"));
    CHECK_FALSE(NamePattern("J?HN").matches("JOHNSON"));
    CHECK(NamePattern("*").matches(""));
    CHECK(NamePattern("A*B*C").matches("AXXBYYC"));
    CHECK_FALSE(NamePattern("A*B*C").matches("AXXBYY"));
    CHECK(NamePattern("??").matches("AB"));
    CHECK_FALSE(NamePattern("??").matches("ABC"));
}

TEST_CASE("name_match: CP850 letters fold beyond ASCII", "[name_match]") {
    // CP850 0x9A is 'Ü', 0x81 is 'ü'; 0x99 'Ö', 0x94 'ö'.
    CHECK(NamePattern("J\x9A"
                      "RGEN")
              .matches("j\x81rgen"));
    CHECK(NamePattern("*m\x94ller").matches("M\x99LLER"));
    CHECK(fold_cp850("AbC\x9A") == U"abc\u00FC");
    CHECK(fold_cp850("\xD7") != fold_cp850("\xF7"));  // not letters: kept apart
}

TEST_CASE("name_match: a long pattern against a long name stays fast", "[name_match]") {
    const std::string name(2000, 'A');
    const std::string pattern = std::string(50, '*') + "B";
    CHECK_FALSE(NamePattern(pattern).matches(name));
}
