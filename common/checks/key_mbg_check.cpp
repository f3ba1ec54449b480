// key.orphan and mbg.orphan: every KEY has its MBG and every MBG its KEY
// (MAILINT's File Check, KB Q132744). INQUEUE3, INQUEUE and SYSTEM count too.
// A KEY or MBG that is not a regular file is layout.not-regular.
#include "file_kind.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

bool has_ext(const std::string& upper, std::string_view ext) {
    return upper.size() > ext.size() && upper.compare(upper.size() - ext.size(), ext.size(), ext) == 0;
}

std::string stem(const std::string& upper) { return upper.substr(0, upper.size() - 4); }

// A KEY (or MBG) whose partner is there, whatever its type, is no orphan; a
// partner that is not a regular file is reported when its own folder is listed.
void orphans(const Postoffice& po, const char* dir, const char* ext, const char* other_dir,
             const char* other_ext, CheckId id, const char* what, Findings& out) {
    const auto& mine = po.list(dir);
    const auto& theirs = po.list(other_dir);
    for (const auto& [upper, name] : mine) {
        if (!has_ext(upper, ext)) continue;
        const auto path = os::join(po.path_for(dir), name);
        const auto type = platform::stat_nofollow(path).type;
        if (type != platform::EntryType::regular) {
            if (checks_detail::is_file_place(upper, ext))
                out.push_back(checks_detail::not_regular_finding(po, path, type, what));
            continue;
        }
        const std::string want = stem(upper) + other_ext;
        if (theirs.count(want)) continue;
        const std::string rel = po.relative(path);
        out.push_back(
            make_finding(id, rel, std::nullopt, std::nullopt, rel + " has no " + other_dir + "/" + want));
    }
}

bool is_dir(const Postoffice& po, const char* rel) {
    auto p = po.find(rel);
    return p && platform::stat_nofollow(*p).type == platform::EntryType::directory;
}

}  // namespace

Findings check_key_mbg_pairs(const Postoffice& po) {
    Findings out;
    if (!is_dir(po, "KEY") || !is_dir(po, "MBG")) return out;  // layout.* reports the folder
    orphans(po, "KEY", ".KEY", "MBG", ".MBG", CheckId::key_orphan, "key file", out);
    orphans(po, "MBG", ".MBG", "KEY", ".KEY", CheckId::mbg_orphan, "mailbag file", out);
    return out;
}

}  // namespace mspo
