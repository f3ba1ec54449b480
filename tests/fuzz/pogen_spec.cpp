// Fuzz target: pogen's spec parser (generator/spec.cpp: parse_spec and the
// value parsers parse_damage_option, parse_duration, parse_time). Input: a
// spec text. Properties: no crash; a bad spec is Error{usage}, never
// another exception.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/pogen/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mspo;
    const std::string_view text = fuzz::text(data, size);
    try {
        const pogen::Spec spec = pogen::parse_spec(text, "fuzz");
        for (const auto& u : spec.accounts) fuzz::require(u.line >= 1);
    } catch (const Error& e) { fuzz::require(e.code() == Errc::usage); }
    const std::string_view first = text.substr(0, text.find('\n'));
    (void)pogen::parse_duration(first);
    (void)pogen::parse_time(first);
    try {
        (void)pogen::parse_damage_option(first);
    } catch (const Error& e) { fuzz::require(e.code() == Errc::usage); }
    return 0;
}
