// The version resource of NE and PE images. See version_resource.hpp.
#include "version_resource.hpp"

#include <cstdio>
#include <vector>

namespace mspo::checks_detail {

namespace {

constexpr std::uint16_t kNeVersionType = 0x8010;  // NE: integer type id 16, high bit set
constexpr std::uint32_t kPeVersionType = 16;      // RT_VERSION
constexpr std::uint32_t kFixedSignature = 0xFEEF04BD;
constexpr std::uint64_t kFixedSize = 52;  // VS_FIXEDFILEINFO: 13 DWORDs

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
    return buf;
}

/// The image's bytes, every read bounds-checked (offsets are 64-bit, so no
/// sum of 32-bit fields wraps).
class Image {
public:
    explicit Image(ByteSpan b) : b_(b) {}

    void need(std::uint64_t off, std::uint64_t len, const std::string& what) const {
        if (off > b_.size() || len > b_.size() - off)
            throw BadImage{what + " (" + std::to_string(len) + " bytes) runs past the end of the image (" +
                               std::to_string(b_.size()) + " bytes read)",
                           off};
    }
    std::uint16_t u16(std::uint64_t off, const std::string& what) const {
        need(off, 2, what);
        return static_cast<std::uint16_t>(b_[off] | b_[off + 1] << 8);
    }
    std::uint32_t u32(std::uint64_t off, const std::string& what) const {
        need(off, 4, what);
        return static_cast<std::uint32_t>(b_[off] | b_[off + 1] << 8 | b_[off + 2] << 16) |
               static_cast<std::uint32_t>(b_[off + 3]) << 24;
    }
    std::uint8_t u8(std::uint64_t off) const { return b_[off]; }  // after need()

private:
    ByteSpan b_;
};

std::uint64_t align4(std::uint64_t n) { return (n + 3) & ~std::uint64_t{3}; }

/// VS_VERSIONINFO at `at`, at most `room` bytes (the resource's size): a
/// length, a value length, (PE: a type), the key "VS_VERSION_INFO" (UTF-16 in
/// PE, 8-bit in NE), padding to 32 bits, then VS_FIXEDFILEINFO.
FixedVersion parse_versioninfo(const Image& im, std::uint64_t at, std::uint64_t room, bool wide) {
    const std::uint16_t length = im.u16(at, "the VS_VERSIONINFO block");
    if (length > room)
        throw BadImage{"the VS_VERSIONINFO block says it is " + std::to_string(length) +
                           " bytes, more than the " + std::to_string(room) + " of its resource",
                       at};
    im.need(at, length, "the VS_VERSIONINFO block");
    const std::uint16_t value_length = im.u16(at + 2, "the VS_VERSIONINFO block");
    constexpr std::string_view key = "VS_VERSION_INFO";
    const std::uint64_t key_at = at + (wide ? 6 : 4);
    const std::uint64_t unit = wide ? 2 : 1;
    const std::uint64_t key_end = key_at + (key.size() + 1) * unit;
    if (key_end > at + length)
        throw BadImage{
            "the VS_VERSIONINFO block (" + std::to_string(length) + " bytes) is too short for its key", at};
    for (std::size_t k = 0; k <= key.size(); ++k) {
        const std::uint64_t c = key_at + k * unit;
        const unsigned want = k < key.size() ? static_cast<unsigned char>(key[k]) : 0u;
        if (im.u8(c) != want || (wide && im.u8(c + 1) != 0))
            throw BadImage{"the version resource does not start with the key VS_VERSION_INFO", key_at};
    }
    if (value_length < kFixedSize)
        throw BadImage{"the VS_VERSIONINFO block holds no VS_FIXEDFILEINFO (its value is " +
                           std::to_string(value_length) + " bytes, not 52)",
                       at};
    const std::uint64_t fixed = at + align4(key_end - at);
    if (fixed + kFixedSize > at + length)
        throw BadImage{"the VS_FIXEDFILEINFO runs past the end of its VS_VERSIONINFO block", fixed};
    const std::uint32_t signature = im.u32(fixed, "the VS_FIXEDFILEINFO");
    if (signature != kFixedSignature)
        throw BadImage{"the VS_FIXEDFILEINFO has the signature " + hex(signature) + ", not 0xFEEF04BD",
                       fixed};
    const std::uint32_t ms = im.u32(fixed + 8, "the VS_FIXEDFILEINFO");
    const std::uint32_t ls = im.u32(fixed + 12, "the VS_FIXEDFILEINFO");
    FixedVersion v;
    v.file_version = {ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF};
    v.offset = fixed;
    return v;
}

/// The PE section table: relative virtual addresses to file offsets.
class Sections {
public:
    Sections(const Image& im, std::uint64_t table, std::uint16_t count)
        : im_(im), table_(table), count_(count) {
        im.need(table, std::uint64_t{count} * 40,
                "the section table (" + std::to_string(count) + " sections)");
    }
    /// The file offset of `len` bytes at `rva`, which must lie in one
    /// section's data in the file.
    std::uint64_t offset(std::uint32_t rva, std::uint64_t len, const std::string& what) const {
        for (std::uint16_t i = 0; i < count_; ++i) {
            const std::uint64_t s = table_ + std::uint64_t{i} * 40;
            const std::uint32_t va = im_.u32(s + 12, "a section header");
            const std::uint32_t raw_size = im_.u32(s + 16, "a section header");
            const std::uint32_t raw_at = im_.u32(s + 20, "a section header");
            if (rva < va || rva - va >= raw_size) continue;
            if (len > raw_size - (rva - va))
                throw BadImage{what + " (RVA " + hex(rva) + ", " + std::to_string(len) +
                                   " bytes) runs past the end of its section's data",
                               s};
            return std::uint64_t{raw_at} + (rva - va);
        }
        throw BadImage{what + " (RVA " + hex(rva) + ") lies in no section of the image", table_};
    }

private:
    const Image& im_;
    std::uint64_t table_;
    std::uint16_t count_;
};

struct DirEntry {
    std::uint32_t name = 0;
    std::uint32_t target = 0;
    std::uint64_t at = 0;  // the entry's own file offset
};

/// The entries of the resource directory at file offset `at`.
std::vector<DirEntry> directory(const Image& im, std::uint64_t at, const std::string& what) {
    im.need(at, 16, what);
    const std::uint64_t n =
        std::uint64_t{im.u16(at + 12, what)} + im.u16(at + 14, what);  // named + numbered entries
    im.need(at + 16, n * 8, what + "'s " + std::to_string(n) + " entries");
    std::vector<DirEntry> out;
    out.reserve(n);
    for (std::uint64_t k = 0; k < n; ++k) {
        const std::uint64_t e = at + 16 + k * 8;
        out.push_back({im.u32(e, what), im.u32(e + 4, what), e});
    }
    return out;
}

constexpr std::uint32_t kSubdirectory = 0x80000000u;

}  // namespace

std::optional<FixedVersion> ne_version_resource(ByteSpan bytes, std::uint32_t ne) {
    const Image im(bytes);
    im.need(ne, 0x40, "the NE header");
    const std::uint16_t table_rel = im.u16(ne + 0x24, "the NE header");
    const std::uint16_t names_rel = im.u16(ne + 0x26, "the NE header");
    if (table_rel == names_rel) return std::nullopt;  // no resource table
    const std::uint64_t table = std::uint64_t{ne} + table_rel;
    const std::uint16_t shift = im.u16(table, "the resource table");
    if (shift > 16)
        throw BadImage{"the resource table's alignment shift is " + std::to_string(shift) + " (more than 16)",
                       table};
    // Type entries (type, count, 4 reserved bytes, count 12-byte resources)
    // up to a type of 0. Each step moves forward, so the walk ends at the end
    // of the image at the latest.
    std::uint64_t p = table + 2;
    for (;;) {
        const std::uint16_t type = im.u16(p, "the resource table (no end marker)");
        if (type == 0) return std::nullopt;
        im.need(p, 8, "a resource type entry");
        const std::uint16_t count = im.u16(p + 2, "a resource type entry");
        const std::uint64_t first = p + 8;
        im.need(first, std::uint64_t{count} * 12,
                "the " + std::to_string(count) + " resources of a resource type entry");
        if (type == kNeVersionType) {
            if (count == 0) throw BadImage{"the version resource type lists no resource", p};
            const std::uint64_t at = std::uint64_t{im.u16(first, "a resource entry")} << shift;
            const std::uint64_t room = std::uint64_t{im.u16(first + 2, "a resource entry")} << shift;
            if (at == 0) throw BadImage{"the version resource's entry points at offset 0", first};
            return parse_versioninfo(im, at, room, false);
        }
        p = first + std::uint64_t{count} * 12;
    }
}

std::optional<FixedVersion> pe_version_resource(ByteSpan bytes, std::uint32_t pe) {
    const Image im(bytes);
    im.need(pe, 24, "the PE file header");
    const std::uint16_t section_count = im.u16(pe + 6, "the PE file header");
    const std::uint16_t opt_size = im.u16(pe + 20, "the PE file header");
    const std::uint64_t opt = std::uint64_t{pe} + 24;
    im.need(opt, opt_size, "the optional header");
    if (opt_size < 2)
        throw BadImage{
            "the optional header is " + std::to_string(opt_size) + " bytes, too short for its magic", opt};
    const std::uint16_t magic = im.u16(opt, "the optional header");
    std::uint64_t dirs = 0;  // where the data directories start in the optional header
    if (magic == 0x10B)
        dirs = 96;  // PE32
    else if (magic == 0x20B)
        dirs = 112;  // PE32+
    else
        throw BadImage{"the optional header's magic is " + hex(magic) + " (PE32 is 0x10B, PE32+ 0x20B)", opt};
    if (opt_size < dirs + 3 * 8) return std::nullopt;  // no room for a resource directory entry
    if (im.u32(opt + dirs - 4, "the optional header") < 3) return std::nullopt;
    const std::uint32_t rsrc_rva = im.u32(opt + dirs + 16, "the optional header");
    if (rsrc_rva == 0) return std::nullopt;
    const Sections sections(im, opt + opt_size, section_count);
    const std::uint64_t root = sections.offset(rsrc_rva, 16, "the resource directory");

    // Three levels, no deeper: type, name, language. Offsets in the directory
    // are relative to its root; one that points at a directory seen on the
    // way is a loop.
    std::vector<std::uint64_t> seen{root};
    const auto subdirectory = [&](const DirEntry& e, const std::string& what) {
        if (!(e.target & kSubdirectory))
            throw BadImage{"the " + what + " entry points at data, not at a directory", e.at};
        const std::uint64_t at = root + (e.target & ~kSubdirectory);
        for (std::uint64_t s : seen)
            if (s == at)
                throw BadImage{
                    "the " + what + " entry loops back to the directory at offset " + std::to_string(at),
                    e.at};
        seen.push_back(at);
        return at;
    };
    const DirEntry* type = nullptr;
    const auto types = directory(im, root, "the resource directory");
    for (const auto& e : types)
        if (e.name == kPeVersionType) {
            type = &e;
            break;
        }
    if (!type) return std::nullopt;
    const auto names =
        directory(im, subdirectory(*type, "version resource type"), "the version resource's directory");
    if (names.empty()) throw BadImage{"the version resource's directory is empty", type->at};
    const auto langs = directory(im, subdirectory(names.front(), "version resource name"),
                                 "the version resource's language directory");
    if (langs.empty()) throw BadImage{"the version resource's language directory is empty", names.front().at};
    const DirEntry& leaf = langs.front();
    if (leaf.target & kSubdirectory)
        throw BadImage{"the version resource's language entry points at a directory, not at data", leaf.at};
    const std::uint64_t data = root + leaf.target;
    im.need(data, 16, "the version resource's data entry");
    const std::uint32_t data_rva = im.u32(data, "the version resource's data entry");
    const std::uint32_t data_size = im.u32(data + 4, "the version resource's data entry");
    const std::uint64_t at = sections.offset(data_rva, data_size, "the version resource");
    return parse_versioninfo(im, at, data_size, true);
}

}  // namespace mspo::checks_detail
