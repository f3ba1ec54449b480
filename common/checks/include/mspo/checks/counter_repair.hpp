// The repairs no other tool owns, made by pocheck --fix: CONTROL.GLB's two
// counters raised above every number in use (control.counter-low), and each
// MAI's reference counter set to the number of live headers naming it
// (mai.refcount). The rules, and why a counter is sometimes left as it is,
// are in docs/FORMATS.md ("Counters and reference counters (pocheck --fix)"):
//   - CONTROL.GLB: next number = the highest in use + 1 (left when that is
//     past 0xFFFFFFFF). Raising a counter never names an existing file.
//   - MAI counters rest on our KEY model (which slots are live): they are
//     changed only when the KEY model test says the postoffice supports it,
//     unless forced. Raising a counter to the live count is safe either way
//     (at worst the message outlives its last header). Lowering one lets
//     External erase the message when the last counted header goes, so a
//     counter is lowered only when no slot marked deleted names the MAI and
//     every mailbag could be read (no MBG missing beside its KEY, none that
//     is not a regular file): otherwise the header that the counter still
//     counts may be real.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/finding.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/change_plan.hpp"

namespace mspo {

struct CounterRepairOptions {
    bool force = false;  // change MAI counters even when the KEY model is not supported
};

struct CounterRepair {
    /// control.counter-low and mai.refcount as run_checks finds them; an
    /// action of `plan` names those it repairs, and each left as it is says
    /// why in its action ("not changed: ..."). A forced model override adds
    /// a safety.forced warning.
    Findings findings;
    ChangePlan plan;
    KeyModelFit fit;
    /// Set when MAI counters needed changing but the KEY model test does not
    /// support our model (and not forced): no MAI is in the plan. The text
    /// gives the figures; `refusal_file` the folder it concerns ("KEY").
    std::optional<std::string> refusal;
    std::string refusal_file;
    std::uint64_t counters_raised = 0;  // CONTROL.GLB counters in the plan (0 to 2)
    std::uint64_t mai_raised = 0;       // MAI counters to raise
    std::uint64_t mai_lowered = 0;      // MAI counters to lower
    std::uint64_t left = 0;             // findings no action repairs
};

/// Finds and plans the repairs. Reads CONTROL.GLB, the ACCESS files (when
/// readable), NETPO.GLB, NETWORK.GLB, every mailbag with its KEY (streamed)
/// and the counter of each MAI. Writes nothing. Throws Error on an I/O error
/// and Error{interrupted}.
CounterRepair plan_counter_repairs(const Postoffice& po, const CounterRepairOptions& options);

}  // namespace mspo
