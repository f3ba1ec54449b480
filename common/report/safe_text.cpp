#include "mspo/report/safe_text.hpp"

#include <cstdint>

namespace mspo {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 if
// the byte there does not start one.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t lead = b(i);
    if (lead < 0x80) {
        cp = lead;
        return 1;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        cp = lead & 0x0Fu;
        if (lead == 0xE0) lo = 0xA0;  // overlong
        if (lead == 0xED) hi = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        cp = lead & 0x07u;
        if (lead == 0xF0) lo = 0x90;  // overlong
        if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const std::uint8_t c = b(i + k);
        if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return 0;
        cp = (cp << 6) | (c & 0x3Fu);
    }
    return len;
}

void append_byte_escape(std::string& out, std::uint8_t byte) {
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
}

void append_u_escape(std::string& out, char32_t cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
}

// Format characters that move text around or break a line on a terminal.
bool is_layout_control(char32_t cp) noexcept {
    return cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string terminal_safe(std::string_view bytes, bool keep_newlines) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        // A run of printable ASCII, nearly all of any report, goes as it is, at once.
        std::size_t end = i;
        while (end < bytes.size() && static_cast<std::uint8_t>(bytes[end]) >= 0x20 &&
               static_cast<std::uint8_t>(bytes[end]) < 0x7F)
            ++end;
        if (end > i) {
            out.append(bytes.substr(i, end - i));
            i = end;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = utf8_sequence(bytes, i, cp);
        if (len == 0) {
            append_byte_escape(out, static_cast<std::uint8_t>(bytes[i]));
            ++i;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F) {
            if (cp == '\n' && keep_newlines)
                out += '\n';
            else
                append_byte_escape(out, static_cast<std::uint8_t>(cp));
        } else if ((cp >= 0x80 && cp <= 0x9F) || is_layout_control(cp)) {
            append_u_escape(out, cp);
        } else {
            out.append(bytes.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string utf8_or_escaped(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        char32_t cp = 0;
        const std::size_t len = utf8_sequence(bytes, i, cp);
        if (len == 0) {
            append_byte_escape(out, static_cast<std::uint8_t>(bytes[i]));
            ++i;
        } else {
            out.append(bytes.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::string hex_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

std::string shell_word(std::string_view path) {
    if (!path.empty() && path.find_first_of(" \t'\"$&;|<>()*?`") == std::string_view::npos)
        return std::string(path);
    std::string q = "\"";
    for (char c : path) {
        if (c == '"' || c == '\\' || c == '$' || c == '`') q += '\\';
        q += c;
    }
    return q + "\"";
}

}  // namespace mspo
