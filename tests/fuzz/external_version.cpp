// Fuzz target: find_external_version, the reader of EXTERNAL.EXE images
// (MZ, NE and PE headers, the version resource, the version string) behind
// pocheck's External version check. Input: the program's bytes.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/checks/external_version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mspo;
    try {
        const ExternalVersion v = find_external_version(fuzz::span(data, size));
        fuzz::require(v.verdict == ExternalVersion::Verdict::unknown || !v.version.empty());
    } catch (const Error&) {}
    return 0;
}
