#include "mspo/format/layout.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

const std::vector<std::string>& top_level_dirs() {
    static const std::vector<std::string> dirs = {"ATT", "CAL", "FOLDERS", "GLB", "GRP", "HLP", "INF",
                                                  "INI", "KEY", "LOG",     "MAI", "MBG", "MEM", "MMF",
                                                  "NME", "P1",  "TPL",     "USR", "XTN"};
    return dirs;
}

const std::vector<std::string>& standard_dirs() {
    static const std::vector<std::string> dirs = [] {
        std::vector<std::string> d = top_level_dirs();
        const char* hex = "0123456789ABCDEF";
        for (int i = 0; i < 16; ++i) d.push_back(std::string("ATT/AT") + hex[i]);
        for (int i = 0; i < 16; ++i) d.push_back(std::string("MAI/MA") + hex[i]);
        return d;
    }();
    return dirs;
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

namespace {
std::string fanout_relpath(const char* dir, const char* sub, const char* ext, std::uint32_t n) {
    const std::string hex = format_hex8(n);
    return std::string(dir) + "/" + sub + hex.back() + "/" + hex + "." + ext;
}

std::vector<std::string> split(std::string_view rel) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= rel.size()) {
        std::size_t slash = rel.find('/', start);
        if (slash == std::string_view::npos) slash = rel.size();
        if (slash > start) parts.emplace_back(rel.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}
}  // namespace

std::string mai_relpath(std::uint32_t number) { return fanout_relpath("MAI", "MA", "MAI", number); }
std::string att_relpath(std::uint32_t number) { return fanout_relpath("ATT", "AT", "ATT", number); }

std::optional<std::uint32_t> file_number(std::string_view filename, std::string_view ext) {
    if (filename.size() != 9 + ext.size() || filename[8] != '.') return std::nullopt;
    if (!iequals(filename.substr(9), ext)) return std::nullopt;
    std::uint32_t n = 0;
    if (!parse_hex8(filename.substr(0, 8), n)) return std::nullopt;
    return n;
}

Postoffice::Postoffice(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    auto st = fs::status(root_, ec);
    if (ec || st.type() == fs::file_type::not_found)
        throw Error(Errc::not_found, "postoffice folder not found", root_);
    if (st.type() != fs::file_type::directory)
        throw Error(Errc::unsafe_path, "postoffice is not a folder", root_);
}

const std::map<std::string, std::string>& Postoffice::list(std::string_view reldir) const {
    const std::string key = to_upper(reldir);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    auto& entries = cache_[key];
    fs::path dir = root_;
    if (!reldir.empty()) {
        auto found = find(reldir);
        if (!found) return entries;
        dir = *found;
    }
    // One open and the listing's own types (d_type): no stat and no path per entry.
    platform::Handle handle;
    try {
        handle = platform::open_dir(dir, true);
    } catch (const Error&) {
        return entries;  // unreadable, gone or no folder: as a missing folder
    }
    for (auto& e : platform::list_dir_typed(handle, dir)) {
        std::string up = to_upper(e.name);
        if (e.type != platform::EntryType::regular) not_regular_[key].insert(e.name);
        const bool exact = e.name == up;
        auto [pos, inserted] = entries.emplace(std::move(up), e.name);
        if (!inserted && exact) pos->second = std::move(e.name);  // exact upper-case wins
    }
    return entries;
}

bool Postoffice::listed_regular(std::string_view reldir, const std::string& name) const {
    const auto& entries = list(reldir);
    const auto it = entries.find(to_upper(name));
    if (it == entries.end() || it->second != name) return false;
    const auto odd = not_regular_.find(to_upper(reldir));
    return odd == not_regular_.end() || odd->second.count(name) == 0;
}

const std::set<std::string>& Postoffice::not_regular(std::string_view reldir) const {
    static const std::set<std::string> none;
    list(reldir);
    const auto odd = not_regular_.find(to_upper(reldir));
    return odd == not_regular_.end() ? none : odd->second;
}

std::optional<fs::path> Postoffice::find(std::string_view relpath) const {
    fs::path cur = root_;
    std::string rel;
    for (const auto& part : split(relpath)) {
        const auto& entries = list(rel);
        auto it = entries.find(to_upper(part));
        if (it == entries.end()) return std::nullopt;
        cur = os::join(cur, it->second);
        rel += (rel.empty() ? "" : "/") + it->second;
    }
    return cur;
}

fs::path Postoffice::path_for(std::string_view relpath) const {
    if (auto p = find(relpath)) return *p;
    fs::path cur = root_;
    std::string rel;
    for (const auto& part : split(relpath)) {
        const auto& entries = list(rel);
        auto it = entries.find(to_upper(part));
        std::string name = it != entries.end() ? it->second : to_upper(part);
        cur = os::join(cur, name);
        rel += (rel.empty() ? "" : "/") + name;
    }
    return cur;
}

void Postoffice::refresh() const {
    cache_.clear();
    not_regular_.clear();
    mai_refcounts_.clear();
}

std::string Postoffice::relative(const fs::path& path) const {
    auto rel = path.lexically_relative(root_);
    if (rel.empty() || *rel.begin() == "..") return path.generic_string();
    return rel.generic_string();
}

bool is_postoffice(const Postoffice& po) {
    const auto glb = po.find("GLB");
    if (!glb || platform::stat_nofollow(*glb).type != platform::EntryType::directory) return false;
    for (const char* name : {"GLB/MASTER.GLB", "GLB/CONTROL.GLB"}) {
        const auto f = po.find(name);
        if (f && platform::stat_nofollow(*f).type != platform::EntryType::directory) return true;
    }
    return false;
}

void require_postoffice(const fs::path& root) {
    const Postoffice po(root);
    if (!is_postoffice(po)) throw Error(Errc::not_postoffice, "not a postoffice (no GLB/MASTER.GLB)", root);
}

}  // namespace mspo
