// pocheck --html: the data the page shows beyond the checklist, the mailbag
// survey (mbgsplit's) and the accounts (listuser's), read when the page is
// written. Damage is the checklist's business: a part that cannot be read
// is shown as such, and the page is still written.
#include <algorithm>
#include <exception>

#include "html_report.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/output_file.hpp"

namespace mspo::pocheck {

namespace {

std::string error_text(const std::exception& e) {
    if (const auto* error = dynamic_cast<const Error*>(&e)) {
        if (error->code() == Errc::interrupted) throw;
    }
    return e.what();
}

}  // namespace

HtmlData gather_html_data(const Options& options) {
    HtmlData data;
    const Postoffice po(options.common.postoffice);
    try {
        data.survey = survey_mailbags(po, MailbagLimits{});
    } catch (const std::exception& e) { data.survey_error = error_text(e); }
    try {
        data.accounts = load_accounts(po);
    } catch (const std::exception& e) { data.accounts_error = error_text(e); }
    return data;
}

void write_html_check(const Options& options, const Checklist& list) {
    if (!options.html) return;
    const std::string page = html_check_page(options, list, gather_html_data(options));
    replace_output_file(options.common.postoffice, *options.html,
                        ByteSpan(reinterpret_cast<const std::uint8_t*>(page.data()), page.size()));
}

void write_html_fix(const Options& options, const FixRun& run) {
    if (!options.html) return;
    try {
        const std::string page = html_fix_page(options, run, gather_html_data(options));
        replace_output_file(options.common.postoffice, *options.html,
                            ByteSpan(reinterpret_cast<const std::uint8_t*>(page.data()), page.size()));
    } catch (const Error& e) {
        // The fixers' changes are made: a page that cannot be written is an
        // error after changes (exit 9), naming the newest snapshot.
        std::size_t changes = 0;
        std::string snapshot;
        for (const auto& f : run.fixes)
            if (f.report && f.report->snapshot) {
                changes += std::max<std::size_t>(1, count_findings(f.report->findings).fixed);
                snapshot = *f.report->snapshot;
            }
        if (changes == 0 || e.changes_made() > 0) throw;
        throw Error::after_changes(e, changes, snapshot);
    }
}

}  // namespace mspo::pocheck
