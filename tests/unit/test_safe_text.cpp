#include <catch2/catch.hpp>

#include "mspo/report/safe_text.hpp"

using namespace mspo;

TEST_CASE("terminal_safe: printable text and valid UTF-8 are kept", "[safe_text]") {
    CHECK(terminal_safe("GLB/ACCESS2.GLB") == "GLB/ACCESS2.GLB");
    CHECK(terminal_safe("J\xc3\xbcrgen M\xc3\xb6ller \xe2\x82\xac \xf0\x9f\x93\xa7") ==
          "J\xc3\xbcrgen M\xc3\xb6ller \xe2\x82\xac \xf0\x9f\x93\xa7");
    CHECK(terminal_safe("M:\\MAILDATA") == "M:\\MAILDATA");  // backslashes stay readable
    CHECK(terminal_safe("") == "");
}

TEST_CASE("terminal_safe: ESC, C0 controls and DEL become visible escapes", "[safe_text]") {
    CHECK(terminal_safe("a\x1b[2Jb") == "a\\x1b[2Jb");
    CHECK(terminal_safe(std::string("\0\x07\x08\t\r\x7f", 6)) == "\\x00\\x07\\x08\\x09\\x0d\\x7f");
    CHECK(terminal_safe("one\ntwo") == "one\\x0atwo");
    CHECK(terminal_safe("one\ntwo\x1b", true) == "one\ntwo\\x1b");
}

TEST_CASE("terminal_safe: C1 controls and layout controls become backslash-u escapes", "[safe_text]") {
    CHECK(terminal_safe("\xc2\x9b"
                        "31m") == "\\u009b31m");                            // CSI
    CHECK(terminal_safe("\xc2\x85") == "\\u0085");                          // NEL
    CHECK(terminal_safe("\xc2\xa0") == "\xc2\xa0");                         // NBSP is printable
    CHECK(terminal_safe("abc\xe2\x80\xaetxt.exe") == "abc\\u202etxt.exe");  // right-to-left override
    CHECK(terminal_safe("\xe2\x80\xa8") == "\\u2028");
    CHECK(terminal_safe("\xe2\x81\xa6") == "\\u2066");
}

TEST_CASE("terminal_safe: bytes that are not UTF-8 become backslash-x escapes", "[safe_text]") {
    CHECK(terminal_safe("P1/\xff.P1") == "P1/\\xff.P1");
    CHECK(terminal_safe("\x80") == "\\x80");                             // stray continuation byte
    CHECK(terminal_safe("\xc3") == "\\xc3");                             // cut off
    CHECK(terminal_safe("\xc3x") == "\\xc3x");                           // bad continuation
    CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
    CHECK(terminal_safe("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");           // overlong, 3 bytes
    CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
    CHECK(terminal_safe("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
    CHECK(terminal_safe("\xc2\x9b") != "\\xc2\\x9b");                    // valid UTF-8 of a C1: one escape
}

TEST_CASE("terminal_safe: the result is valid UTF-8 and sanitising it again changes nothing", "[safe_text]") {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    all += "\xc2\x9b\xe2\x80\xae\xf0\x9f\x93\xa7";
    const std::string safe = terminal_safe(all);
    CHECK(is_valid_utf8(safe));
    CHECK(terminal_safe(safe) == safe);
    for (char c : safe) {
        const auto b = static_cast<unsigned char>(c);
        CHECK((b >= 0x20 && b != 0x7f));
    }
}

TEST_CASE("is_valid_utf8", "[safe_text]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("\xc3\xbc\xe2\x82\xac\xf0\x9f\x93\xa7"));
    CHECK(is_valid_utf8(std::string("\0\x1b", 2)));  // controls are valid UTF-8
    CHECK_FALSE(is_valid_utf8("\xff"));
    CHECK_FALSE(is_valid_utf8("\xe2\x82"));
    CHECK_FALSE(is_valid_utf8("\xed\xbf\xbf"));
}

TEST_CASE("utf8_or_escaped and hex_bytes: JSON's form of a name that is not UTF-8", "[safe_text]") {
    CHECK(utf8_or_escaped("GLB/\xff.GLB") == "GLB/\\xff.GLB");
    CHECK(utf8_or_escaped("a\x1b\xc3\xbc") == "a\x1b\xc3\xbc");  // valid UTF-8 is kept, controls too
    CHECK(hex_bytes("GLB/\xff") == "474c422fff");
    CHECK(hex_bytes("") == "");
}
