// How full each mailbag is: slots used, live headers, deleted slots, KEY bits
// past the last record, and the overflow mailbags mbgsplit made (KB Q119088,
// Q163020, Q138054). mbgsplit --check prints it; mbgsplit plans from it;
// pocheck reports its findings. Reads MBG sizes, the KEYs, ACCESS2.GLB (for
// owners' names) and MBG/OVERFLOW.TXT; never a mailbag's records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/overflow_ledger.hpp"

namespace mspo {

struct MailbagLimits {
    /// The most live headers a mailbag keeps after mbgsplit (--max); more
    /// slots than this and mbgsplit compacts it, more live headers and it
    /// moves the oldest into overflow mailbags. The default leaves 96 slots
    /// for new mail.
    std::uint64_t max = 4000;
    /// Flag mailbags using at least this percent of the 4096 slots (--warn).
    unsigned warn_percent = 90;
};

struct MailbagInfo {
    std::string stem;                          // upper case: "0000002A", "INQUEUE3"
    std::string mbg_relpath, key_relpath;      // as on disk (key: "KEY/<stem>.KEY" if missing)
    std::optional<std::uint32_t> number;       // the stem as a mailbag number, if it is 8 hex digits
    std::string owner;                         // "ALICE", "INQUEUE3", "overflow of 0000002A"; "" if unknown
    std::optional<std::uint32_t> overflow_of;  // set for an overflow mailbag of the ledger
    std::uint64_t records = 0;                 // slots used: whole 116-byte records
    std::uint64_t deleted = 0;                 // slots marked deleted in the KEY (our model)
    std::uint64_t bits_beyond = 0;             // deleted bits at or past `records`
    std::uint64_t trailing = 0;                // bytes of a partial last record
    bool key_usable = false;                   // the KEY is a regular file of 560 bytes
    std::string problem;                       // why mbgsplit may not change it; "" if it may
    std::uint64_t live() const noexcept { return records - deleted; }
    /// Percent of the 4096 slots used, rounded down.
    std::uint64_t percent() const noexcept;
};

struct MailbagSurvey {
    std::vector<MailbagInfo> mailbags;  // by upper-case name
    OverflowLedger ledger;              // empty if MBG/OVERFLOW.TXT is absent
    bool ledger_present = false;
    /// mbg.near-limit, mbg.over-limit, key.bits-beyond, size.rule (MBG/KEY),
    /// layout.not-regular, mbg.overflow, mbg.overflow-missing.
    Findings findings;
};

/// Surveys every MBG/*.MBG (INQUEUE3, INQUEUE, SYSTEM and overflows
/// included). Throws Error{bad_value} (file and line) if the ledger is
/// damaged, and Error as the readers do.
MailbagSurvey survey_mailbags(const Postoffice& po, const MailbagLimits& limits);

/// The survey entry of mailbag `stem` (upper case), or nullptr.
const MailbagInfo* find_mailbag(const MailbagSurvey& survey, std::string_view stem);

}  // namespace mspo
