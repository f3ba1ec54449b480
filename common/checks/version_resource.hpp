// Library-only: the version resource of a Windows program image, for
// external_version.cpp. A 16-bit Windows (NE) image keeps its resources in a
// resource table after the NE header; a Win32/NT (PE32 or PE32+) image in a
// three-level resource directory (type, name, language) reached through the
// optional header's data directory 2 and the section table. The version
// resource (type 16) holds a VS_VERSIONINFO block whose VS_FIXEDFILEINFO
// carries the FileVersion as four 16-bit numbers. Every offset read from the
// image is checked against the bytes given before it is used; nothing is
// read twice in a loop, so a hostile image costs at most one pass.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"

namespace mspo::checks_detail {

/// Why the version resource cannot be read: what is wrong and where.
struct BadImage {
    std::string what;      // "the resource directory entry runs past the end of the image"
    std::uint64_t offset;  // the file offset where the bad structure is (or starts)
};

struct FixedVersion {
    std::array<unsigned, 4> file_version{};  // dwFileVersionMS hi, lo, dwFileVersionLS hi, lo
    std::uint64_t offset = 0;                // file offset of the VS_FIXEDFILEINFO
};

/// The FileVersion of the NE image whose header starts at `ne` (the MZ
/// header's e_lfanew). nullopt if the image has no resource table or no
/// version resource. Throws BadImage if a structure on the way is truncated,
/// points outside `image`, or is not what it must be.
std::optional<FixedVersion> ne_version_resource(ByteSpan image, std::uint32_t ne);

/// The same for the PE image whose "PE\0\0" signature is at `pe`: PE32
/// (optional header magic 0x10B) and PE32+ (0x20B). A resource directory that
/// points back at itself is reported as a loop.
std::optional<FixedVersion> pe_version_resource(ByteSpan image, std::uint32_t pe);

}  // namespace mspo::checks_detail
