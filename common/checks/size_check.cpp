// size.rule: MAILINT's File Integrity Check (KB Q132744, Q135932): every file
// whose size rule file_rules.hpp gives, in its folder. One that is not a
// regular file is layout.not-regular (core files excepted: glb.missing).
#include "file_kind.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

// GLB files by name. ACCESS*.GLB are left to check_access_sizes.
const SizeRule* glb_rule(const std::string& upper_name) {
    static const std::map<std::string, const SizeRule*> rules_by_name = {
        {"CONTROL.GLB", &rules::control},   {"MASTER.GLB", &rules::master},
        {"FLAG.GLB", &rules::flag},         {"TID.GLB", &rules::tid},
        {"RNETSEM.GLB", &rules::rnetsem},   {"MODEM.GLB", &rules::modem},
        {"GLOBAL.GLB", &rules::global},     {"REQCONF.GLB", &rules::reqconf},
        {"SRVCONF.GLB", &rules::srvconf},   {"SVRCONF.GLB", &rules::srvconf},
        {"GROUP.GLB", &rules::group},       {"GRPMEM.GLB", &rules::grpmem},
        {"NETPO.GLB", &rules::netpo},       {"NETWORK.GLB", &rules::network},
        {"SERVER.GLB", &rules::server},     {"PROCESS.GLB", &rules::process},
        {"GALINDEX.GLB", &rules::galindex},
    };
    auto it = rules_by_name.find(upper_name);
    return it == rules_by_name.end() ? nullptr : it->second;
}

struct FolderRule {
    const char* dir;
    const char* ext;  // ".NME"
    const SizeRule* rule;
};

constexpr FolderRule kFolders[] = {
    {"NME", ".NME", &rules::nme}, {"GRP", ".GRP", &rules::grp}, {"MEM", ".MEM", &rules::mem},
    {"USR", ".USR", &rules::usr}, {"XTN", ".XTN", &rules::xtn}, {"KEY", ".KEY", &rules::key},
    {"MBG", ".MBG", &rules::mbg},
};

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// `place`: the entry stands where a postoffice file belongs, so anything but
// a regular file there is layout.not-regular (never followed or measured).
void check_file(const Postoffice& po, const std::string& dir, const std::string& name, const SizeRule& rule,
                bool place, Findings& out) {
    const auto path = os::join(po.path_for(dir), name);
    const auto info = platform::stat_nofollow(path);
    if (info.type != platform::EntryType::regular) {
        if (place && info.type != platform::EntryType::missing)
            out.push_back(
                checks_detail::not_regular_finding(po, path, info.type, std::string(rule.kind) + " file"));
        return;
    }
    auto v = size_violation(rule, info.size);
    if (!v) return;
    std::optional<std::uint64_t> record, offset;
    if (rule.record != 0 && info.size >= rule.header) {
        record = whole_records(rule, info.size);
        offset = rule.header + *record * rule.record;
    } else if (rule.record == 0 && info.size > rule.header) {
        offset = rule.header;
    } else {
        offset = info.size;
    }
    out.push_back(make_finding(CheckId::size_rule, po.relative(path), record, offset,
                               std::string(rule.kind) + " " + *v + " (" + std::string(rule.source) + ")"));
}

}  // namespace

Findings check_sizes(const Postoffice& po) {
    Findings out;
    // A core GLB file that is not regular is glb.missing's (layout_check).
    for (const auto& [upper, name] : po.list("GLB"))
        if (const SizeRule* rule = glb_rule(upper))
            check_file(po, "GLB", name, *rule, !checks_detail::is_core_file("GLB/" + upper), out);
    for (const auto& f : kFolders) {
        throw_if_interrupted();
        for (const auto& [upper, name] : po.list(f.dir)) {
            if (!ends_with(upper, f.ext)) continue;
            const bool place = checks_detail::is_file_place(upper, f.ext) &&
                               !checks_detail::is_core_file(std::string(f.dir) + "/" + upper);
            check_file(po, f.dir, name, *f.rule, place, out);
        }
    }
    return out;
}

}  // namespace mspo
