// The KEY model test (issue 11, "never compact on a model the postoffice
// contradicts"). Which bit of a KEY means "deleted", the bit order and where
// the bitmap sits are our model (mspo/format/key.hpp). The postoffice holds
// its own evidence: a MAI's reference counter at 0x0B is the number of
// mailbags still holding a live header naming it, and a MAI that is gone has
// counter 0 (KB Q104423). This test counts the live headers naming each MAI
// under our model and under the seven other readings (KeyReading) and asks
// which reading the counters agree with. docs/FORMATS.md ("Does the KEY
// model fit the postoffice?") gives the rule and why.
#pragma once

#include <cstdint>
#include <string>

#include "mspo/base/finding.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

/// What the MAI counters say about our KEY model.
struct KeyModelFit {
    /// supported: the counters agree with our model far better than with
    /// every other reading that predicts differently; contradicted: some
    /// other reading agrees at least as well (and at least once); otherwise
    /// inconclusive (too little evidence).
    enum class Verdict { supported, inconclusive, contradicted };
    Verdict verdict = Verdict::inconclusive;
    std::uint64_t mailbags = 0;               // MBG files read (regular files with a regular MBG)
    std::uint64_t headers = 0;                // whole records read
    std::uint64_t mais = 0;                   // distinct MAI numbers named by some header and judged
    std::uint64_t skipped = 0;                // MAIs not judged: not a regular file, too short or unreadable
    KeyReading rival = KeyReading::inverted;  // the other reading that came closest
    std::uint64_t decisive = 0;               // MAIs where our model and `rival` predict different counters
    std::uint64_t model_agrees = 0;           // of those, where the counter matches our model
    std::uint64_t rival_agrees = 0;           // of those, where it matches `rival`
    /// One line with the figures, e.g. "MAI counters agree with our KEY model
    /// for 37 of 40 messages where it and inverted polarity differ, with
    /// inverted polarity for 2".
    std::string text;
};

/// The verdict's name: "supported", "inconclusive", "contradicted".
const char* key_model_verdict_name(KeyModelFit::Verdict v) noexcept;

/// Streams every MBG/*.MBG that is a regular file (others are never opened)
/// with KEY/<same stem>.KEY; a KEY that is missing, not a regular file or not
/// 560 bytes makes every header live under every reading, and so does a slot
/// at or past 4096. Headers whose MAI field is not 8 hex digits are ignored.
/// Memory: 8 bytes per header (a MAI number and a mask of the readings under
/// which the header is live), never the mailbags themselves. Reads each
/// judged MAI's counter once (a MAI missing from its MAI/MAx listing counts
/// 0; one that cannot be judged is counted in `skipped`). Throws Error on an
/// I/O error reading a mailbag or KEY, and Error{interrupted} when asked to
/// stop (throw_if_interrupted).
KeyModelFit test_key_model(const Postoffice& po);

/// key.model-mismatch: one finding (naming the KEY folder and `fit.text`)
/// if `fit` is contradicted, none otherwise.
Findings check_key_model(const Postoffice& po, const KeyModelFit& fit);
/// test_key_model + check_key_model.
Findings check_key_model(const Postoffice& po);

}  // namespace mspo
