// A file a tool writes beside the postoffice, not in it (palfix's quarantine
// text): written whole and atomically before the first change to the
// postoffice, so that a run that cannot write it changes nothing, and taken
// back if the run then changes nothing after all.
#pragma once

#include <filesystem>
#include <vector>

#include "mspo/base/bytes.hpp"

namespace mspo {

namespace fs = std::filesystem;

/// What write_new_file made, so that remove_new_file can take it back.
struct NewFile {
    fs::path path;
    std::vector<fs::path> made_folders;  // deepest first
};

/// True if `path` (made absolute, links resolved as far as they exist) is
/// `root` or below it. Every output a tool opens (--log, --quarantine) must
/// be outside the postoffice: only apply_plan changes a postoffice.
bool path_inside(const fs::path& root, const fs::path& path);

/// The refusals of write_new_file that need no writing, so that a dry run
/// predicts them: throws Error{usage}, Error{unsafe_path} or Error{changed}
/// with the same message write_new_file would. Writes nothing.
void check_new_file(const fs::path& postoffice_root, const fs::path& path);

/// Writes `contents` to the new file `path`: missing folders made first
/// (0755), then a temporary in the same folder, fsync, rename, fsync the
/// folder. Throws, having written nothing: Error{changed} if something named
/// `path` exists (a link included: palfix never overwrites), Error{unsafe_path}
/// if `path` is inside `postoffice_root` (only apply_plan changes a
/// postoffice), Error{io} on a failed write.
NewFile write_new_file(const fs::path& postoffice_root, const fs::path& path, ByteSpan contents);

/// Removes the file and the (then empty) folders write_new_file made. Never throws.
void remove_new_file(const NewFile& file) noexcept;

/// The refusals of replace_output_file that need no writing (a tool checks
/// them before it changes anything): throws Error{usage} for a path with no
/// file name, Error{unsafe_path} if `path` is inside `postoffice_root` or
/// names something that is not a regular file (a folder, a link, a FIFO, a
/// device). A missing `path` or an existing regular file passes. Writes nothing.
void check_output_file(const fs::path& postoffice_root, const fs::path& path);

/// Writes `contents` to `path` (a report such as pocheck's --html page):
/// check_output_file's refusals, then a temporary in the same folder, fsync,
/// rename over `path` (an existing regular file is replaced whole, never
/// partly), fsync the folder. The folder must exist (Error{not_found}).
/// Throws Error{io} on a failed write, `path` unchanged.
void replace_output_file(const fs::path& postoffice_root, const fs::path& path, ByteSpan contents);

}  // namespace mspo
