// Checks of the local account tables (ACCESS.GLB, ACCESS2.GLB, ACCESS3.GLB).
// Each returns findings (rows of the check table, severity error) in file
// order and never throws on damaged data.
#pragma once

#include "mspo/format/accounts.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

/// size.rule: each ACCESS file whose size is not a whole number of records
/// (KB Q135932). Record and offset point at the partial record.
Findings check_access_sizes(const Accounts& accounts);

/// access.count-mismatch: the three files hold different numbers of whole
/// records. One finding per file that differs from the other two (or from
/// ACCESS2.GLB when all three differ), at its first missing or extra record.
Findings check_access_counts(const Accounts& accounts);

/// access.bad-chars: a mailbox name (ACCESS2.GLB) or full name (ACCESS.GLB)
/// with a byte its field may not hold (codepage.hpp), with no terminating
/// NUL, or (active accounts only) an empty mailbox name. The offset is that
/// of the first bad byte in its file.
Findings check_access_chars(const Accounts& accounts);

/// access.bad-mailbag: a mailbag field that is not 8 hex digits.
Findings check_access_mailbags(const Accounts& accounts);

/// filenum.duplicate: two accounts, active or deleted, with one mailbag
/// number (KB Q117738). One finding per account after the first user of
/// the number, naming that first user.
Findings check_filenum_duplicates(const Accounts& accounts);

/// access.missing-mbg / access.missing-key: an active account with a valid
/// mailbag number but no MBG/<hex>.MBG or KEY/<hex>.KEY (names matched
/// case-insensitively). layout.not-regular: one that is there but is a
/// folder, FIFO, device or symbolic link (dangling or not); it is never
/// followed or opened. Lists each folder once and lstats each file found.
Findings check_account_files(const Postoffice& po, const Accounts& accounts);

/// All of the above, in the order above.
Findings check_accounts(const Postoffice& po, const Accounts& accounts);

}  // namespace mspo
