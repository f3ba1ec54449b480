#include "mspo/format/overflow_ledger.hpp"

#include <algorithm>
#include <set>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"

namespace mspo {

std::vector<std::uint32_t> OverflowLedger::overflows_of(std::uint32_t owner) const {
    std::vector<std::uint32_t> out;
    for (const auto& e : entries)
        if (e.owner == owner) out.push_back(e.overflow);
    return out;
}

const OverflowEntry* OverflowLedger::find_overflow(std::uint32_t number) const {
    for (const auto& e : entries)
        if (e.overflow == number) return &e;
    return nullptr;
}

std::vector<std::uint32_t> OverflowLedger::owners() const {
    std::vector<std::uint32_t> out;
    for (const auto& e : entries)
        if (std::find(out.begin(), out.end(), e.owner) == out.end()) out.push_back(e.owner);
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

OverflowLedger parse_ledger(std::string_view text, const std::filesystem::path& file) {
    OverflowLedger ledger;
    std::set<std::uint32_t> overflows;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        const auto fail = [&](const std::string& why) {
            throw Error(Errc::bad_value, "overflow ledger line " + std::to_string(line_no) + ": " + why,
                        file);
        };
        if (line.empty() || line.front() == '#') continue;
        const std::size_t gap = line.find_first_of(" \t");
        if (gap == std::string_view::npos) fail("not two mailbag numbers");
        const std::string_view a = line.substr(0, gap);
        const std::string_view b = trim(line.substr(gap));
        OverflowEntry e;
        if (!parse_hex8(a, e.owner) || !parse_hex8(b, e.overflow))
            fail("not two mailbag numbers of 8 hex digits");
        if (e.owner == e.overflow) fail("mailbag " + format_hex8(e.owner) + " is its own overflow");
        if (!overflows.insert(e.overflow).second)
            fail("overflow mailbag " + format_hex8(e.overflow) + " is listed twice");
        ledger.entries.push_back(e);
    }
    for (const auto& e : ledger.entries)
        if (overflows.count(e.owner))
            throw Error(Errc::bad_value,
                        "mailbag " + format_hex8(e.owner) + " is listed both as an owner and as an overflow",
                        file);
    return ledger;
}

std::string render_ledger(const OverflowLedger& ledger) {
    std::string out =
        "# mbgsplit overflow ledger: OWNER OVERFLOW, mailbag numbers.\n"
        "# The overflow mailbags of an owner hold its oldest headers, listed oldest\n"
        "# first. \"mbgsplit --merge\" brings them back. Do not edit or delete this file,\n"
        "# and do not delete or rename the mailbags it lists (see docs/FORMATS.md).\n";
    for (const auto& e : ledger.entries) out += format_hex8(e.owner) + " " + format_hex8(e.overflow) + "\n";
    return out;
}

}  // namespace mspo
