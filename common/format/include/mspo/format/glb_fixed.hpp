// The fixed-size GLB files (sizes: KB Q77926). Almost all of their bytes are
// undocumented, so each type keeps the whole file in `raw` and names only the
// fields a KB article documents.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"

namespace mspo {

/// Base of a fixed-size file type `Derived` whose size rule is `Rule`
/// (a rule with record == 0: the size is Rule.header).
template <class Derived, const SizeRule& Rule>
struct FixedFile {
    static_assert(Rule.record == 0, "FixedFile needs a fixed-size rule");
    static constexpr std::size_t size = static_cast<std::size_t>(Rule.header);
    static constexpr const SizeRule& rule = Rule;
    std::array<std::uint8_t, size> raw{};

    /// The file's contents, or nullopt if `data` is not exactly `size` bytes.
    static std::optional<Derived> from_bytes(ByteSpan data) {
        if (data.size() != size) return std::nullopt;
        Derived f{};
        std::copy(data.begin(), data.end(), f.raw.begin());
        return f;
    }
    /// The file's bytes, exactly as held in `raw`.
    Bytes to_bytes() const { return Bytes(raw.begin(), raw.end()); }
};

/// GLB/MASTER.GLB (176 bytes): the postoffice's identity. Only the Enhanced
/// Security byte at 0x94 is documented (KB Q104586: 01 = on, 00 = off).
struct MasterFile : FixedFile<MasterFile, rules::master> {
    static constexpr std::size_t kEnhancedSecurity = 0x94;

    /// The byte as stored; values other than 0 and 1 are undocumented.
    std::uint8_t enhanced_security_byte() const { return raw[kEnhancedSecurity]; }
    /// True only if the byte is 01 (the KB's "on").
    bool enhanced_security() const { return raw[kEnhancedSecurity] == 1; }
    /// Writes 01 or 00.
    void set_enhanced_security(bool on) { raw[kEnhancedSecurity] = on ? 1 : 0; }
};

/// GLB/FLAG.GLB (2 bytes), opaque.
struct FlagFile : FixedFile<FlagFile, rules::flag> {};

/// GLB/TID.GLB (4 bytes): the TID counter, one u32 (KB Q77926, Q135486).
struct TidFile : FixedFile<TidFile, rules::tid> {
    std::uint32_t tid() const { return get_u32(raw, 0); }
    void set_tid(std::uint32_t v) { put_u32(raw, 0, v); }
};

/// GLB/RNETSEM.GLB (4 bytes): one u32 that External increments after each
/// RNETWORK.GLB rebuild (KB Q118946).
struct RnetsemFile : FixedFile<RnetsemFile, rules::rnetsem> {
    std::uint32_t counter() const { return get_u32(raw, 0); }
    void set_counter(std::uint32_t v) { put_u32(raw, 0, v); }
};

/// GLB/MODEM.GLB (64 bytes), opaque.
struct ModemFile : FixedFile<ModemFile, rules::modem> {};

/// GLB/GLOBAL.GLB (512 bytes), opaque (written by ADMIN, read by clients, KB Q87392).
struct GlobalFile : FixedFile<GlobalFile, rules::global> {};

/// GLB/REQCONF.GLB (512 bytes), opaque (Dir-Sync requestor configuration).
struct ReqconfFile : FixedFile<ReqconfFile, rules::reqconf> {};

}  // namespace mspo
