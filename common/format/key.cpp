#include "mspo/format/key.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

void check_slot(std::size_t slot) {
    if (slot >= kMailbagLimit)
        throw std::out_of_range("KEY slot " + std::to_string(slot) + " is past the " +
                                std::to_string(kMailbagLimit) + "-slot bitmap");
}

std::uint8_t bit_of(std::size_t slot) { return static_cast<std::uint8_t>(1u << (slot % 8)); }

std::size_t clamp_count(std::uint64_t record_count) {
    return static_cast<std::size_t>(std::min<std::uint64_t>(record_count, kMailbagLimit));
}

}  // namespace

std::string_view key_reading_name(KeyReading r) noexcept {
    switch (r) {
        case KeyReading::model:
            return "our model";
        case KeyReading::inverted:
            return "inverted polarity";
        case KeyReading::msb_first:
            return "most significant bit first";
        case KeyReading::msb_first_inverted:
            return "most significant bit first, inverted";
        case KeyReading::at_start:
            return "bitmap at offset 0";
        case KeyReading::at_start_inverted:
            return "bitmap at offset 0, inverted";
        case KeyReading::at_start_msb_first:
            return "bitmap at offset 0, most significant bit first";
        case KeyReading::at_start_msb_first_inverted:
            return "bitmap at offset 0, most significant bit first, inverted";
    }
    return "?";
}

KeyFile KeyFile::from_bytes(ByteSpan data, const std::filesystem::path& file) {
    if (data.size() != size)
        throw Error(Errc::size_rule,
                    "KEY file is " + std::to_string(data.size()) + " bytes, not " + std::to_string(size),
                    file);
    KeyFile k;
    std::copy(data.begin(), data.end(), k.raw.begin());
    return k;
}

bool KeyFile::slot_deleted(std::size_t slot) const {
    check_slot(slot);
    return (raw[kBitmap + slot / 8] & bit_of(slot)) != 0;
}

bool KeyFile::slot_deleted_as(std::size_t slot, KeyReading r) const {
    check_slot(slot);
    // The enumerators are three flags: 1 inverted, 2 most significant bit first, 4 bitmap at 0.
    static_assert(static_cast<int>(KeyReading::at_start_msb_first_inverted) == 7);
    const auto flags = static_cast<unsigned>(r);
    const bool inverted = (flags & 1u) != 0, msb_first = (flags & 2u) != 0, at_start = (flags & 4u) != 0;
    const std::uint8_t byte = raw[(at_start ? 0 : kBitmap) + slot / 8];
    const auto bit = static_cast<unsigned>(msb_first ? 7 - slot % 8 : slot % 8);
    return (((byte >> bit) & 1u) != 0) != inverted;
}

void KeyFile::set_slot_deleted(std::size_t slot, bool deleted) {
    check_slot(slot);
    std::uint8_t& byte = raw[kBitmap + slot / 8];
    if (deleted)
        byte = static_cast<std::uint8_t>(byte | bit_of(slot));
    else
        byte = static_cast<std::uint8_t>(byte & ~bit_of(slot));
}

std::size_t KeyFile::live_slots(std::uint64_t record_count) const {
    const std::size_t n = clamp_count(record_count);
    std::size_t live = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!slot_deleted(i)) ++live;
    return live;
}

std::optional<std::size_t> KeyFile::first_free(std::uint64_t record_count) const {
    const std::size_t n = clamp_count(record_count);
    for (std::size_t i = 0; i < n; ++i)
        if (slot_deleted(i)) return i;
    if (record_count < kMailbagLimit) return static_cast<std::size_t>(record_count);
    return std::nullopt;
}

std::size_t KeyFile::bits_beyond(std::uint64_t record_count) const {
    std::size_t count = 0;
    for (std::size_t i = clamp_count(record_count); i < kMailbagLimit; ++i)
        if (slot_deleted(i)) ++count;
    return count;
}

bool KeyFile::all_zero() const {
    return std::all_of(raw.begin(), raw.end(), [](std::uint8_t b) { return b == 0; });
}

KeyFile read_key(const std::filesystem::path& path) {
    // read_file refuses a longer file (size_rule) before reading it; from_bytes a shorter one.
    const Bytes data = platform::read_file(path, KeyFile::size);
    return KeyFile::from_bytes(data, path);
}

}  // namespace mspo
