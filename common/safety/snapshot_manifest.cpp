#include "mspo/safety/snapshot_manifest.hpp"

#include <nlohmann/json.hpp>

#include "mspo/base/error.hpp"

namespace mspo {

namespace {

using nlohmann::json;

json state_json(const FileState& s) {
    json j = {{"present", s.present}};
    if (s.present) {
        j["size"] = s.size;
        j["mtime_ns"] = s.mtime_ns;
        j["crc32"] = s.crc32;
        if (s.folder) j["folder"] = true;
    }
    return j;
}

// Names are bytes: a name that is not valid UTF-8 cannot be a JSON string.
// It is written as "<key>" with each invalid sequence shown as U+FFFD
// (for a human reading the manifest) plus "<key>_hex" holding the exact
// bytes, which a reader prefers.
bool is_json_text(const std::string& s) {
    try {
        (void)json(s).dump();
        return true;
    } catch (const json::type_error&) { return false; }
}

void put_name(json& j, const char* key, const std::string& value) {
    if (is_json_text(value)) {
        j[key] = value;
        return;
    }
    static const char* const kHex = "0123456789abcdef";
    std::string hex;
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
    }
    j[key] = json::parse(json(value).dump(-1, ' ', false, json::error_handler_t::replace));
    j[std::string(key) + "_hex"] = hex;
}

std::string get_name(const json& j, const char* key) {
    const std::string hex_key = std::string(key) + "_hex";
    if (!j.contains(hex_key)) return j.at(key).get<std::string>();
    const auto hex = j.at(hex_key).get<std::string>();
    if (hex.size() % 2 != 0) throw Error(Errc::snapshot, "manifest member " + hex_key + " is not hex");
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int v = 0;
        for (std::size_t k = i; k < i + 2; ++k) {
            const char c = hex[k];
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) throw Error(Errc::snapshot, "manifest member " + hex_key + " is not hex");
            v = v * 16 + d;
        }
        out += static_cast<char>(v);
    }
    return out;
}

FileState state_from(const json& j) {
    FileState s;
    s.present = j.at("present").get<bool>();
    if (s.present) {
        s.size = j.at("size").get<std::uint64_t>();
        s.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
        s.crc32 = j.at("crc32").get<std::uint32_t>();
        s.folder = j.value("folder", false);
    }
    return s;
}

}  // namespace

std::string manifest_to_json(const Manifest& m) {
    json dirs = json::array();
    for (const auto& [path, mtime] : m.dirs) {
        json d = json::object();
        put_name(d, "path", path);
        d["mtime_ns"] = mtime;
        dirs.push_back(std::move(d));
    }
    json files = json::array();
    for (const auto& f : m.files) {
        json e = json::object();
        put_name(e, "path", f.path);
        e["before"] = state_json(f.before);
        e["after"] = f.after ? state_json(*f.after) : json(nullptr);
        files.push_back(std::move(e));
    }
    json j = {{"format", "mspo-snapshot"},
              {"version", m.version},
              {"tool", m.tool},
              {"created", m.created},
              {"created_ns", m.created_ns}};
    put_name(j, "postoffice", m.postoffice);
    put_name(j, "host", m.host);
    j["pid"] = m.pid;
    j["files"] = std::move(files);
    j["dirs"] = std::move(dirs);
    return j.dump(1) + "\n";
}

Manifest manifest_from_json(std::string_view text) {
    try {
        json j = json::parse(text);
        if (j.at("format").get<std::string>() != "mspo-snapshot")
            throw Error(Errc::snapshot, "manifest is not an mspo snapshot manifest");
        Manifest m;
        m.version = j.at("version").get<int>();
        if (m.version != kManifestVersion)
            throw Error(Errc::snapshot,
                        "manifest version " + std::to_string(m.version) + " is not supported");
        m.tool = j.at("tool").get<std::string>();
        m.created = j.at("created").get<std::string>();
        m.created_ns = j.at("created_ns").get<std::int64_t>();
        m.postoffice = get_name(j, "postoffice");
        m.host = j.contains("host") ? get_name(j, "host") : std::string();
        m.pid = j.value("pid", 0L);
        for (const auto& e : j.at("files")) {
            ManifestEntry f;
            f.path = get_name(e, "path");
            f.before = state_from(e.at("before"));
            if (e.contains("after") && !e.at("after").is_null()) f.after = state_from(e.at("after"));
            m.files.push_back(std::move(f));
        }
        if (j.contains("dirs"))
            for (const auto& d : j.at("dirs"))
                m.dirs.emplace_back(get_name(d, "path"), d.at("mtime_ns").get<std::int64_t>());
        return m;
    } catch (const json::exception& e) {
        throw Error(Errc::snapshot, std::string("manifest is malformed (") + e.what() + ")");
    }
}

}  // namespace mspo
