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

bool has_unfixed_damage(const Findings& findings) noexcept {
    for (const auto& f : findings)
        if (f.severity == Severity::error && !f.fixed) return true;
    return false;
}

}  // namespace mspo
