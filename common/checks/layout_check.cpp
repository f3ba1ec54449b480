// layout.missing-dir, layout.not-dir, glb.missing: MAILINT's Directory Check
// and File Existence Check (KB Q132744).
#include "file_kind.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

platform::EntryType type_of(const Postoffice& po, std::string_view rel) {
    auto p = po.find(rel);
    return p ? platform::stat_nofollow(*p).type : platform::EntryType::missing;
}

std::string parent_of(std::string_view rel) {
    const auto slash = rel.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(rel.substr(0, slash));
}

}  // namespace

Findings check_layout(const Postoffice& po) {
    Findings out;
    std::map<std::string, platform::EntryType> seen;
    for (const auto& dir : standard_dirs()) {
        const std::string parent = parent_of(dir);
        if (!parent.empty() && seen[parent] != platform::EntryType::directory)
            continue;  // reported with its parent
        const auto type = type_of(po, dir);
        seen[dir] = type;
        if (type == platform::EntryType::missing) {
            const bool fanout = dir == "MAI" || dir == "ATT";
            out.push_back(make_finding(
                CheckId::layout_missing_dir, dir, std::nullopt, std::nullopt,
                "folder " + dir + " is missing" + (fanout ? " (with its 16 subfolders)" : std::string())));
        } else if (type != platform::EntryType::directory) {
            const char* what = type == platform::EntryType::symlink ? "a symbolic link" : "a file";
            out.push_back(make_finding(CheckId::layout_not_dir, po.relative(*po.find(dir)), std::nullopt,
                                       std::nullopt, dir + " is " + what + ", not a folder"));
        }
    }
    for (const auto rel : checks_detail::core_files()) {
        if (seen[parent_of(rel)] != platform::EntryType::directory) continue;  // the folder is reported
        const auto type = type_of(po, rel);
        if (type == platform::EntryType::regular) continue;
        const std::string name(rel);
        out.push_back(make_finding(
            CheckId::glb_missing, type == platform::EntryType::missing ? name : po.relative(*po.find(rel)),
            std::nullopt, std::nullopt,
            type == platform::EntryType::missing ? "core file " + name + " is missing"
                                                 : "core file " + name + " is not a regular file"));
    }
    return out;
}

}  // namespace mspo
