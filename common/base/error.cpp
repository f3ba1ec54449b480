#include "mspo/base/error.hpp"

#include <cerrno>
#include <cstring>

#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

const char* errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::io:
            return "io";
        case Errc::not_found:
            return "not_found";
        case Errc::truncated:
            return "truncated";
        case Errc::size_rule:
            return "size_rule";
        case Errc::bad_value:
            return "bad_value";
        case Errc::in_use:
            return "in_use";
        case Errc::snapshot:
            return "snapshot";
        case Errc::unsafe_path:
            return "unsafe_path";
        case Errc::changed:
            return "changed";
        case Errc::usage:
            return "usage";
        case Errc::interrupted:
            return "interrupted";
        case Errc::not_postoffice:
            return "not_postoffice";
        case Errc::model_mismatch:
            return "model_mismatch";
    }
    return "unknown";
}

namespace {
std::string compose(const std::string& what, const std::filesystem::path& file,
                    std::optional<std::uint64_t> offset) {
    std::string s = what;
    if (!file.empty()) s += ": " + os::path_text(file);
    if (offset) s += ": offset " + std::to_string(*offset);
    return s;
}
}  // namespace

Error::Error(Errc code, std::string what, std::filesystem::path file, std::optional<std::uint64_t> offset)
    : std::runtime_error(compose(what, file, offset)),
      code_(code),
      detail_(std::move(what)),
      file_(std::move(file)),
      offset_(offset) {}

Error Error::after_changes(const Error& e, std::size_t changes, const std::filesystem::path& snapshot) {
    std::string what = e.detail();
    if (changes > 0)
        what += " (" + std::to_string(changes) + (changes == 1 ? " change was" : " changes were") +
                " made; the snapshot " + os::path_text(snapshot) + " restores the original)";
    Error out(e.code(), std::move(what), e.file(), e.offset());
    out.changes_made_ = changes;
    out.undo_snapshot_ = snapshot;
    return out;
}

void throw_errno(const std::string& what, const std::filesystem::path& file, int errnum) {
    // A call that a SIGINT/SIGTERM broke off (the handler does not restart
    // calls) is an interruption, not an I/O error.
    if (errnum == EINTR && interrupted())
        throw Error(Errc::interrupted, "interrupted by a signal (" + what + ")", file);
    throw Error(Errc::io, what + " (" + std::strerror(errnum) + ")", file);
}

}  // namespace mspo
