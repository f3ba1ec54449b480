#include "mspo/report/json_writer.hpp"

#include <ostream>
#include <string>

#include "mspo/report/safe_text.hpp"

namespace mspo {

namespace {

constexpr std::size_t kFlushAt = 1 << 16;

/// The code point of a 2- or 3-byte UTF-8 sequence at `p` that a terminal
/// must not see raw (C1 controls, U+2028/U+2029, the bidirectional overrides
/// and isolates), or 0. `utf8` is valid UTF-8.
unsigned unsafe_code_point(std::string_view utf8, std::size_t p) {
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(utf8[p + i]); };
    if (at(0) == 0xC2 && p + 1 < utf8.size() && at(1) < 0xA0) return at(1);  // U+0080..U+009F
    if (at(0) != 0xE2 || p + 2 >= utf8.size()) return 0;
    const unsigned cp = 0x2000u + ((at(1) & 0x3Fu) << 6) + (at(2) & 0x3Fu);
    return (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ? cp : 0;
}

// JSON string body as nlohmann::json writes it with ensure_ascii off, but
// for what must not reach a terminal raw (CONTRACT.md): DEL, the C1
// controls, U+2028/U+2029 and the bidirectional overrides and isolates are
// written as \uXXXX, which a JSON parser reads back as the same text.
void append_escaped(std::string& s, std::string_view utf8) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto put_u = [&](unsigned cp) {
        s += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) s += kHex[(cp >> shift) & 0xF];
    };
    s += '"';
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        const auto b = static_cast<unsigned char>(c);
        if (const unsigned cp = unsafe_code_point(utf8, i)) {
            put_u(cp);
            i += cp < 0x100 ? 1 : 2;
            continue;
        }
        switch (c) {
            case '"':
                s += "\\\"";
                break;
            case '\\':
                s += "\\\\";
                break;
            case '\b':
                s += "\\b";
                break;
            case '\f':
                s += "\\f";
                break;
            case '\n':
                s += "\\n";
                break;
            case '\r':
                s += "\\r";
                break;
            case '\t':
                s += "\\t";
                break;
            default:
                if (b < 0x20 || b == 0x7F)
                    put_u(b);
                else
                    s += c;
        }
    }
    s += '"';
}

}  // namespace

JsonWriter::JsonWriter(std::ostream& out) : out_(out) {}

JsonWriter::~JsonWriter() { flush(); }

void JsonWriter::flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
}

void JsonWriter::put(std::string_view s) {
    buf_ += s;
    if (buf_.size() >= kFlushAt) flush();
}

void JsonWriter::newline_indent() {
    buf_ += '\n';
    buf_.append(2 * levels_.size(), ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (levels_.empty()) return;
    if (levels_.back().count++ > 0) buf_ += ',';
    newline_indent();
}

void JsonWriter::key(std::string_view name) {
    if (levels_.back().count++ > 0) buf_ += ',';
    newline_indent();
    append_escaped(buf_, utf8_or_escaped(name));
    buf_ += ": ";
    after_key_ = true;
}

void JsonWriter::begin_object() {
    before_value();
    put("{");
    levels_.push_back({true, 0});
}

void JsonWriter::begin_array() {
    before_value();
    put("[");
    levels_.push_back({false, 0});
}

void JsonWriter::end_object() {
    const bool empty = levels_.back().count == 0;
    levels_.pop_back();
    if (!empty) newline_indent();
    put("}");
}

void JsonWriter::end_array() {
    const bool empty = levels_.back().count == 0;
    levels_.pop_back();
    if (!empty) newline_indent();
    put("]");
}

void JsonWriter::string(std::string_view bytes) {
    before_value();
    append_escaped(buf_, utf8_or_escaped(bytes));
    put("");
}

void JsonWriter::number(std::uint64_t value) {
    before_value();
    put(std::to_string(value));
}

void JsonWriter::boolean(bool value) {
    before_value();
    put(value ? "true" : "false");
}

void JsonWriter::null() {
    before_value();
    put("null");
}

void JsonWriter::text(std::string_view name, std::string_view bytes) {
    key(name);
    string(bytes);
    if (!is_valid_utf8(bytes)) {
        key(std::string(name) + "_hex");
        string(hex_bytes(bytes));
    }
}

void JsonWriter::optional_text(std::string_view name, const std::optional<std::string_view>& bytes) {
    if (bytes) {
        text(name, *bytes);
    } else {
        key(name);
        null();
    }
}

void JsonWriter::number(std::string_view name, std::uint64_t value) {
    key(name);
    number(value);
}

void JsonWriter::optional_number(std::string_view name, const std::optional<std::uint64_t>& value) {
    key(name);
    if (value)
        number(*value);
    else
        null();
}

void JsonWriter::boolean(std::string_view name, bool value) {
    key(name);
    boolean(value);
}

void JsonWriter::finish() {
    buf_ += '\n';
    flush();
}

}  // namespace mspo
