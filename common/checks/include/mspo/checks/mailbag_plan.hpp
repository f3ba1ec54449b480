// mbgsplit's plan: compact a mailbag with too many slots (drop the deleted
// ones, as MS Mail's Compress does, KB Q101749), move the oldest live headers
// of one that still holds too many into overflow mailbags (fresh numbers
// from CONTROL.GLB, listed in MBG/OVERFLOW.TXT), or with `merge` move
// overflow headers back as far as there is room. Headers are moved, never
// changed: every MAI keeps exactly as many live headers naming it, so no
// reference counter changes. The new contents are streamed from the old
// files (content_writer.hpp): memory holds a few bytes per header only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mspo/checks/key_model.hpp"
#include "mspo/checks/mailbags.hpp"
#include "mspo/safety/change_plan.hpp"

namespace mspo {

struct MailbagPlanOptions {
    MailbagLimits limits;
    bool merge = false;  // --merge: move overflow headers back instead
    /// Plan even when the MAI counters contradict our KEY model or are too
    /// few to tell (--force); the plan then carries a safety.forced finding.
    bool force = false;
};

struct MailbagPlanCounts {
    std::uint64_t mailbags_changed = 0;
    std::uint64_t deleted_dropped = 0;  // deleted slots compacted away
    std::uint64_t moved_out = 0;        // headers moved into overflow mailbags
    std::uint64_t moved_back = 0;       // headers moved back by --merge
    std::uint64_t overflows_created = 0;
    std::uint64_t overflows_removed = 0;
    std::uint64_t keys_cleaned = 0;  // KEYs whose bits past the last record were cleared
};

struct MailbagPlan {
    Findings findings;  // the survey's, key.model-mismatch, and the actions' on them
    ChangePlan plan;    // each action names the findings it repairs
    KeyModelFit fit;
    MailbagPlanCounts counts;
    /// Set when the plan would change files but the evidence forbids it
    /// (and not `force`): the one-line reason with the figures, and the
    /// file it concerns. `plan` is then empty.
    std::optional<std::string> refusal;
    std::string refusal_file;
};

/// Plans the change. Reads each mailbag to change once (or twice, for the
/// CRC of its new contents). Throws Error as the readers do, and
/// Error{interrupted}.
MailbagPlan plan_mailbags(const Postoffice& po, MailbagSurvey survey, const MailbagPlanOptions& options);

}  // namespace mspo
