#include "file_kind.hpp"

#include <algorithm>

namespace mspo::checks_detail {

namespace {

bool is_hex8(std::string_view s) {
    return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
           });
}

// The core files MAILINT requires. RNETSEM.GLB is left out (External creates
// it, KB Q118946) and so is SRVCONF.GLB (only on a Dir-Sync server).
constexpr std::string_view kCoreFiles[] = {
    "GLB/ACCESS.GLB",  "GLB/ACCESS2.GLB", "GLB/ACCESS3.GLB", "GLB/CONTROL.GLB", "GLB/GLOBAL.GLB",
    "GLB/GROUP.GLB",   "GLB/GRPMEM.GLB",  "GLB/MASTER.GLB",  "GLB/NETPO.GLB",   "GLB/NETWORK.GLB",
    "GLB/PROCESS.GLB", "GLB/REQCONF.GLB", "GLB/TID.GLB",     "NME/ADMIN.NME",   "NME/ADMINSHD.NME",
    "GRP/ADMIN.GRP",   "GRP/ADMINSHD.GRP"};

}  // namespace

bool is_file_place(std::string_view upper, std::string_view ext) {
    if (upper.size() <= ext.size() || upper.substr(upper.size() - ext.size()) != ext) return false;
    const std::string_view stem = upper.substr(0, upper.size() - ext.size());
    return is_hex8(stem) || stem == "INQUEUE3" || stem == "INQUEUE" || stem == "SYSTEM" || stem == "ADMIN" ||
           stem == "ADMINSHD";
}

std::span<const std::string_view> core_files() noexcept { return kCoreFiles; }

bool is_core_file(std::string_view relpath) {
    return std::find(std::begin(kCoreFiles), std::end(kCoreFiles), relpath) != std::end(kCoreFiles);
}

std::string_view entry_kind_text(platform::EntryType type) noexcept {
    switch (type) {
        case platform::EntryType::directory:
            return "a folder";
        case platform::EntryType::symlink:
            return "a symbolic link";
        default:
            return "a FIFO, socket or device";
    }
}

Finding not_regular_finding(const Postoffice& po, const fs::path& path, platform::EntryType type,
                            std::string_view what, std::string_view whose) {
    const std::string rel = po.relative(path);
    std::string message = std::string(what) + " " + rel;
    if (!whose.empty()) message += " of " + std::string(whose);
    message +=
        " is " + std::string(entry_kind_text(type)) + ", not a regular file; it is not followed or read";
    return make_finding(CheckId::layout_not_regular, rel, std::move(message));
}

}  // namespace mspo::checks_detail
