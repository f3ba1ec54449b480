#include <catch2/catch.hpp>

#include "mspo/base/utf8.hpp"

using namespace mspo;

TEST_CASE("utf8: validation and the readable form", "[utf8]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // e acute, euro, emoji
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                        // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));                    // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));                    // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xC3"));                            // cut short
    CHECK_FALSE(is_valid_utf8("\x80"));
    CHECK(lossy_utf8("a\xFF"
                     "b\xC3\xA9") ==
          "a\xEF\xBF\xBD"
          "b\xC3\xA9");
    CHECK(lossy_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
