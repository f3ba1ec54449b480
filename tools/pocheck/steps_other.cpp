// pocheck's checklist after KB Q237695's six steps (steps_kb.cpp): every
// other check of the library (run_checks) and the model report (the KEY
// model test, the NME model fit), and run_steps, which walks them all.
// See steps.hpp.
#include <set>

#include "mspo/checks/check.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/report/safe_text.hpp"
#include "steps.hpp"

namespace mspo::pocheck {

namespace detail {

std::string count(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string shell_arg(const std::string& path) { return shell_word(path); }

void cannot_tell(Step& step, const Error& e, const Postoffice& po) {
    step.verdict = Verdict::cannot_tell;
    std::string what = e.what();
    if (!e.file().empty()) what = po.relative(e.file()) + ": " + what;
    step.saw.push_back("cannot tell: " + what);
}

}  // namespace detail

namespace {

using namespace detail;

std::string repairer_command(Repairer r, const std::string& po) {
    switch (r) {
        case Repairer::p1clean:
            return "p1clean " + po;
        case Repairer::palfix:
            return "palfix " + po;
        case Repairer::mbgsplit:
            return "mbgsplit " + po;
        case Repairer::pocheck_fix:
            return "pocheck --fix " + po;
        default:
            return "";
    }
}

Step step_other(const Postoffice& po, Builder& b) {
    const StepHead head{
        7, "Every other check (folders, sizes, shadows, KEY/MBG pairs, counters, MAI references)",
        "every other check"};
    return run_step(po, b, head, [&](Step& s) {
        Findings all = run_checks(po);
        std::uint64_t already = 0;
        std::set<std::string> fixes;
        bool manual = false;
        // Which findings an earlier step showed, decided before this step adds
        // any: a second finding of one check on one file here is not "shown above".
        std::vector<bool> earlier;
        earlier.reserve(all.size());
        for (const auto& f : all) earlier.push_back(b.shown(f));
        for (std::size_t k = 0; k < all.size(); ++k) {
            Finding& f = all[k];
            if (earlier[k]) {
                ++already;
                continue;
            }
            const std::string cmd = repairer_command(check_row(f.code).repairer, b.po());
            if (f.severity == Severity::error) {
                if (cmd.empty())
                    manual = true;
                else
                    fixes.insert(cmd);
            }
            b.add(s, std::move(f));
        }
        s.saw.push_back(count(all_checks().size(), "check", "checks") + " run: " +
                        count(s.findings.size(), "finding", "findings") + " not shown in a step above" +
                        (already ? ", " + std::to_string(already) + " shown above" : std::string()));
        std::string fix;
        for (const auto& c : fixes) fix += (fix.empty() ? "" : "; ") + c;
        if (manual)
            fix += std::string(fix.empty() ? "" : "; ") +
                   "manual: the findings below name the files (docs/FORMATS.md, \"Postoffice checks\")";
        return fix;
    });
}

Step step_models(const Postoffice& po, Builder& b, const BookFits& fits, const Step& address) {
    Step s =
        begin_step({8, "Model report: how the NME files and KEY bitmaps fit our models", "model report"});
    bool key_tested = false;
    KeyModelFit fit;
    try {
        fit = test_key_model(po);
        key_tested = true;
        s.saw.push_back(std::string("KEY model ") + key_model_verdict_name(fit.verdict) + ": " + fit.text);
        b.add(s, check_key_model(po, fit));
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    if (fits.loaded) {
        for (const auto& line : fits.lines) s.saw.push_back("NME model: " + line);
        // The nme.model-mismatch findings step 5 showed, referred to again here.
        for (std::size_t i : address.findings)
            if (b.check_of(i) == "nme.model-mismatch") s.findings.push_back(i);
    } else {
        s.saw.push_back("NME model: cannot tell (step 5 could not read the address lists)");
    }
    const bool contradicted =
        (key_tested && fit.verdict == KeyModelFit::Verdict::contradicted) || fits.contradicts;
    if (contradicted) {
        s.verdict = Verdict::problem;
        s.fix =
            "manual: a file that contradicts our model is more likely read wrongly than damaged; the "
            "fixers change nothing in it (palfix --rebuild-pol rebuilds the POL anyway); report it";
    } else if (!key_tested || !fits.loaded || fit.verdict == KeyModelFit::Verdict::inconclusive) {
        s.verdict = Verdict::cannot_tell;
        if (key_tested && fit.verdict == KeyModelFit::Verdict::inconclusive)
            s.saw.push_back(
                "cannot tell whether the KEY model fits: too little evidence in the MAI counters");
    }
    return s;
}

}  // namespace

Checklist run_steps(const Postoffice& po, const Options& options) {
    Builder b(options);
    std::vector<Step> steps;
    steps.push_back(step_access(po, b));
    steps.push_back(step_p1(po, options, b));
    steps.push_back(step_external(po, options, b));
    steps.push_back(step_accounts(po, b));
    BookFits fits;
    steps.push_back(step_address(po, b, fits));
    steps.push_back(step_mailbags(po, b));
    steps.push_back(step_other(po, b));
    steps.push_back(step_models(po, b, fits, steps[4]));
    return b.done(std::move(steps));
}

}  // namespace mspo::pocheck
