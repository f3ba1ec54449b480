#include "mspo/format/file_rules.hpp"

namespace mspo {

std::optional<std::string> size_violation(const SizeRule& rule, std::uint64_t size) {
    const std::string sz = std::to_string(size);
    if (rule.record == 0) {
        if (size != rule.header)
            return "size " + sz + " is not the fixed " + std::to_string(rule.header) + " bytes";
        return std::nullopt;
    }
    if (size < rule.header)
        return "size " + sz + " is shorter than the " + std::to_string(rule.header) + "-byte header";
    if (rule.max_size != 0 && size > rule.max_size)
        return "size " + sz + " is over the maximum of " + std::to_string(rule.max_size) + " bytes";
    const std::uint64_t body = size - rule.header;
    if (body % rule.record != 0) {
        std::string head = rule.header
                               ? "size - " + std::to_string(rule.header) + " = " + std::to_string(body)
                               : "size " + sz;
        return head + " is not a multiple of " + std::to_string(rule.record) + " (" +
               std::to_string(body / rule.record) + " records and " + std::to_string(body % rule.record) +
               " bytes over)";
    }
    return std::nullopt;
}

std::uint64_t whole_records(const SizeRule& rule, std::uint64_t size) noexcept {
    if (rule.record == 0 || size < rule.header) return 0;
    return (size - rule.header) / rule.record;
}

}  // namespace mspo
