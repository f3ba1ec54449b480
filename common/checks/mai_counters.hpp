// Library-only: the reference counters of many MAI files, each asked once,
// as the KEY model test and mbgsplit's dropped-slot guard ask for them
// (one per message a mailbag header names: a million for a mailbag of a
// million headers). Each MAI folder is listed once and kept compactly (4
// bytes a message file named as MS Mail names it, a few for every other
// entry), and such a file is read from the folder's handle: open, read,
// close, with no stat and no path built.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/platform.hpp"
#include "mspo/format/layout.hpp"

namespace mspo::checks_detail {

class MaiCounters {
public:
    explicit MaiCounters(const Postoffice& po) : po_(po) {}

    /// The counter of MAI `n`: 0 if it is missing (the last owner's delete
    /// erased it), nullopt if it cannot be judged (not a regular file, too
    /// short to hold the counter, unreadable). A counter the Postoffice's
    /// memo holds (pocheck's step 1 read it) is taken from there. Names are
    /// matched case-insensitively, as Postoffice::find does, an exact
    /// upper-case name first. Throws Error{interrupted} only.
    std::optional<std::uint16_t> operator()(std::uint32_t n);

private:
    struct Folder {
        bool ready = false;
        std::filesystem::path path;
        platform::Handle handle;                    // invalid if it could not be opened or listed
        std::vector<std::uint32_t> mais;            // sorted: regular files named "0000ABC7.MAI" exactly
        std::map<std::string, std::string> others;  // every other entry: upper case -> as on disk
    };

    Folder& folder(unsigned digit);
    std::optional<std::uint16_t> by_path(const std::filesystem::path& path) const;

    const Postoffice& po_;
    std::array<Folder, 16> folders_;
};

}  // namespace mspo::checks_detail
