// The check registry and run_checks(): every postoffice check in one pass.
#include "mspo/checks/check.hpp"

#include <algorithm>
#include <map>

#include "mspo/checks/access_checks.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"

namespace mspo {

const std::vector<CheckInfo>& all_checks() {
    static const std::vector<CheckInfo> checks = [] {
        std::vector<CheckInfo> out;
        for (const auto& row : check_table())
            if (row.reporter == Reporter::run_checks) out.push_back(row);
        return out;
    }();
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
    // Stable order: by check in table (= run) order, then as found.
    std::stable_sort(found.begin(), found.end(),
                     [](const Finding& a, const Finding& b) { return a.code < b.code; });
    // Several checks meet a file that is not regular; report it once, with the
    // most detailed message (the account check's names the account).
    std::map<std::string, std::size_t> best;  // file -> index of the finding kept
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (found[i].code != CheckId::layout_not_regular) continue;
        auto [it, fresh] = best.emplace(found[i].file, i);
        if (!fresh && found[i].message.size() > found[it->second].message.size()) it->second = i;
    }
    Findings once;
    once.reserve(found.size());
    for (std::size_t i = 0; i < found.size(); ++i)
        if (found[i].code != CheckId::layout_not_regular || best.at(found[i].file) == i)
            once.push_back(std::move(found[i]));
    found = std::move(once);
    return found;
}

}  // namespace mspo
