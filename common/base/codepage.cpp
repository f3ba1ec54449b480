#include "mspo/base/codepage.hpp"

#include <array>

namespace mspo {

namespace {

constexpr std::array<char16_t, 128> kHigh = {
#include "codepage_table.inc"
};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// A character a person would type in a name: not a control character and not
// one of CP850's box-drawing, block or shading glyphs (U+2500..U+25FF), which
// are what a damaged record shows (KB Q135932's "unrecognizable characters").
bool is_printable(std::uint8_t byte) {
    if (byte < 0x20 || byte == 0x7F) return false;
    char32_t cp = cp850_to_unicode(byte);
    return !(cp >= 0x2500 && cp <= 0x25FF);
}

}  // namespace

char32_t cp850_to_unicode(std::uint8_t byte) noexcept {
    return byte < 0x80 ? static_cast<char32_t>(byte) : static_cast<char32_t>(kHigh[byte - 0x80u]);
}

std::string cp850_to_utf8(std::string_view cp850) {
    std::string out;
    out.reserve(cp850.size());
    for (char ch : cp850) {
        auto b = static_cast<std::uint8_t>(ch);
        append_utf8(out, (b < 0x20 || b == 0x7F) ? char32_t{0xFFFD} : cp850_to_unicode(b));
    }
    return out;
}

std::optional<std::string> utf8_to_cp850(std::string_view utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        auto b0 = static_cast<std::uint8_t>(utf8[i]);
        char32_t cp = 0;
        std::size_t len = 0;
        if (b0 < 0x80) {
            cp = b0;
            len = 1;
        } else if ((b0 & 0xE0) == 0xC0) {
            cp = b0 & 0x1Fu;
            len = 2;
        } else if ((b0 & 0xF0) == 0xE0) {
            cp = b0 & 0x0Fu;
            len = 3;
        } else
            return std::nullopt;  // CP850 has nothing outside the BMP
        if (i + len > utf8.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            auto b = static_cast<std::uint8_t>(utf8[i + k]);
            if ((b & 0xC0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (b & 0x3Fu);
        }
        i += len;
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
            continue;
        }
        bool found = false;
        for (std::size_t k = 0; k < kHigh.size(); ++k) {
            if (static_cast<char32_t>(kHigh[k]) == cp) {
                out.push_back(static_cast<char>(static_cast<std::uint8_t>(0x80 + k)));
                found = true;
                break;
            }
        }
        if (!found) return std::nullopt;
    }
    return out;
}

std::size_t max_length(TextField field) noexcept {
    switch (field) {
        case TextField::mailbox:
        case TextField::network:
            return 10;
        case TextField::full_name:
            return 30;
        case TextField::subject:
            return 40;
    }
    return 0;
}

bool is_valid_char(TextField field, std::uint8_t byte) noexcept {
    switch (field) {
        case TextField::mailbox:
        case TextField::network:
            // Not allowed: 0..47, 58..64, 91..96, 123..127, 145..148 (and space, 32).
            if (byte <= 47) return false;
            if (byte >= 58 && byte <= 64) return false;
            if (byte >= 91 && byte <= 96) return false;
            if (byte >= 123 && byte <= 127) return false;
            if (byte >= 145 && byte <= 148) return false;
            return is_printable(byte);
        case TextField::full_name:
        case TextField::subject:
            return is_printable(byte);
    }
    return false;
}

std::optional<std::size_t> first_invalid_char(TextField field, std::string_view cp850) noexcept {
    for (std::size_t i = 0; i < cp850.size(); ++i)
        if (!is_valid_char(field, static_cast<std::uint8_t>(cp850[i]))) return i;
    return std::nullopt;
}

}  // namespace mspo
