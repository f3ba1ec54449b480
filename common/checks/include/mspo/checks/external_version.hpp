// Which version of External a program file is (KB Q237695 step 3: 3.2.18 or
// later). EXTERNAL.EXE is an MS-DOS program that prints its version as it
// runs (KB Q111558), so the version is a string inside its MZ image. The file
// is only read, never run. Windows and NT images (NE, PE) carry a version
// resource instead; reading it is not built yet, so for them only a version
// string in the image is found.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// The first External that KB Q237695 step 3 accepts.
inline constexpr std::array<unsigned, 3> kExternalMinimum{3, 2, 18};
/// How much of a program file is read: EXTERNAL.EXE is far smaller.
inline constexpr std::uint64_t kExternalReadLimit = 4ull << 20;

struct ExternalVersion {
    enum class Verdict { ok, old, unknown };
    Verdict verdict = Verdict::unknown;
    std::string image;    // "MS-DOS (MZ)", "Windows (NE)", "Windows NT (PE)", or "" if not an MZ image
    std::string version;  // "3.2.18", "3.2"; empty if none was found
    std::string text;     // the string found, as printable ASCII ("Version 3.2.18")
    std::optional<std::uint64_t> offset;  // where it was found
    /// One line: how the version was found, or why it cannot be told.
    std::string how;
};

/// Searches an image's bytes (the first kExternalReadLimit of the file) for
/// a version: first "Version N.N[.N]" (any case, an optional "v"), else a
/// bare "N.N.N". Pure: reads no file. Not an MZ image: unknown. "3.2"
/// without a third number is unknown (3.2.x may be older or newer than
/// 3.2.18); any other version is compared with kExternalMinimum.
ExternalVersion find_external_version(ByteSpan image);

/// Reads at most kExternalReadLimit bytes of `program` (no link followed)
/// and calls find_external_version. Throws Error as platform reads do
/// (not_found, unsafe_path, io).
ExternalVersion read_external_version(const std::filesystem::path& program);

}  // namespace mspo
