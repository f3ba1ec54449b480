// Fuzz target: parse_ledger, the reader of MBG/OVERFLOW.TXT (mbgsplit's
// ledger of overflow mailbags). Properties: no crash; a ledger it accepts
// renders to text that parses back to the same entries.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/overflow_ledger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mspo;
    try {
        const OverflowLedger ledger = parse_ledger(fuzz::text(data, size), "MBG/OVERFLOW.TXT");
        const OverflowLedger again = parse_ledger(render_ledger(ledger), "rendered");
        fuzz::require(again.entries == ledger.entries);
        for (const auto owner : ledger.owners()) fuzz::require(!ledger.overflows_of(owner).empty());
        for (const auto& e : ledger.entries) fuzz::require(ledger.find_overflow(e.overflow) != nullptr);
    } catch (const Error&) {}
    return 0;
}
