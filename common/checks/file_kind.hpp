// Library-only helpers of the checks that read postoffice files: what counts
// as a file's place, and the layout.not-regular finding for a folder, FIFO,
// device or link found there. Nothing here opens or follows the entry.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "mspo/base/finding.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/layout.hpp"

namespace mspo::checks_detail {

/// True if `upper` (an upper-case name) ends in `ext` (".MBG") after a stem
/// that MS Mail gives files: 8 hex digits, or INQUEUE3, INQUEUE, SYSTEM,
/// ADMIN, ADMINSHD. Such an entry is a file's place, whatever stands there.
bool is_file_place(std::string_view upper, std::string_view ext);

/// The core files MAILINT requires (layout_check's glb.missing reports them,
/// missing or not regular): "GLB/ACCESS.GLB", ..., "GRP/ADMINSHD.GRP".
std::span<const std::string_view> core_files() noexcept;
bool is_core_file(std::string_view relpath);

/// "a folder", "a symbolic link" or "a FIFO, socket or device".
std::string_view entry_kind_text(platform::EntryType type) noexcept;

/// layout.not-regular for `path` (of type `type`, neither regular nor
/// missing); `what` names the file's role ("mailbag file", "KEY file", ...)
/// and `whose`, if not empty, its owner ("record 5 (\"ERIN\")"). The
/// message says it is not followed or read.
Finding not_regular_finding(const Postoffice& po, const fs::path& path, platform::EntryType type,
                            std::string_view what, std::string_view whose = {});

}  // namespace mspo::checks_detail
