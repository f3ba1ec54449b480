// What each tool's snapshots may put back: the one table of the folders (and
// single files) every fixer may change. A snapshot is untrusted input: a
// hand-made "p1clean" snapshot must not be able to delete GLB/ACCESS2.GLB, so
// porestore restores only paths inside the scope of the tool named in the
// snapshot's manifest (docs/RELIABILITY.md, "Restore rules"), unless --force.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace mspo {

/// One row of the table.
struct ToolScope {
    std::string_view tool;
    /// Folders (relative, upper case) whose files, in the folder or any
    /// folder below it, the tool may change.
    std::span<const std::string_view> folders;
    /// Single files (relative, upper case) the tool may change.
    std::span<const std::string_view> files;
};

/// The whole table, in a fixed order (p1clean, palfix, mbgsplit, pocheck). porestore
/// is not a row: its own (undo) snapshots may touch what the snapshot they
/// undo may touch.
std::span<const ToolScope> tool_scopes() noexcept;

/// The row of `tool` (exact name), or nullptr if the tool is not in the table.
const ToolScope* find_tool_scope(std::string_view tool) noexcept;

/// The tool whose row governs a snapshot written by `tool`: `undoes` for
/// porestore's own snapshots, else `tool` itself.
std::string_view scope_tool(std::string_view tool, std::string_view undoes) noexcept;

/// True if `relpath` ('/'-separated; compared case-insensitively) is inside
/// the scope of the tool governing a snapshot of (tool, undoes). A tool not in
/// the table may change nothing.
bool in_tool_scope(std::string_view tool, std::string_view undoes, std::string_view relpath);

/// "P1", "NME, GRP, GLB", ... for messages; "nothing" for an unknown tool.
std::string describe_tool_scope(std::string_view tool, std::string_view undoes);

}  // namespace mspo
