// Typed errors of the format library. The library throws these and never
// prints or exits; the tool layer (cli/) turns them into a message and an
// exit code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace mspo {

enum class Errc {
    io,           // a read, write, fsync, rename or unlink failed
    not_found,    // a required file or folder is missing
    truncated,    // a file ended before a record or field did
    size_rule,    // a file's size breaks its documented size rule
    bad_value,    // a field holds a value we cannot accept
    in_use,       // the postoffice is locked by External or another fixer
    snapshot,     // a snapshot could not be written, read or verified
    unsafe_path,  // a path leads outside the postoffice, or through a link
    changed,      // a file changed since it was planned or snapshotted
    usage,        // a caller passed arguments that make no sense
    interrupted,  // a signal asked us to stop
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

private:
    Errc code_;
    std::string detail_;
    std::filesystem::path file_;
    std::optional<std::uint64_t> offset_;
};

/// Throws Error{Errc::io} for `file`, with strerror(errnum) appended to `what`.
[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& file, int errnum);

}  // namespace mspo
