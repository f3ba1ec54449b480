// Lookups over the check table (check_table.inc holds the rows).
#include "mspo/base/check_table.hpp"

#include <algorithm>

namespace mspo {

const CheckRow* find_check_row(std::string_view id) noexcept {
    const auto rows = check_table();
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const CheckRow& r) { return r.id == id; });
    return it == rows.end() ? nullptr : &*it;
}

const char* reporter_name(Reporter r) noexcept {
    switch (r) {
        case Reporter::run_checks:
            return "run_checks";
        case Reporter::p1clean:
            return "p1clean";
        case Reporter::address_lists:
            return "address_lists";
        case Reporter::mailbags:
            return "mailbags";
        case Reporter::pocheck:
            return "pocheck";
        case Reporter::porestore:
            return "porestore";
        case Reporter::fixers:
            return "every fixer";
    }
    return "?";
}

const char* repairer_name(Repairer r) noexcept {
    switch (r) {
        case Repairer::none:
            return "none";
        case Repairer::p1clean:
            return "p1clean";
        case Repairer::palfix:
            return "palfix";
        case Repairer::mbgsplit:
            return "mbgsplit";
        case Repairer::pocheck_fix:
            return "pocheck --fix";
        case Repairer::porestore:
            return "porestore";
    }
    return "?";
}

}  // namespace mspo
