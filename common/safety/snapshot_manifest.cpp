#include "mspo/safety/snapshot_manifest.hpp"

#include <istream>
#include <limits>
#include <nlohmann/json.hpp>

#include "mspo/base/error.hpp"

namespace mspo {

// One of each per file a snapshot holds (100,000s for a P1 cleanup): keep them small.
static_assert(sizeof(FileState) <= 48, "FileState: its flags belong after the wider members");

namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Writing: by hand, so that no byte of any name can make the writer throw.

constexpr char kHex[] = "0123456789abcdef";

void put_string(std::string& out, std::string_view utf8) {
    out += '"';
    for (char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
}

/// `"key": "text"` and, if `bytes` is not valid UTF-8, `, "key_hex": "..."`.
void put_bytes_member(std::string& out, std::string_view key, std::string_view bytes) {
    put_string(out, key);
    out += ": ";
    if (is_valid_utf8(bytes)) {
        put_string(out, bytes);
        return;
    }
    put_string(out, lossy_utf8(bytes));
    out += ", ";
    put_string(out, std::string(key) + "_hex");
    out += ": \"";
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    out += '"';
}

template <class T>
void put_number_member(std::string& out, std::string_view key, T value) {
    put_string(out, key);
    out += ": ";
    out += std::to_string(value);
}

void put_state(std::string& out, const FileState& s) {
    out += "{\"present\": ";
    out += s.present ? "true" : "false";
    if (s.present) {
        out += ", ";
        put_number_member(out, "size", s.size);
        out += ", ";
        put_number_member(out, "mtime_ns", s.mtime_ns);
        out += ", ";
        put_number_member(out, "crc32", s.crc32);
        if (s.folder) out += ", \"folder\": true";
        for (const auto& [key, v] : {std::pair{"mode", s.mode}, {"uid", s.uid}, {"gid", s.gid}}) {
            if (!v) continue;
            out += ", ";
            put_number_member(out, key, *v);
        }
    }
    out += '}';
}

// ---------------------------------------------------------------------------
// Reading: every member checked for presence and type; errors are
// Error{snapshot}, never a JSON library exception.

[[noreturn]] void bad(const std::string& what) {
    throw Error(Errc::snapshot, "manifest is malformed: " + what);
}

const json& member(const json& j, const char* key) {
    if (!j.is_object()) bad(std::string("expected an object holding \"") + key + "\"");
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("member \"") + key + "\" is missing");
    return *it;
}

std::uint64_t get_u64(const json& j, const char* key, std::uint64_t max) {
    const json& v = member(j, key);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
        bad(std::string("member \"") + key + "\" is not a number in range");
    return v.get<std::uint64_t>();
}

std::uint32_t get_u32(const json& j, const char* key) {
    return static_cast<std::uint32_t>(get_u64(j, key, std::numeric_limits<std::uint32_t>::max()));
}

std::int64_t get_i64(const json& j, const char* key) {
    const json& v = member(j, key);
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            bad(std::string("member \"") + key + "\" is out of range");
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    }
    if (!v.is_number_integer()) bad(std::string("member \"") + key + "\" is not an integer");
    return v.get<std::int64_t>();
}

std::string get_text(const json& j, const char* key) {
    const json& v = member(j, key);
    if (!v.is_string()) bad(std::string("member \"") + key + "\" is not a string");
    return v.get<std::string>();
}

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The bytes of `key`: from "<key>_hex" if present (authoritative), else the string.
std::string get_bytes(const json& j, const char* key) {
    const std::string hex_key = std::string(key) + "_hex";
    auto it = j.is_object() ? j.find(hex_key) : j.end();
    if (it == j.end()) return get_text(j, key);
    if (!it->is_string()) bad("member \"" + hex_key + "\" is not a string");
    const auto& hex = it->get_ref<const std::string&>();
    if (hex.size() % 2 != 0) bad("member \"" + hex_key + "\" has an odd number of digits");
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int h = hex_digit(hex[i]), l = hex_digit(hex[i + 1]);
        if (h < 0 || l < 0) bad("member \"" + hex_key + "\" is not hex");
        bytes += static_cast<char>(h * 16 + l);
    }
    return bytes;
}

std::optional<std::uint32_t> get_optional_u32(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return get_u32(j, key);
}

FileState state_from(const json& j) {
    FileState s;
    const json& present = member(j, "present");
    if (!present.is_boolean()) bad("member \"present\" is not true or false");
    s.present = present.get<bool>();
    if (s.present) {
        s.size = get_u64(j, "size", std::numeric_limits<std::int64_t>::max());
        s.mtime_ns = get_i64(j, "mtime_ns");
        s.crc32 = get_u32(j, "crc32");
        if (auto it = j.find("folder"); it != j.end()) {
            if (!it->is_boolean()) bad("member \"folder\" is not true or false");
            s.folder = it->get<bool>();
        }
        s.mode = get_optional_u32(j, "mode");
        if (s.mode && *s.mode > 07777) bad("member \"mode\" holds more than permission bits");
        s.uid = get_optional_u32(j, "uid");
        s.gid = get_optional_u32(j, "gid");
    }
    return s;
}

ManifestEntry file_from(const json& e) {
    ManifestEntry f;
    f.path = get_bytes(e, "path");
    f.before = state_from(member(e, "before"));
    auto it = e.find("after");
    if (it != e.end() && !it->is_null()) f.after = state_from(*it);
    return f;
}

/// Parses `input` (a string or a stream), moving each element of "files"
/// (to `on_file` when set) and "dirs" into `m` as soon as it is complete, so
/// no tree of them is kept.
constexpr int kMaxDepth = 4;

template <class Input>
Manifest parse_manifest(Input&& input, const std::function<void(ManifestEntry&&)>& on_file = {}) {
    Manifest m;
    std::string top_key;  // the member of the top object being parsed
    bool saw_files = false;
    json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
        // A manifest nests 4 deep (top, "files", a file, "before"): deeper
        // is refused before the parser's stack of open values grows with it
        // (64 MiB of '[' took 5 GB), and a list or object under a member we
        // do not read is dropped as it is parsed, never kept.
        if (depth > kMaxDepth) bad("nests deeper than " + std::to_string(kMaxDepth) + " levels");
        const bool opens =
            event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
        if (depth == 1 && opens && top_key != "files" && top_key != "dirs") return false;
        if (depth == 1 && event == json::parse_event_t::key) top_key = parsed.get<std::string>();
        if (depth == 2 && event == json::parse_event_t::object_end) {
            if (top_key == "files") {
                if (on_file)
                    on_file(file_from(parsed));
                else
                    m.files.push_back(file_from(parsed));
                return false;
            }
            if (top_key == "dirs") {
                m.dirs.emplace_back(get_bytes(parsed, "path"), get_i64(parsed, "mtime_ns"));
                return false;
            }
        }
        if (depth == 1 && event == json::parse_event_t::array_end && top_key == "files") saw_files = true;
        return true;
    };
    try {
        json j = json::parse(std::forward<Input>(input), cb);
        if (!j.is_object()) bad("not a JSON object");
        if (get_text(j, "format") != "mspo-snapshot")
            throw Error(Errc::snapshot, "manifest is not an mspo snapshot manifest");
        const std::int64_t version = get_i64(j, "version");
        if (version < kManifestOldestVersion || version > kManifestVersion)
            throw Error(Errc::snapshot, "manifest version " + std::to_string(version) + " is not supported");
        m.version = static_cast<int>(version);
        m.tool = get_text(j, "tool");
        m.created = get_text(j, "created");
        m.created_ns = get_i64(j, "created_ns");
        m.postoffice = get_bytes(j, "postoffice");
        m.postoffice_id = get_optional_u32(j, "postoffice_id");
        if (j.contains("undoes")) m.undoes = get_text(j, "undoes");
        if (j.contains("host")) m.host = get_text(j, "host");
        if (j.contains("pid")) m.pid = static_cast<long>(get_i64(j, "pid"));
        if (!saw_files || !member(j, "files").is_array()) bad("member \"files\" is not a list");
        if (j.contains("dirs") && !j.at("dirs").is_array()) bad("member \"dirs\" is not a list");
        return m;
    } catch (const json::exception& e) {
        throw Error(Errc::snapshot, std::string("manifest is malformed (") + e.what() + ")");
    }
}

}  // namespace

void write_manifest_json(const Manifest& m, const std::function<void(std::string_view)>& sink) {
    std::string s = "{";
    put_bytes_member(s, "format", "mspo-snapshot");
    s += ", ";
    put_number_member(s, "version", m.version);
    s += ",\n ";
    put_bytes_member(s, "tool", m.tool);
    s += ", ";
    put_bytes_member(s, "undoes", m.undoes);
    s += ", ";
    put_bytes_member(s, "created", m.created);
    s += ", ";
    put_number_member(s, "created_ns", m.created_ns);
    s += ",\n ";
    put_bytes_member(s, "postoffice", m.postoffice);
    s += ", \"postoffice_id\": ";
    s += m.postoffice_id ? std::to_string(*m.postoffice_id) : "null";
    s += ",\n ";
    put_bytes_member(s, "host", m.host);
    s += ", ";
    put_number_member(s, "pid", m.pid);
    s += ",\n \"dirs\": [";
    for (std::size_t i = 0; i < m.dirs.size(); ++i) {
        s += i == 0 ? "\n  {" : ",\n  {";
        put_bytes_member(s, "path", m.dirs[i].first);
        s += ", ";
        put_number_member(s, "mtime_ns", m.dirs[i].second);
        s += '}';
    }
    s += "],\n \"files\": [";
    sink(s);
    for (std::size_t i = 0; i < m.files.size(); ++i) {
        const auto& f = m.files[i];
        s.assign(i == 0 ? "\n  {" : ",\n  {");
        put_bytes_member(s, "path", f.path);
        s += ", \"before\": ";
        put_state(s, f.before);
        s += ", \"after\": ";
        if (f.after)
            put_state(s, *f.after);
        else
            s += "null";
        s += '}';
        sink(s);
    }
    sink("]}\n");
}

std::string manifest_to_json(const Manifest& m) {
    std::string text;
    write_manifest_json(m, [&](std::string_view piece) { text += piece; });
    return text;
}

Manifest manifest_from_json(std::string_view text) { return parse_manifest(text); }

Manifest manifest_from_json(std::istream& in) { return parse_manifest(in); }

Manifest manifest_from_json(std::istream& in, const std::function<void(ManifestEntry&&)>& on_file) {
    return parse_manifest(in, on_file);
}

}  // namespace mspo
