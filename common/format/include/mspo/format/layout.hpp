// The postoffice tree: its 51 standard folders, case-insensitive lookup of
// files (names are compared case-insensitively and written in upper case,
// KB Q129456), 8-hex file numbers and the MAI/ATT last-digit subfolders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

namespace mspo {

namespace fs = std::filesystem;

/// The 19 top-level folders of a postoffice (KB Q132744, Q77926).
const std::vector<std::string>& top_level_dirs();

/// All 51 standard folders as relative paths: the 19 top-level ones, then
/// "ATT/AT0".."ATT/ATF" and "MAI/MA0".."MAI/MAF".
const std::vector<std::string>& standard_dirs();

std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b) noexcept;

/// "MAI/MA7/1234ABC7.MAI" for file number 0x1234ABC7 (last hex digit picks the folder).
std::string mai_relpath(std::uint32_t number);
std::string att_relpath(std::uint32_t number);

/// Splits "0000002A.MBG" into its number; nullopt unless the stem is 8 hex digits
/// and the extension matches `ext` (case-insensitively, without the dot).
std::optional<std::uint32_t> file_number(std::string_view filename, std::string_view ext);

/// A postoffice on disk. Holds only a root path and a cache of directory
/// listings; it opens no file itself. Not thread-safe.
class Postoffice {
public:
    /// Throws Error{not_found} if `root` does not exist, Error{unsafe_path}
    /// if it is not a directory.
    explicit Postoffice(fs::path root);

    const fs::path& root() const noexcept { return root_; }

    /// The actual path of `relpath` ("GLB/ACCESS.GLB", "MAI/MA3"), each
    /// component matched case-insensitively; nullopt if some component is
    /// missing. An exact-case match wins over other matches.
    std::optional<fs::path> find(std::string_view relpath) const;

    /// The path to use for `relpath`: the existing file if find() finds one,
    /// else root/ followed by the components in upper case.
    fs::path path_for(std::string_view relpath) const;

    /// Names (as on disk) of the entries of a folder, keyed by upper-case
    /// name; empty if the folder is missing. Cached after the first call.
    const std::map<std::string, std::string>& list(std::string_view reldir) const;

    /// True if list(reldir) saw `name` (as on disk) as a regular file, not a
    /// link, folder or other kind: the listing's own answer, no system call
    /// on Linux. False for a name it did not see.
    bool listed_regular(std::string_view reldir, const std::string& name) const;

    /// The names (as on disk) list(reldir) saw as something other than a
    /// regular file (links, folders, FIFOs): few, often none. A caller that
    /// walks list() itself asks this once instead of listed_regular() per name.
    const std::set<std::string>& not_regular(std::string_view reldir) const;

    /// Drops cached listings and MAI counters (call after changing files).
    void refresh() const;

    /// MAI reference counters already read through mai_refcount() (mai.hpp),
    /// by MAI number: each is read once however many checks ask. 8 bytes or
    /// so per MAI read.
    std::unordered_map<std::uint32_t, std::uint16_t>& mai_refcount_memo() const noexcept {
        return mai_refcounts_;
    }

    /// `path` relative to the root with '/' separators, for reports.
    std::string relative(const fs::path& path) const;

private:
    fs::path root_;
    mutable std::map<std::string, std::map<std::string, std::string>> cache_;
    // Per listed folder, the names (as on disk) that are not regular files: few.
    mutable std::map<std::string, std::set<std::string>> not_regular_;
    mutable std::unordered_map<std::uint32_t, std::uint16_t> mai_refcounts_;
};

/// True if `root` is a postoffice: a folder holding GLB/ with MASTER.GLB or
/// CONTROL.GLB (names matched case-insensitively; MAILINT says "PO Not
/// Found" without MASTER.GLB, KB Q132744). Reads folder listings only.
bool is_postoffice(const Postoffice& po);

/// Throws Error{not_found} if `root` is missing, Error{unsafe_path} if it is
/// not a folder, and Error{not_postoffice} ("not a postoffice (no
/// GLB/MASTER.GLB)", naming `root` as given) if is_postoffice() is false.
/// Every tool calls this before it reads or writes anything.
void require_postoffice(const fs::path& root);

}  // namespace mspo
