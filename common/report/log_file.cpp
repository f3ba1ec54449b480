#include "mspo/report/log_file.hpp"

#include <array>
#include <exception>
#include <ostream>
#include <streambuf>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/base/time.hpp"
#include "mspo/report/safe_text.hpp"

namespace mspo {

namespace {

// An output buffer over a file handle: text is written in 64 KiB pieces, so
// a long transcript is never held whole. The first write error is kept and
// rethrown by finish().
class HandleBuf : public std::streambuf {
public:
    HandleBuf(const platform::Handle& file, const std::filesystem::path& shown) : file_(file), shown_(shown) {
        setp(buf_.data(), buf_.data() + buf_.size());
    }

    void finish() {
        flush();
        if (error_) std::rethrow_exception(error_);
    }

protected:
    int_type overflow(int_type ch) override {
        if (!flush()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override { return flush() ? 0 : -1; }

private:
    bool flush() {
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        setp(buf_.data(), buf_.data() + buf_.size());
        if (error_) return false;
        try {
            platform::write_all(file_, ByteSpan(reinterpret_cast<const std::uint8_t*>(buf_.data()), n),
                                shown_);
        } catch (...) {
            error_ = std::current_exception();
            return false;
        }
        return true;
    }

    const platform::Handle& file_;
    const std::filesystem::path& shown_;
    std::array<char, 65536> buf_{};
    std::exception_ptr error_;
};

std::string header(std::string_view tool, std::string_view postoffice) {
    std::string h = "==== " + utc_now_text() + " " + terminal_safe(tool);
    if (!postoffice.empty()) h += " " + terminal_safe(postoffice);
    return h + "\n";
}

}  // namespace

struct LogFile::Impl {
    std::filesystem::path path;
    platform::Handle file;

    template <class Write>
    void append(Write&& write) {
        HandleBuf buf(file, path);
        std::ostream out(&buf);
        write(out);
        out.flush();
        try {
            buf.finish();
        } catch (const Error& e) {
            throw Error(Errc::io, "cannot append to the log (" + e.detail() + ")", path);
        }
    }
};

LogFile::LogFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogFile::~LogFile() = default;

std::shared_ptr<LogFile> LogFile::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    try {
        impl->file = platform::open_append_regular(path);
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        throw Error(e.code() == Errc::unsafe_path ? Errc::unsafe_path : Errc::io,
                    "cannot use the log: " + e.detail(), path);
    }
    return std::shared_ptr<LogFile>(new LogFile(std::move(impl)));
}

const std::filesystem::path& LogFile::path() const noexcept { return impl_->path; }

void LogFile::append(const Report& report, const TextOptions& options) {
    impl_->append([&](std::ostream& out) {
        out << header(report.tool, report.postoffice);
        write_text(out, report, options);
        out << '\n';
    });
}

void LogFile::append_text(std::string_view tool, std::string_view text) {
    std::string body = terminal_safe(text, true);
    if (!body.empty() && body.back() != '\n') body += '\n';
    impl_->append([&](std::ostream& out) { out << header(tool, "") << body << '\n'; });
}

}  // namespace mspo
