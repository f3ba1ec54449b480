// Library-only: before mbgsplit drops deleted slots, each one's MAI is asked
// whether a mailbag still needs it. A deleted header whose MAI counter is
// higher than the number of live headers naming it (over the whole
// postoffice) is evidence that this KEY does not mean what our model says:
// the slot may be live. The KEY model test weighs the whole postoffice; this
// guards each mailbag, so one KEY that contradicts the model is not compacted
// on the strength of all the others.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mspo/format/layout.hpp"

namespace mspo::checks_detail {

/// The MAI numbers of the deleted slots a plan drops from one mailbag.
struct DroppedSlots {
    std::string relpath;  // the mailbag
    std::vector<std::uint32_t> mais;
};

/// A mailbag some of whose dropped slots a MAI counter still claims.
struct NeededDrop {
    std::string relpath;
    std::uint64_t dropped = 0;  // slots the plan drops
    std::uint64_t needed = 0;   // of those, claimed by their MAI's counter
    std::uint32_t mai = 0;      // the first claimed one: its number,
    std::uint16_t counter = 0;  // its counter,
    std::uint64_t live = 0;     // and the live headers naming it
};

/// Streams every regular MBG/*.MBG once (live headers under our model; a
/// mailbag without a usable KEY counts every header live) and reads the
/// counter of each dropped MAI (a missing MAI counts 0; one that cannot be
/// read is not evidence). Returns the mailbags with claimed slots.
std::vector<NeededDrop> find_needed_drops(const Postoffice& po, const std::vector<DroppedSlots>& drops);

}  // namespace mspo::checks_detail
