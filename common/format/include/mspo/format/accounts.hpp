// The local accounts of a postoffice, merged from the three parallel ACCESS
// tables (GLB/ACCESS.GLB, ACCESS2.GLB, ACCESS3.GLB; record n is the same
// account in each). Used by listuser and pocheck; the account checks are in
// checks/access_checks.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mspo/format/file_rules.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

/// More records than this in an ACCESS file is refused as absurd (the
/// product's limit was 500 local users; deleted users keep their slots).
inline constexpr std::uint64_t kMaxAccounts = 1'000'000;

/// One ACCESS file as found on disk.
struct AccessFileState {
    std::string relpath;  // as on disk, relative to the root: "GLB/ACCESS2.GLB"
    const SizeRule* rule = nullptr;
    std::uint64_t size = 0;     // bytes
    std::uint64_t records = 0;  // whole records
};

/// One account: ACCESS2.GLB record `index`, with its ACCESS.GLB full name.
struct Account {
    std::uint64_t index = 0;   // record number, 0-based, file order
    std::string mailbox;       // raw CP850, up to the NUL (11 bytes if the field has none)
    std::string mailbox_utf8;  // decoded for display (control bytes shown as U+FFFD)
    std::string full_name;     // raw CP850; empty if ACCESS.GLB has no record `index`
    std::string full_name_utf8;
    std::string mailbag_text;              // the mailbag field as stored, raw, up to the NUL
    std::optional<std::uint32_t> mailbag;  // nullopt unless the field is 8 hex digits
    std::uint32_t tid = 0;
    std::uint8_t status = 0;                      // raw status byte: 0 active, 1 deleted, others unknown
    bool deleted = false;                         // status == 1
    std::uint64_t access2_offset = 0;             // offset of the record in ACCESS2.GLB
    std::optional<std::uint64_t> access_offset;   // in ACCESS.GLB, if it holds record `index`
    std::optional<std::uint64_t> access3_offset;  // in ACCESS3.GLB, likewise
};

struct Accounts {
    AccessFileState access, access2, access3;
    std::vector<Account> accounts;  // one per whole ACCESS2.GLB record, in file order
};

/// Reads the three ACCESS files (names matched case-insensitively) and merges
/// them. Damage is not an error here: a partial last record is left out, and
/// files with different record counts are merged as far as ACCESS2.GLB goes
/// (the checks report both). Reads in chunks: memory is linear in the number
/// of accounts, never in the size of ACCESS.GLB or ACCESS3.GLB.
/// Throws Error: not_found if a file is missing, unsafe_path if one is a
/// link or not a regular file, size_rule if one holds more than kMaxAccounts
/// records, io on a read error, interrupted if interrupted() is raised.
Accounts load_accounts(const Postoffice& po);

/// The size of the account's MMF/<hexid>.MMF (its message file, KB Q117738),
/// or nullopt if it has no valid mailbag number, no MMF, or the MMF is not a
/// regular file (a link is not followed).
std::optional<std::uint64_t> mmf_file_size(const Postoffice& po, const Account& account);

}  // namespace mspo
