// The quarantine text: what palfix removes from an address list, written so
// that an administrator can put it back with Microsoft's own tools (KB
// Q99419, "Group Transaction File": the code in column 1, the alias from
// column 3, TYPE:address from column 34). External entries become IMPORT
// `A` lines, groups GIMPORT `G` lines with an `A` line per member read
// before the damage, and everything else `#` comment lines (file, record,
// reason, the record as hex). Every entry also gets a `#` line with its
// source and bytes, so nothing is lost even where an import line is made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// One entry removed from an address list (or bytes dropped from one).
struct QuarantineEntry {
    enum class Kind {
        external,  // an `A` line: alias, address "PCM:NET/PO/MAILBOX"
        group,     // a `G` line and one `A` line per member
        comment,   // `#` lines only
    };
    struct Member {
        std::string alias;    // raw CP850
        std::string address;  // raw CP850, "PCM:NET/PO/MAILBOX"
    };
    Kind kind = Kind::comment;
    std::string file;                     // relative to the postoffice, "NME/ADMIN.NME"
    std::optional<std::uint64_t> record;  // record index in `file` (nullopt: a partial record, a chain)
    std::optional<std::uint64_t> offset;  // byte offset in `file`
    std::string reason;                   // one line, plain text (UTF-8)
    std::string alias;                    // raw CP850 (external, group; comment where known)
    std::string address;                  // raw CP850 (external)
    std::vector<Member> members;          // group
    Bytes raw;                            // the record (or the bytes) as they were
};

/// The address of a local member in the quarantine text: palfix does not
/// know this postoffice's network and postoffice names, so the text says
/// where to put them (its header tells the administrator).
inline constexpr std::string_view kLocalAddressPrefix = "PCM:NETWORK/POSTOFFICE/";

/// True if `cp850` can stand on an import line: 1 to 30 bytes, none a
/// control byte (0x00..0x1F, 0x7F), not starting or ending with a blank.
bool importable_name(std::string_view cp850) noexcept;

/// `cp850` for a `#` line: control bytes and backslash as \xNN, every other
/// byte as it is (CP850, as the MS tools expect).
std::string comment_safe(std::string_view cp850);

/// The whole text, CP850 with CR LF line ends: a header (`postoffice` and
/// `time_utc` shown with comment_safe), then the `A` lines of the external
/// entries (for IMPORT, before any `G` line), then each group with its
/// members (for GIMPORT), then the comment-only entries. An entry whose
/// alias or address is not importable_name()-clean is written as comments.
/// `postoffice` is a path as bytes (shown with comment_safe).
Bytes quarantine_text(const std::vector<QuarantineEntry>& entries, std::string_view postoffice,
                      std::string_view time_utc);

}  // namespace mspo
