// The documented size rule of every postoffice file type (KB Q77926, Q135932,
// Q112905, Q104562, Q110100, Q86375, ...): size = header + record * n, or a
// fixed size. docs/FORMATS.md lists the same table with sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mspo {

struct SizeRule {
    std::string_view kind;       // "ACCESS.GLB", "NME", "KEY", ...
    std::uint64_t header = 0;    // bytes before the first record (or the whole size if record == 0)
    std::uint64_t record = 0;    // record size; 0 = the file has a fixed size of `header`
    std::uint64_t max_size = 0;  // 0 = no documented maximum
    std::string_view source;     // "KB Q77926", ...
};

namespace rules {
inline constexpr SizeRule control{"CONTROL.GLB", 8, 0, 0, "KB Q87388, Q117738"};
inline constexpr SizeRule access{"ACCESS.GLB", 0, 586, 0, "KB Q135932, Q87402"};
inline constexpr SizeRule access2{"ACCESS2.GLB", 0, 69, 0, "KB Q135932, Q87402"};
inline constexpr SizeRule access3{"ACCESS3.GLB", 0, 512, 0, "KB Q135932, Q87402"};
inline constexpr SizeRule master{"MASTER.GLB", 176, 0, 0, "KB Q77926"};
inline constexpr SizeRule flag{"FLAG.GLB", 2, 0, 0, "KB Q77926"};
inline constexpr SizeRule tid{"TID.GLB", 4, 0, 0, "KB Q77926"};
inline constexpr SizeRule rnetsem{"RNETSEM.GLB", 4, 0, 0, "KB Q77926, Q118946"};
inline constexpr SizeRule modem{"MODEM.GLB", 64, 0, 0, "KB Q77926"};
inline constexpr SizeRule global{"GLOBAL.GLB", 512, 0, 0, "KB Q77926"};
inline constexpr SizeRule reqconf{"REQCONF.GLB", 512, 0, 0, "KB Q77926"};
inline constexpr SizeRule srvconf{"SRVCONF.GLB", 1024, 1024, 0, "KB Q77926"};
inline constexpr SizeRule group{"GROUP.GLB", 4, 51, 0, "KB Q77926, Q112905"};
inline constexpr SizeRule grpmem{"GRPMEM.GLB", 4, 128, 0, "KB Q77926, Q104562"};
inline constexpr SizeRule netpo{"NETPO.GLB", 4, 43, 0, "KB Q77926, Q110100"};
inline constexpr SizeRule network{"NETWORK.GLB", 0, 122, 0, "KB Q77926"};
inline constexpr SizeRule server{"SERVER.GLB", 0, 181, 0, "KB Q77926"};
inline constexpr SizeRule process{"PROCESS.GLB", 512, 197, 0, "KB Q77926"};
inline constexpr SizeRule galindex{"GALINDEX.GLB", 208, 6, 0, "KB Q86375"};
inline constexpr SizeRule nme{"NME", 0, 45, 0, "KB Q77926, Q135932"};
inline constexpr SizeRule grp{"GRP", 8, 8, 0, "KB Q135932, Q104562"};
inline constexpr SizeRule mem{"MEM", 0, 4, 2000, "KB Q77926"};
inline constexpr SizeRule usr{"USR", 0, 53, 0, "KB Q77926, Q263841"};
inline constexpr SizeRule xtn{"XTN", 0, 698, 0, "KB Q77926, Q128243"};
inline constexpr SizeRule key{"KEY", 560, 0, 0, "KB Q77926, Q119088"};
inline constexpr SizeRule mbg{"MBG", 0, 116, 0, "KB Q77926, Q108027"};
}  // namespace rules

/// A one-line description of how `size` breaks `rule`, or nullopt if it
/// keeps it. Example: "size 1000 is not a multiple of 69 (14 records and 34 bytes over)".
std::optional<std::string> size_violation(const SizeRule& rule, std::uint64_t size);

/// Number of whole records in a file of `size` bytes (0 for fixed-size rules
/// and for files shorter than the header).
std::uint64_t whole_records(const SizeRule& rule, std::uint64_t size) noexcept;

}  // namespace mspo
