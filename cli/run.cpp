#include "mspo/cli/run.hpp"

#include <chrono>
#include <iostream>
#include <new>
#include <streambuf>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/log_file.hpp"
#include "mspo/safety/output_file.hpp"
#include "mspo/report/safe_text.hpp"

namespace mspo::cli {

namespace {

// --json is a switch without a value, so a literal "--json" before "--" is
// the option, whether or not the rest of the command line parses.
bool json_requested(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--") break;
        if (a == "--json") return true;
    }
    return false;
}

// Passes what the body writes to stdout straight through and counts it, so
// run_tool knows whether a report was written before an error.
class CountingBuf : public std::streambuf {
public:
    explicit CountingBuf(std::streambuf* inner) : inner_(inner) {}
    std::uint64_t count() const noexcept { return count_; }

protected:
    int_type overflow(int_type ch) override {
        if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
        if (inner_ == nullptr ||
            traits_type::eq_int_type(inner_->sputc(traits_type::to_char_type(ch)), traits_type::eof()))
            return traits_type::eof();
        ++count_;
        return ch;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        const std::streamsize done = inner_ == nullptr ? 0 : inner_->sputn(s, n);
        count_ += static_cast<std::uint64_t>(done);
        return done;
    }
    int sync() override { return inner_ != nullptr && inner_->pubsync() == 0 ? 0 : -1; }

private:
    std::streambuf* inner_;
    std::uint64_t count_ = 0;
};

// Puts a CountingBuf under `out` for the duration of run_tool, keeping the
// stream's state (rdbuf() would clear it), and puts the original back.
class StdoutCounter {
public:
    explicit StdoutCounter(std::ostream& out) : out_(out), buf_(out.rdbuf()), old_(out.rdbuf()) {
        const auto state = out.rdstate();
        out.rdbuf(&buf_);
        out.setstate(state);
    }
    StdoutCounter(const StdoutCounter&) = delete;
    StdoutCounter& operator=(const StdoutCounter&) = delete;
    ~StdoutCounter() {
        const auto state = out_.rdstate();
        out_.rdbuf(old_);
        out_.setstate(state);
    }
    std::uint64_t count() const noexcept { return buf_.count(); }

private:
    std::ostream& out_;
    CountingBuf buf_;
    std::streambuf* old_;
};

void write_error_json(std::ostream& out, const std::string& tool,
                      const std::optional<std::string>& postoffice, const std::exception& e, int code) {
    JsonWriter w(out);
    w.begin_object();
    w.text("tool", tool);
    w.optional_text("postoffice", postoffice ? std::optional<std::string_view>(*postoffice) : std::nullopt);
    w.key("error");
    write_error_object(w, e);
    w.number("exit_code", static_cast<std::uint64_t>(code));
    w.end_object();
    w.finish();
}

}  // namespace

void write_error_object(JsonWriter& w, const std::exception& e) {
    const auto* error = dynamic_cast<const Error*>(&e);
    std::string errc = "internal";
    std::string message = std::string("internal error: ") + e.what();
    if (error != nullptr) {
        errc = errc_name(error->code());
        message = error->what();
    } else if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
        errc = "out_of_memory";
        message = "out of memory";
    }
    w.begin_object();
    w.text("errc", errc);
    w.text("message", message);
    const bool has_file = error != nullptr && !error->file().empty();
    const std::string file = has_file ? os::path_text(error->file()) : std::string();
    w.optional_text("file", has_file ? std::optional<std::string_view>(file) : std::nullopt);
    w.optional_number("offset", error != nullptr ? error->offset() : std::nullopt);
    w.number("changes_made", error != nullptr ? error->changes_made() : 0);
    const bool undo = error != nullptr && !error->undo_snapshot().empty();
    const std::string undo_snapshot = undo ? os::path_text(error->undo_snapshot()) : std::string();
    w.optional_text("undo_snapshot", undo ? std::optional<std::string_view>(undo_snapshot) : std::nullopt);
    w.end_object();
}

std::string error_line(const std::string& tool, const std::exception& e) {
    if (dynamic_cast<const Error*>(&e) != nullptr) return terminal_safe(tool + ": error: " + e.what());
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr)
        return terminal_safe(tool + ": error: out of memory");
    return terminal_safe(tool + ": error: internal error: " + e.what());
}

void install_interrupt_handlers() { os::install_stop_handlers(); }

int run_tool(const ToolSpec& spec, const po::options_description& extra, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err, const std::function<int(const Parsed&)>& body) {
    const bool json = json_requested(args);
    const auto start = std::chrono::steady_clock::now();
    bool verbose = false;
    std::shared_ptr<LogFile> log;
    std::optional<std::string> postoffice;
    StdoutCounter counter(out);

    const auto fail = [&](const std::exception& e, int code) {
        out.flush();
        const std::string line = error_line(spec.name, e);
        err << line << '\n';
        const auto* error = dynamic_cast<const Error*>(&e);
        if (error != nullptr && error->code() == Errc::usage)
            err << "Try '" << terminal_safe(spec.name) << " --help' for more information.\n";
        if (log) {
            // A log that cannot be written must not hide the original error.
            try {
                log->append_text(spec.name, line);
            } catch (const std::exception& le) { err << error_line(spec.name, le) << '\n'; }
        }
        if (json && counter.count() == 0) {
            write_error_json(out, spec.name, postoffice, e, code);
            out.flush();
        }
        if (verbose)
            err << terminal_safe(spec.name) << ": timing: total "
                << seconds_text(std::chrono::steady_clock::now() - start) << " s\n";
        return code;
    };

    int code = kClean;
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
        verbose = p.common.verbose;
        postoffice = p.positional("POSTOFFICE");
        // Every output is opened and checked before anything is done.
        if (p.common.log_file) {
            if (postoffice && path_inside(*postoffice, *p.common.log_file))
                throw Error(Errc::unsafe_path, "--log is inside the postoffice; nothing changed",
                            *p.common.log_file);
            p.common.log = log = LogFile::open(*p.common.log_file);
        }
        // The contract: a tool given a folder that is not a postoffice
        // exits 8 before it reads or writes anything.
        if (postoffice) require_postoffice(*postoffice);
        code = body(p);
        out.flush();
        if (!out) {
            // The report is lost; the exit code still says whether changes were made.
            if (interrupted())
                return fail(
                    Error(Errc::interrupted, "interrupted while writing the report to standard output"),
                    kInterrupted | (code & kFixed));
            return fail(Error(Errc::io, "cannot write the report to standard output"),
                        kOperational | (code & kFixed));
        }
        if (verbose)
            err << terminal_safe(spec.name) << ": timing: total "
                << seconds_text(std::chrono::steady_clock::now() - start) << " s\n";
        return code;
    } catch (const Error& e) { return fail(e, exit_code_for(e)); } catch (const std::exception& e) {
        return fail(e, kOperational);
    }
}

int run_tool(const ToolSpec& spec, const po::options_description& extra, int argc, char** argv,
             const std::function<int(const Parsed&)>& body) {
    install_interrupt_handlers();
    return run_tool(spec, extra, os::command_line(argc, argv), std::cout, std::cerr, body);
}

}  // namespace mspo::cli
