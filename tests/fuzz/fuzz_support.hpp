// Helpers shared by the libFuzzer targets (tests/fuzz/<target>.cpp).
//
// Policy of every target: the library may reject an input only with
// mspo::Error (its typed errors); any other exception escapes the target,
// and libFuzzer (or replay_main) reports it as a crash, as do ASan/UBSan
// reports, leaks and time-outs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "mspo/base/bytes.hpp"

namespace mspo::fuzz {

namespace fs = std::filesystem;

/// A folder of this process's own under the system temp folder, created on
/// first use and removed at exit.
inline const fs::path& scratch_dir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("mspo-fuzz-" + std::to_string(::getpid()));
        fs::remove_all(d);
        fs::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(fs::temp_directory_path() / ("mspo-fuzz-" + std::to_string(::getpid())), ec);
        });
        return d;
    }();
    return dir;
}

/// Writes `size` bytes at `data` to `path` (replacing it).
inline void write_file(const fs::path& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();  // the harness itself failed: not a finding
}

/// The input as a file in the scratch folder, for readers that take a path.
inline fs::path input_file(const std::uint8_t* data, std::size_t size, std::string_view name = "input") {
    fs::path p = scratch_dir() / std::string(name);
    write_file(p, data, size);
    return p;
}

inline ByteSpan span(const std::uint8_t* data, std::size_t size) { return ByteSpan(data, size); }

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// Aborts (a finding) when a property the library promises does not hold.
inline void require(bool ok) {
    if (!ok) std::abort();
}

}  // namespace mspo::fuzz
