#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>

#include "mspo/base/codepage.hpp"

using namespace mspo;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool is_control(unsigned b) { return b < 0x20 || b == 0x7F; }

// CP850 bytes that show box-drawing, block or shade glyphs (U+2500..U+25FF).
const std::set<unsigned>& box_drawing() {
    static const std::set<unsigned> s{0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB9, 0xBA, 0xBB, 0xBC, 0xBF,
                                      0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC8, 0xC9, 0xCA, 0xCB,
                                      0xCC, 0xCD, 0xCE, 0xD9, 0xDA, 0xDB, 0xDC, 0xDF, 0xFE};
    return s;
}

// KB Q199676: invalid in mailbox names (space, 32, is inside 1-47).
bool kb_invalid_in_mailbox(unsigned b) {
    return (b >= 1 && b <= 47) || (b >= 58 && b <= 64) || (b >= 91 && b <= 96) || (b >= 123 && b <= 127) ||
           (b >= 145 && b <= 148);
}

}  // namespace

TEST_CASE("codepage: every printable CP850 byte round-trips through UTF-8", "[codepage]") {
    std::string all;
    for (unsigned b = 0; b < 256; ++b) {
        if (is_control(b)) continue;
        const std::string one(1, static_cast<char>(b));
        const std::string utf8 = cp850_to_utf8(one);
        INFO("byte " << b);
        CHECK(utf8 != kReplacement);
        const auto back = utf8_to_cp850(utf8);
        REQUIRE(back);
        CHECK(*back == one);
        if (b != 0) all += one;
    }
    CHECK(utf8_to_cp850(cp850_to_utf8(all)) == all);
}

TEST_CASE("codepage: control bytes show as U+FFFD and do not encode back", "[codepage]") {
    for (unsigned b = 0; b < 256; ++b) {
        if (!is_control(b)) continue;
        INFO("byte " << b);
        CHECK(cp850_to_utf8(std::string(1, static_cast<char>(b))) == kReplacement);
    }
    CHECK_FALSE(utf8_to_cp850(kReplacement));
    CHECK(cp850_to_utf8("A\x1B[2JB") == "A" + kReplacement + "[2JB");
}

TEST_CASE("codepage: known CP850 code points", "[codepage]") {
    CHECK(cp850_to_unicode(0x41) == U'A');
    CHECK(cp850_to_unicode(0x80) == U'\u00C7');
    CHECK(cp850_to_unicode(0x81) == U'\u00FC');
    CHECK(cp850_to_unicode(0x9C) == U'\u00A3');
    CHECK(cp850_to_unicode(0xC4) == U'\u2500');
    CHECK(cp850_to_unicode(0xD5) == U'\u0131');
    CHECK(cp850_to_unicode(0xE1) == U'\u00DF');
    CHECK(cp850_to_unicode(0xFF) == U'\u00A0');
    CHECK(cp850_to_utf8("M\x81ller") == "M\xC3\xBCller");
    CHECK(utf8_to_cp850("M\xC3\xBCller") == std::string("M\x81ller"));
}

TEST_CASE("codepage: text CP850 cannot hold is refused", "[codepage]") {
    CHECK_FALSE(utf8_to_cp850("\xE2\x82\xAC"));      // euro sign (CP858 only)
    CHECK_FALSE(utf8_to_cp850("\xF0\x9F\x98\x80"));  // outside the BMP
    CHECK_FALSE(utf8_to_cp850("\x80"));              // stray continuation byte
    CHECK_FALSE(utf8_to_cp850("\xC3"));              // cut short
    CHECK_FALSE(utf8_to_cp850("\xC3\x41"));          // bad continuation
    CHECK(utf8_to_cp850("") == std::string());
}

TEST_CASE("codepage: mailbox characters follow KB Q199676", "[codepage]") {
    for (unsigned b = 0; b < 256; ++b) {
        const auto byte = static_cast<std::uint8_t>(b);
        INFO("byte " << b);
        const bool expected = b != 0 && !kb_invalid_in_mailbox(b) && box_drawing().count(b) == 0;
        CHECK(is_valid_char(TextField::mailbox, byte) == expected);
        CHECK(is_valid_char(TextField::network, byte) == expected);
    }
    for (char c : std::string("~!@#$%^&*()_+-=`{}[]|\\:\";'<>?,./ ")) {
        INFO("char " << c);
        CHECK_FALSE(is_valid_char(TextField::mailbox, static_cast<std::uint8_t>(c)));
    }
    for (char c : std::string("AZaz09"))
        CHECK(is_valid_char(TextField::mailbox, static_cast<std::uint8_t>(c)));
    CHECK(is_valid_char(TextField::mailbox, 0x80));        // C cedilla
    CHECK(is_valid_char(TextField::mailbox, 0x90));        // E acute, 144
    CHECK_FALSE(is_valid_char(TextField::mailbox, 0x91));  // 145
    CHECK_FALSE(is_valid_char(TextField::mailbox, 0x94));  // 148
    CHECK(is_valid_char(TextField::mailbox, 0x95));        // 149
}

TEST_CASE("codepage: box drawing and controls are invalid in every name", "[codepage]") {
    for (auto field : {TextField::mailbox, TextField::full_name, TextField::network, TextField::subject}) {
        for (unsigned b : box_drawing()) CHECK_FALSE(is_valid_char(field, static_cast<std::uint8_t>(b)));
        for (unsigned b = 0; b < 256; ++b)
            if (is_control(b)) CHECK_FALSE(is_valid_char(field, static_cast<std::uint8_t>(b)));
    }
}

TEST_CASE("codepage: full names and subjects take printable text", "[codepage]") {
    for (auto field : {TextField::full_name, TextField::subject}) {
        for (unsigned b = 0; b < 256; ++b) {
            INFO("byte " << b);
            const bool expected = !is_control(b) && box_drawing().count(b) == 0;
            CHECK(is_valid_char(field, static_cast<std::uint8_t>(b)) == expected);
        }
    }
    CHECK_FALSE(first_invalid_char(TextField::full_name, "Jane O'Brien-Smith, Jr."));
}

TEST_CASE("codepage: first_invalid_char and max_length", "[codepage]") {
    CHECK(first_invalid_char(TextField::mailbox, "JANE SMITH") == 4u);
    CHECK_FALSE(first_invalid_char(TextField::mailbox, "JSMITH"));
    CHECK_FALSE(first_invalid_char(TextField::mailbox, ""));
    CHECK(first_invalid_char(TextField::full_name, std::string("Ann\x01")) == 3u);
    CHECK(first_invalid_char(TextField::full_name, std::string("A\0B", 3)) == 1u);
    CHECK(first_invalid_char(TextField::full_name, "Bad \xB2 name") == 4u);
    CHECK(max_length(TextField::mailbox) == 10);
    CHECK(max_length(TextField::network) == 10);
    CHECK(max_length(TextField::full_name) == 30);
    CHECK(max_length(TextField::subject) == 40);
}
