// What identifies a postoffice, for porestore's "snapshot of another
// postoffice" refusal (docs/RELIABILITY.md, "Which postoffice").
//
// A snapshot records the postoffice's canonical path and this identity: the
// CRC-32 of GLB/MASTER.GLB, the file that makes a folder a postoffice and
// holds its serial number and names (KB Q77926, Q209486), with its one
// documented setting (Enhanced Security, 0x94) read as 0 so that switching it
// does not change the identity. A moved or copied postoffice keeps it; two
// postoffices set up separately differ in it. A restore goes ahead when the
// path or the identity matches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace mspo {

/// The identity of the postoffice at `root`, or nullopt if it has no
/// GLB/MASTER.GLB of the documented 176 bytes (missing, damaged, a link, not
/// a regular file, unreadable): a damaged file identifies nothing. Names are
/// matched case-insensitively; no link is followed below `root`. Never throws
/// for a problem with that file.
std::optional<std::uint32_t> postoffice_identity(const std::filesystem::path& root);

}  // namespace mspo
