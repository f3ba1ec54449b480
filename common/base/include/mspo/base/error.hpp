// Typed errors of the format library. The library throws these and never
// prints or exits; the tool layer (cli/) turns them into a message and an
// exit code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace mspo {

enum class Errc {
    io,              // a read, write, fsync, rename or unlink failed
    not_found,       // a required file or folder is missing
    truncated,       // a file ended before a record or field did
    size_rule,       // a file's size breaks its documented size rule
    bad_value,       // a field holds a value we cannot accept
    in_use,          // the postoffice is locked by External or another fixer
    snapshot,        // a snapshot could not be written, read or verified
    unsafe_path,     // a path leads outside the postoffice, or through a link
    changed,         // a file changed since it was planned or snapshotted
    usage,           // a caller passed arguments that make no sense
    interrupted,     // a signal asked us to stop
    not_postoffice,  // the folder given is not a postoffice (no GLB/MASTER.GLB or CONTROL.GLB)
    model_mismatch,  // a file a fixer would change contradicts our model of it (ModelFit): nothing changed
};

/// Short stable name of an error code ("io", "size_rule", ...).
const char* errc_name(Errc code) noexcept;

class Error : public std::runtime_error {
public:
    Error(Errc code, std::string what, std::filesystem::path file = {},
          std::optional<std::uint64_t> offset = std::nullopt);

    Errc code() const noexcept { return code_; }
    /// The bare description, without file or offset.
    const std::string& detail() const noexcept { return detail_; }
    const std::filesystem::path& file() const noexcept { return file_; }
    std::optional<std::uint64_t> offset() const noexcept { return offset_; }

    /// Changes already made to the postoffice when this error stopped the
    /// work (0 = nothing was changed), and the snapshot that undoes them.
    /// The tool exits 9 (1 + 8) rather than 8 when this is above 0.
    std::size_t changes_made() const noexcept { return changes_made_; }
    const std::filesystem::path& undo_snapshot() const noexcept { return undo_snapshot_; }
    /// A copy of `e` recording that `changes` were made; its message gains
    /// "(N changes were made; the snapshot S restores the original)".
    static Error after_changes(const Error& e, std::size_t changes, const std::filesystem::path& snapshot);

private:
    Errc code_;
    std::string detail_;
    std::filesystem::path file_;
    std::optional<std::uint64_t> offset_;
    std::size_t changes_made_ = 0;
    std::filesystem::path undo_snapshot_;
};

/// Throws Error{Errc::io} for `file`, with strerror(errnum) appended to `what`;
/// Error{Errc::interrupted} instead when errnum is EINTR and interrupted() is
/// raised (a signal broke off a blocking call).
[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& file, int errnum);

}  // namespace mspo
