// GLB/CONTROL.GLB: the two counters from which every new file number is
// taken (KB Q87388, Q117738). 8 bytes, fully documented:
//   0x00 u32 next mailbag number (user, gateway and external-PO files: MBG, KEY, USR, XTN, ...)
//   0x04 u32 next letter number (MAI, ATT and P1 files)
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"

namespace mspo {

struct ControlFile {
    static constexpr std::size_t size = 8;
    static constexpr const SizeRule& rule = rules::control;
    static constexpr std::size_t kNextMailbag = 0x00;
    static constexpr std::size_t kNextLetter = 0x04;
    std::array<std::uint8_t, size> raw{};

    /// The file's contents, or nullopt if `data` is not exactly 8 bytes.
    static std::optional<ControlFile> from_bytes(ByteSpan data);
    /// The 8 bytes, exactly as held in `raw`.
    Bytes to_bytes() const;

    std::uint32_t next_mailbag() const { return get_u32(raw, kNextMailbag); }
    void set_next_mailbag(std::uint32_t v) { put_u32(raw, kNextMailbag, v); }
    std::uint32_t next_letter() const { return get_u32(raw, kNextLetter); }
    void set_next_letter(std::uint32_t v) { put_u32(raw, kNextLetter, v); }
};

}  // namespace mspo
