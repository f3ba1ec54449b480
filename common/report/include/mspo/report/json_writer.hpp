// A JSON document written piece by piece to a stream, laid out as
// nlohmann::json's dump(2) (two-space indent, "key": value, empty containers
// as [] and {}), so a report of a million findings never exists as one value
// in memory. Strings are always written as valid UTF-8 (see text()).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mspo {

class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out);
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;
    /// Writes out what is still buffered.
    ~JsonWriter();

    // Containers. Inside an object, every value (container or scalar) is
    // preceded by key(); member functions taking a key do both.
    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view name);

    // Scalars, as an array element or after key().
    /// A string; bytes that are not valid UTF-8 are written as "\xff".
    void string(std::string_view bytes);
    void number(std::uint64_t value);
    void boolean(bool value);
    void null();

    // Object members.
    /// "name": the text; when `bytes` is not valid UTF-8, also
    /// "<name>_hex": the exact bytes in hex, so a file name still identifies
    /// its file.
    void text(std::string_view name, std::string_view bytes);
    /// text(), or null when there is no value.
    void optional_text(std::string_view name, const std::optional<std::string_view>& bytes);
    void number(std::string_view name, std::uint64_t value);
    void optional_number(std::string_view name, const std::optional<std::uint64_t>& value);
    void boolean(std::string_view name, bool value);

    /// Ends the document with a newline and writes out the buffer. Call once,
    /// after the outermost container is closed.
    void finish();

private:
    void before_value();
    void newline_indent();
    void put(std::string_view s);
    void flush();

    std::ostream& out_;
    std::string buf_;  // written to out_ in pieces of about 64 KiB
    struct Level {
        bool object;
        std::size_t count;
    };
    std::vector<Level> levels_;
    bool after_key_ = false;
};

}  // namespace mspo
