// The check registry and run_checks(): every postoffice check in one pass.
#include "mspo/checks/check.hpp"

#include <algorithm>

#include "mspo/checks/access_checks.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"

namespace mspo {

Finding make_finding(std::string_view check, std::string file, std::optional<std::uint64_t> record,
                     std::optional<std::uint64_t> offset, std::string message) {
    Finding f;
    f.check = std::string(check);
    f.severity = Severity::error;
    f.file = std::move(file);
    f.record = record;
    f.offset = offset;
    f.message = std::move(message);
    return f;
}

const std::vector<CheckInfo>& all_checks() {
    static const std::vector<CheckInfo> checks = {
        {"layout.missing-dir", "the postoffice root, ATT and MAI",
         "one of the 51 standard folders is missing", "KB Q132744"},
        {"layout.not-dir", "the postoffice root, ATT and MAI",
         "a file (or link) stands where one of the 51 standard folders should be", "KB Q132744"},
        {"glb.missing", "GLB, NME, GRP",
         "a core file is missing: ACCESS, ACCESS2, ACCESS3, CONTROL, GLOBAL, GROUP, GRPMEM, MASTER, NETPO, "
         "NETWORK, "
         "PROCESS, REQCONF, TID (.GLB), ADMIN.NME, ADMINSHD.NME, ADMIN.GRP, ADMINSHD.GRP",
         "KB Q132744, Q118946"},
        {"size.rule", "the size of every GLB, NME, GRP, MEM, USR, XTN, KEY and MBG file",
         "a size that breaks the file type's rule (fixed size, or header + whole records)",
         "KB Q77926, Q132744, Q135932"},
        {"access.count-mismatch", "GLB/ACCESS.GLB, ACCESS2.GLB, ACCESS3.GLB",
         "the three account tables hold different numbers of records", "KB Q135932, Q87402"},
        {"access.bad-chars", "GLB/ACCESS2.GLB, ACCESS.GLB",
         "a mailbox or full name with characters its field may not hold", "KB Q135932, Q199676"},
        {"access.bad-mailbag", "GLB/ACCESS2.GLB", "a mailbag field that is not 8 hex digits", "KB Q107767"},
        {"filenum.duplicate", "GLB/ACCESS2.GLB, NETPO.GLB, NETWORK.GLB",
         "one file number used by two accounts, external postoffices, gateways or networks", "KB Q117738"},
        {"access.missing-mbg", "GLB/ACCESS2.GLB, MBG", "an active account without its mailbag",
         "KB Q104279, Q132744"},
        {"access.missing-key", "GLB/ACCESS2.GLB, KEY", "an active account without its KEY",
         "KB Q104279, Q132744"},
        {"shadow.nme-mismatch", "NME/ADMIN.NME, NME/ADMINSHD.NME",
         "the postoffice list and its shadow differ in size, date or bytes", "KB Q132744, Q119018"},
        {"shadow.grp-mismatch", "GRP/ADMIN.GRP, GRP/ADMINSHD.GRP",
         "the group chains and their shadow differ in size, date or bytes", "KB Q132744, Q135932"},
        {"key.orphan", "KEY, MBG", "a KEY file without its MBG", "KB Q132744"},
        {"mbg.orphan", "KEY, MBG", "an MBG file without its KEY", "KB Q132744"},
        {"mbg.mai-missing", "MBG, KEY, MAI",
         "a live mailbag header whose MAI file is missing (or whose MAI field is not a number)",
         "KB Q101833, Q124487, Q108027"},
        {"mai.refcount", "MBG, KEY, MAI (2 bytes at 0x0B of each)",
         "a MAI reference counter that differs from the number of live headers naming it", "KB Q104423"},
        {"mbg.over-limit", "MBG", "a mailbag at or over 4096 records", "KB Q119088, Q163020, Q138054"},
        {"control.counter-low", "GLB/CONTROL.GLB and every numbered file and record",
         "a CONTROL.GLB counter not above the highest mailbag or letter number in use", "KB Q117738, Q87388"},
    };
    return checks;
}

const CheckInfo* find_check(std::string_view id) {
    const auto& c = all_checks();
    auto it = std::find_if(c.begin(), c.end(), [&](const CheckInfo& i) { return i.id == id; });
    return it == c.end() ? nullptr : &*it;
}

namespace {
void append(Findings& out, Findings more) {
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}
}  // namespace

Findings run_checks(const Postoffice& po) {
    Findings found;
    append(found, check_layout(po));
    throw_if_interrupted();
    append(found, check_sizes(po));
    std::optional<Accounts> accounts;
    try {
        accounts = load_accounts(po);
    } catch (const Error& e) {
        if (e.code() != Errc::not_found) throw;  // a missing ACCESS file is glb.missing's
    }
    if (accounts) append(found, check_accounts(po, *accounts));
    append(found, check_external_filenums(po, accounts ? &*accounts : nullptr));
    throw_if_interrupted();
    append(found, check_shadows(po));
    append(found, check_key_mbg_pairs(po));
    MailScan scan = scan_mailbags(po);
    Findings refcounts = check_mai_refcounts(po, scan);
    append(found, check_control(po, accounts ? &*accounts : nullptr, scan));
    append(found, std::move(scan.findings));
    append(found, std::move(refcounts));
    // Stable order: by check id in all_checks() order, then as found.
    const auto rank = [](const Finding& f) {
        const auto& c = all_checks();
        for (std::size_t i = 0; i < c.size(); ++i)
            if (c[i].id == f.check) return i;
        return c.size();
    };
    std::stable_sort(found.begin(), found.end(),
                     [&](const Finding& a, const Finding& b) { return rank(a) < rank(b); });
    return found;
}

}  // namespace mspo
