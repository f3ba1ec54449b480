// Which version of External a program file is (KB Q237695 step 3: 3.2.18 or
// later). EXTERNAL.EXE is an MS-DOS program that prints its version as it
// runs (KB Q111558), so the version is a string inside its MZ image. Windows
// and NT programs (NE and PE images: the NT multitasking MTA, a connector's
// MTA) carry a version resource, whose FileVersion is read. The file is only
// read, never run; where the user names no file, it is looked for beside the
// postoffice (find_external_beside).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// The first External that KB Q237695 step 3 accepts.
inline constexpr std::array<unsigned, 3> kExternalMinimum{3, 2, 18};
/// How much of a program file is read: EXTERNAL.EXE is far smaller.
inline constexpr std::uint64_t kExternalReadLimit = 4ull << 20;

/// At most this many subfolders of the postoffice's parent are looked in.
inline constexpr std::size_t kExternalSubfolderLimit = 256;

struct ExternalVersion {
    enum class Verdict { ok, old, unknown };
    /// How the version was found: the FileVersion of an NE or PE image's
    /// version resource, or a string in the image.
    enum class Source { none, resource, string };
    Verdict verdict = Verdict::unknown;
    Source source = Source::none;
    std::string image;    // "MS-DOS (MZ)", "Windows (NE)", "Windows NT (PE)", or "" if not an MZ image
    std::string version;  // "3.2.18", "3.2", "3.2.18.0" (a FileVersion); empty if none was found
    std::string text;     // the string found, as printable ASCII ("Version 3.2.18", "FileVersion 3.2.18.0")
    std::optional<std::uint64_t> offset;  // where it was found (the VS_FIXEDFILEINFO), or where the
                                          // unreadable structure is
    /// One line: how the version was found, or why it cannot be told.
    std::string how;
};

/// The version in an image's bytes (the first kExternalReadLimit of the
/// file). Pure: reads no file. Not an MZ image: unknown.
///
/// An NE or PE image (e_lfanew at 0x3C naming an "NE" or "PE\0\0" header):
/// the FileVersion of its version resource, a.b.c.d, whose a.b.c is compared
/// with kExternalMinimum; 3.2.0.d (d not 0) is unknown (the build number may
/// stand in the fourth place). A resource table or directory that is
/// truncated, points outside the bytes, loops or is not what it must be:
/// unknown, `how` saying what and at which offset, and no string is searched.
/// An NE or PE image without a version resource, and an MS-DOS image: a
/// version string, first "Version N.N[.N]" (any case, an optional "v"), else
/// a bare "N.N.N"; "3.2" without a third number is unknown (3.2.x may be
/// older or newer than 3.2.18), any other version is compared with
/// kExternalMinimum.
ExternalVersion find_external_version(ByteSpan image);

/// Reads at most kExternalReadLimit bytes of `program` (no link followed)
/// and calls find_external_version; `how` says when the file is larger
/// than what was read. Throws Error as platform reads do (not_found,
/// unsafe_path for a link or anything but a regular file, io).
ExternalVersion read_external_version(const std::filesystem::path& program);

/// Where find_external_beside looked, and what it found.
struct ExternalBeside {
    std::filesystem::path root;                    // the postoffice folder, absolute
    std::filesystem::path parent;                  // its parent folder (empty if the root has none)
    std::size_t subfolders = 0;                    // the parent's other subfolders looked in
    std::optional<std::filesystem::path> program;  // the EXTERNAL.EXE used, under root or parent
    /// Where it was: "in the postoffice folder", "in the postoffice's parent
    /// folder", "in a folder beside the postoffice".
    std::string where;
    ExternalVersion version;  // read from `program`: unknown, `how` saying why, if it cannot be read
    /// Entries named EXTERNAL.EXE that are no program (a folder, a link, a
    /// FIFO...), folders that could not be listed, subfolders past the limit.
    std::vector<std::string> passed_over;
};

/// Looks for EXTERNAL.EXE (any case) beside the postoffice whose folder is
/// `root`, in this order, and reads the first regular file found:
///   1. the postoffice folder itself;
///   2. its parent folder (M:\ for M:\MAILDATA);
///   3. the parent's immediate subfolders other than the postoffice, in byte
///      order of their names, at most kExternalSubfolderLimit of them
///      (M:\MAILEXE beside M:\MAILDATA).
/// Within a folder, matching names in byte order. Never follows a symbolic
/// link (a link named EXTERNAL.EXE or a linked subfolder is passed over) and
/// never opens anything but a regular file to read it: a folder, FIFO,
/// device or socket named EXTERNAL.EXE is passed over and noted. Never runs
/// anything. Folders that cannot be listed are noted, not thrown.
ExternalBeside find_external_beside(const std::filesystem::path& root);

}  // namespace mspo
