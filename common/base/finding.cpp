#include "mspo/base/finding.hpp"

namespace mspo {

const char* severity_name(Severity s) noexcept {
    switch (s) {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "error";
}

Finding::Finding(CheckId c) noexcept : code(c), check(check_row(c).id), severity(check_row(c).severity) {}

Finding make_finding(CheckId code, std::string file, std::optional<std::uint64_t> record,
                     std::optional<std::uint64_t> offset, std::string message) {
    Finding f(code);
    f.file = std::move(file);
    f.record = record;
    f.offset = offset;
    f.message = std::move(message);
    return f;
}

Finding make_finding(CheckId code, std::string file, std::string message) {
    return make_finding(code, std::move(file), std::nullopt, std::nullopt, std::move(message));
}

bool has_unfixed_damage(const Findings& findings) noexcept {
    for (const auto& f : findings)
        if (f.severity == Severity::error && !f.fixed) return true;
    return false;
}

}  // namespace mspo
