// The --log transcript: opened once, before a tool does anything, and kept
// open, so a log that cannot be written is found before the first change
// and a name swapped meanwhile does not matter.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "mspo/report/report.hpp"

namespace mspo {

class LogFile {
public:
    /// Opens `path` for appending, creating it if needed. Never blocks and
    /// never writes to anything but a regular file: a FIFO, folder, device
    /// or socket (or a link to one) is refused with Error{unsafe_path} naming
    /// what it is; any other failure is Error{io}.
    static std::shared_ptr<LogFile> open(const std::filesystem::path& path);

    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;
    ~LogFile();

    const std::filesystem::path& path() const noexcept;

    /// Appends "==== <UTC time> <tool> <postoffice>", write_text(report,
    /// options), and a blank line. Throws Error{io} if the write fails.
    void append(const Report& report, const TextOptions& options = {});
    /// Appends "==== <UTC time> <tool>", `text` (terminal_safe, its newlines
    /// kept) ending in a newline, and a blank line. Throws Error{io}.
    void append_text(std::string_view tool, std::string_view text);

private:
    struct Impl;
    explicit LogFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mspo
