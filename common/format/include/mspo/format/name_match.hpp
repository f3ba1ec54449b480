// LISTUSER's name rule: how a mailbox name, ID number or full name matches a
// pattern typed by the administrator, on names as stored (CP850), ignoring
// case. Shared by listuser and any tool that selects accounts by name.
#pragma once

#include <string>
#include <string_view>

namespace mspo {

/// `cp850` decoded and case-folded for comparison and sorting: CP850's
/// letters (ASCII and the Latin-1 range) fold to lower case; any other
/// character is kept.
std::u32string fold_cp850(std::string_view cp850);

/// A name pattern (in CP850): without '*' or '?' it matches every name that
/// starts with it; with them it must match the whole name, '*' standing for
/// any run of characters (also none) and '?' for exactly one. Case is
/// ignored (fold_cp850). The empty pattern matches every name.
class NamePattern {
public:
    explicit NamePattern(std::string_view cp850);
    bool matches(std::string_view cp850_name) const;

private:
    std::u32string pattern_;  // folded
    bool wild_;
};

}  // namespace mspo
