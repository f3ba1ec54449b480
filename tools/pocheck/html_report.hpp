// pocheck --html: the pieces of the page that are unit-tested
// (tests/unit/test_html_report.cpp): the one escaping function, the data the
// page shows beyond the checklist (html_data.cpp) and the page itself
// (html_report.cpp), built in memory before it is written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/checks/mailbags.hpp"
#include "mspo/format/accounts.hpp"
#include "pocheck.hpp"

namespace mspo::pocheck {

/// `bytes` (a name or text from the postoffice, any bytes) as HTML text: first
/// made visible as terminal_safe does (control bytes, bidirectional overrides
/// and bytes that are not UTF-8 become the text "\x1b", "\u202e", "\xff"),
/// then & < > " ' as character references. The result is valid UTF-8, holds
/// no markup and is safe inside an element or a quoted attribute.
std::string html_text(std::string_view bytes);

/// What the page shows beside the checklist, read from the postoffice as it
/// is when the page is written (after the fixers, with --fix). A part that
/// cannot be read says why instead.
struct HtmlData {
    std::optional<MailbagSurvey> survey;
    std::string survey_error;
    std::optional<Accounts> accounts;
    std::string accounts_error;
};

/// Reads the mailbag survey and the accounts (html_data.cpp). Throws only
/// for interrupted; any other Error is kept as the part's error text.
HtmlData gather_html_data(const Options& options);

/// How much of a long list is drawn; the page says how many more there are.
struct HtmlLimits {
    std::size_t mailbags = 300;   // bars in the mailbag chart
    std::size_t accounts = 1000;  // rows of the accounts table
    std::size_t findings_per_check = 200;
    std::size_t findings = 3000;  // rows over all groups of one list
};

/// The page of a check (html_report.cpp).
std::string html_check_page(const Options& options, const Checklist& list, const HtmlData& data,
                            const HtmlLimits& limits = {});
/// The page of a --fix run: before and after side by side.
std::string html_fix_page(const Options& options, const FixRun& run, const HtmlData& data,
                          const HtmlLimits& limits = {});

}  // namespace mspo::pocheck
