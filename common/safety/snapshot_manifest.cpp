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
    for (const auto& [path, mtime] : m.dirs) dirs.push_back(json{{"path", path}, {"mtime_ns", mtime}});
    json files = json::array();
    for (const auto& f : m.files) {
        json e = {{"path", f.path}, {"before", state_json(f.before)}};
        e["after"] = f.after ? state_json(*f.after) : json(nullptr);
        files.push_back(std::move(e));
    }
    json j = {
        {"format", "mspo-snapshot"},  {"version", m.version},       {"tool", m.tool}, {"created", m.created},
        {"created_ns", m.created_ns}, {"postoffice", m.postoffice}, {"host", m.host}, {"pid", m.pid},
        {"files", std::move(files)},  {"dirs", std::move(dirs)}};
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
        m.postoffice = j.at("postoffice").get<std::string>();
        m.host = j.value("host", std::string());
        m.pid = j.value("pid", 0L);
        for (const auto& e : j.at("files")) {
            ManifestEntry f;
            f.path = e.at("path").get<std::string>();
            f.before = state_from(e.at("before"));
            if (e.contains("after") && !e.at("after").is_null()) f.after = state_from(e.at("after"));
            m.files.push_back(std::move(f));
        }
        if (j.contains("dirs"))
            for (const auto& d : j.at("dirs"))
                m.dirs.emplace_back(d.at("path").get<std::string>(), d.at("mtime_ns").get<std::int64_t>());
        return m;
    } catch (const json::exception& e) {
        throw Error(Errc::snapshot, std::string("manifest is malformed (") + e.what() + ")");
    }
}

}  // namespace mspo
