// The parts of pocheck's checklist that its two halves share: steps_kb.cpp
// (KB Q237695's six steps) and steps_other.cpp (every other check, the model
// report, run_steps). The Builder shows each finding once; run_step is the
// skeleton of a step (its body, the verdict from the findings it showed, and
// "cannot tell" when the library refuses to read something). Tool-internal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"
#include "pocheck.hpp"

namespace mspo::pocheck::detail {

/// "1 file", "2 files".
std::string count(std::uint64_t n, const char* one, const char* many);

/// The postoffice as the user gave it, quoted where a shell would split it.
std::string shell_arg(const std::string& path);

class Builder {
public:
    explicit Builder(const Options& options) : po_arg_(shell_arg(options.common.postoffice.string())) {}

    const std::string& po() const { return po_arg_; }

    /// Adds `f` to the step (once to the checklist: a finding an earlier
    /// step showed is referred to again, not repeated).
    void add(Step& step, Finding f) {
        f.action.clear();  // pocheck does nothing: the step says what fixes it
        auto key = std::make_tuple(std::string(f.check), f.file, f.record, f.offset, f.message);
        const auto it = index_.find(key);
        std::size_t i = 0;
        if (it != index_.end()) {
            i = it->second;
        } else {
            i = list_.findings.size();
            shown_.insert({std::string(f.check), f.file});
            list_.findings.push_back(std::move(f));
            index_.emplace(std::move(key), i);
        }
        step.findings.push_back(i);
    }
    void add(Step& step, Findings fs) {
        for (auto& f : fs) add(step, std::move(f));
    }
    /// True if a step already showed a finding of this check on this file.
    bool shown(const Finding& f) const { return shown_.count({std::string(f.check), f.file}) != 0; }

    bool step_has_error(const Step& step) const {
        for (std::size_t i : step.findings)
            if (list_.findings[i].severity == Severity::error) return true;
        return false;
    }
    std::size_t step_count(const Step& step, std::string_view check) const {
        std::size_t n = 0;
        for (std::size_t i : step.findings)
            if (list_.findings[i].check == check) ++n;
        return n;
    }

    std::string_view check_of(std::size_t i) const { return list_.findings[i].check; }

    Checklist done(std::vector<Step> steps) {
        list_.steps = std::move(steps);
        return std::move(list_);
    }

private:
    std::string po_arg_;
    Checklist list_;
    std::map<std::tuple<std::string, std::string, std::optional<std::uint64_t>, std::optional<std::uint64_t>,
                        std::string>,
             std::size_t>
        index_;
    std::set<std::pair<std::string, std::string>> shown_;
};

/// A step that could not be judged: the library refused to read something.
void cannot_tell(Step& step, const Error& e, const Postoffice& po);

/// A step's number (1-6: KB Q237695's; 7 and 8 follow), its title on the
/// checklist and its short name in the report's summary.
struct StepHead {
    int number;
    const char* title;
    const char* name;
};

/// A step with its head filled in, verdict ok, nothing seen yet.
inline Step begin_step(const StepHead& head) {
    Step s;
    s.number = head.number;
    s.title = head.title;
    s.name = head.name;
    return s;
}

/// One step: `body(step)` records what it saw and adds its findings, and
/// returns the fix for when the step shows a finding of severity error (the
/// verdict is then problem). An Error from `body` makes the step "cannot
/// tell" with `unreadable_fix` as its fix; Error{interrupted} is rethrown.
template <class Body>
Step run_step(const Postoffice& po, Builder& b, const StepHead& head, Body&& body,
              std::string unreadable_fix = {}) {
    Step s = begin_step(head);
    try {
        std::string fix = body(s);
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            s.fix = std::move(fix);
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
        s.fix = std::move(unreadable_fix);
    }
    return s;
}

/// How well the address lists fit our NME model: step 5 finds it, the model
/// report (step 8) shows it.
struct BookFits {
    bool loaded = false;
    std::vector<std::string> lines;  // one per file judged: "NME/ADMIN.NME: 0 of 13 records do not fit"
    bool contradicts = false;
};

// KB Q237695's steps (steps_kb.cpp), in the checklist's order.
Step step_access(const Postoffice& po, Builder& b);
Step step_p1(const Postoffice& po, const Options& options, Builder& b);
/// Throws Error if the program --external names cannot be read.
Step step_external(const Postoffice& po, const Options& options, Builder& b);
Step step_accounts(const Postoffice& po, Builder& b);
Step step_address(const Postoffice& po, Builder& b, BookFits& fits);
Step step_mailbags(const Postoffice& po, Builder& b);

}  // namespace mspo::pocheck::detail
