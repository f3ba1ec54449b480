// size.rule: MAILINT's File Integrity Check (KB Q132744, Q135932): every file
// whose size rule file_rules.hpp gives, in its folder.
#include "mspo/checks/check.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"

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

void check_file(const Postoffice& po, const std::string& dir, const std::string& name, const SizeRule& rule,
                Findings& out) {
    const auto path = po.path_for(dir) / name;
    const auto info = platform::stat_nofollow(path);
    if (info.type != platform::EntryType::regular) return;  // not a file: nothing to measure
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
    out.push_back(make_finding("size.rule", po.relative(path), record, offset,
                               std::string(rule.kind) + " " + *v + " (" + std::string(rule.source) + ")"));
}

}  // namespace

Findings check_sizes(const Postoffice& po) {
    Findings out;
    for (const auto& [upper, name] : po.list("GLB"))
        if (const SizeRule* rule = glb_rule(upper)) check_file(po, "GLB", name, *rule, out);
    for (const auto& f : kFolders) {
        throw_if_interrupted();
        for (const auto& [upper, name] : po.list(f.dir))
            if (ends_with(upper, f.ext)) check_file(po, f.dir, name, *f.rule, out);
    }
    return out;
}

}  // namespace mspo
