// MBG/OVERFLOW.TXT: mbgsplit's ledger of overflow mailbags. This file is
// ours, not MS Mail's: MS Mail reads only *.MBG and *.KEY in MBG and KEY, so
// a text file beside them is carried by every copy of the postoffice and
// ignored by Microsoft's tools.
//
// Format (plain ASCII, one entry a line, '#' starts a comment line):
//   OWNER OVERFLOW
// both mailbag numbers of 8 hex digits. An owner's overflow mailbags are
// listed oldest first: together, in ledger order and followed by the
// owner's own mailbag, they hold the owner's headers in their original order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mspo {

inline constexpr std::string_view kLedgerRelpath = "MBG/OVERFLOW.TXT";

struct OverflowEntry {
    std::uint32_t owner = 0;
    std::uint32_t overflow = 0;
    friend bool operator==(const OverflowEntry&, const OverflowEntry&) = default;
};

struct OverflowLedger {
    std::vector<OverflowEntry> entries;  // file order

    /// The overflow mailbags of `owner`, oldest first.
    std::vector<std::uint32_t> overflows_of(std::uint32_t owner) const;
    /// The owner of overflow mailbag `number`, if the ledger lists it.
    const OverflowEntry* find_overflow(std::uint32_t number) const;
    /// Owners with at least one overflow, in order of first appearance.
    std::vector<std::uint32_t> owners() const;
    bool empty() const noexcept { return entries.empty(); }
};

/// Parses a ledger. Throws Error{bad_value} naming `file` and the line for a
/// line that is not two mailbag numbers, an overflow listed twice, an owner
/// that is its own overflow, or an overflow that is also an owner.
OverflowLedger parse_ledger(std::string_view text, const std::filesystem::path& file);
/// The ledger's text: a comment header, then one line per entry. Parses back
/// to the same entries.
std::string render_ledger(const OverflowLedger& ledger);

}  // namespace mspo
