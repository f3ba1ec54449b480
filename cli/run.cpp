#include "mspo/cli/run.hpp"

#include <csignal>
#include <iostream>
#include <new>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/report/report.hpp"

namespace mspo::cli {

namespace {

extern "C" void on_stop_signal(int /*signo*/) { mspo::request_interrupt(); }

// Appends the error to --log, if there is one; a log that cannot be written
// must not hide the original error, so that failure is only mentioned.
void log_error(const std::optional<std::filesystem::path>& log, const std::string& tool,
               const std::string& line, std::ostream& err) {
    if (!log) return;
    try {
        append_log_text(*log, tool, line);
    } catch (const std::exception& e) { err << error_line(tool, e) << '\n'; }
}

}  // namespace

std::string error_line(const std::string& tool, const std::exception& e) {
    if (dynamic_cast<const Error*>(&e) != nullptr) return tool + ": error: " + e.what();
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return tool + ": error: out of memory";
    return tool + ": error: internal error: " + e.what();
}

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = static_cast<int>(SA_RESETHAND);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int run_tool(const ToolSpec& spec, const po::options_description& extra, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err, const std::function<int(const Parsed&)>& body) {
    std::optional<std::filesystem::path> log;
    try {
        Parsed p = parse_command_line(spec, extra, args);
        if (p.common.help) {
            out << usage_text(spec, extra);
            return kClean;
        }
        if (p.common.version) {
            out << version_text(spec);
            return kClean;
        }
        log = p.common.log_file;
        // The contract: a tool given a folder that is not a postoffice
        // exits 8 before it reads or writes anything.
        if (const auto po_arg = p.positional("POSTOFFICE")) require_postoffice(*po_arg);
        const int code = body(p);
        out.flush();
        if (!out) throw Error(Errc::io, "cannot write the report to standard output");
        return code;
    } catch (const Error& e) {
        out.flush();
        const std::string line = error_line(spec.name, e);
        err << line << '\n';
        if (e.code() == Errc::usage) err << "Try '" << spec.name << " --help' for more information.\n";
        log_error(log, spec.name, line, err);
        return exit_code_for(e);
    } catch (const std::exception& e) {
        out.flush();
        const std::string line = error_line(spec.name, e);
        err << line << '\n';
        log_error(log, spec.name, line, err);
        return kOperational;
    }
}

int run_tool(const ToolSpec& spec, const po::options_description& extra, int argc, char** argv,
             const std::function<int(const Parsed&)>& body) {
    install_interrupt_handlers();
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return run_tool(spec, extra, args, std::cout, std::cerr, body);
}

}  // namespace mspo::cli
