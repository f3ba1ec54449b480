// A finding: one piece of damage (or a note) that a check found, and what was
// done about it. Every tool reports in these terms; report.hpp renders them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mspo {

enum class Severity { info, warning, error };

const char* severity_name(Severity s) noexcept;

struct Finding {
    std::string check;                    // stable check id, e.g. "access.count-mismatch"
    Severity severity = Severity::error;  // error = damage; warning = risk; info = note
    std::string file;                     // path relative to the postoffice root, e.g. "GLB/ACCESS2.GLB"
    std::optional<std::uint64_t> record;  // record index (0-based), where one applies
    std::optional<std::uint64_t> offset;  // byte offset in the file, where one applies
    std::string message;                  // one line, plain text, UTF-8
    std::string action;                   // what was (or would be) done; empty if nothing
    bool fixed = false;                   // true once the action has been applied
};

using Findings = std::vector<Finding>;

/// True if any finding is a damage finding (severity error) left unfixed.
bool has_unfixed_damage(const Findings& findings) noexcept;

}  // namespace mspo
