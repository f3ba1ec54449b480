#include "mspo/safety/tool_scope.hpp"

#include <array>

#include "mspo/format/layout.hpp"

namespace mspo {

namespace {

// Folders: the tool may change files in them and in folders below them.
constexpr std::array<std::string_view, 1> kP1cleanFolders{"P1"};
constexpr std::array<std::string_view, 3> kPalfixFolders{"NME", "GRP", "GLB"};
constexpr std::array<std::string_view, 3> kMbgsplitFolders{"MBG", "KEY", "MAI"};
constexpr std::array<std::string_view, 1> kMbgsplitFiles{"GLB/CONTROL.GLB"};
// pocheck --fix's own repairs: MAI reference counters and CONTROL.GLB's counters
// (the fixers it runs write snapshots under their own names).
constexpr std::array<std::string_view, 1> kPocheckFolders{"MAI"};
constexpr std::array<std::string_view, 1> kPocheckFiles{"GLB/CONTROL.GLB"};

constexpr std::array<ToolScope, 4> kScopes{{
    {"p1clean", kP1cleanFolders, {}},
    {"palfix", kPalfixFolders, {}},
    {"mbgsplit", kMbgsplitFolders, kMbgsplitFiles},
    {"pocheck", kPocheckFolders, kPocheckFiles},
}};

}  // namespace

std::span<const ToolScope> tool_scopes() noexcept { return kScopes; }

const ToolScope* find_tool_scope(std::string_view tool) noexcept {
    for (const auto& s : kScopes)
        if (s.tool == tool) return &s;
    return nullptr;
}

std::string_view scope_tool(std::string_view tool, std::string_view undoes) noexcept {
    return tool == "porestore" ? undoes : tool;
}

bool in_tool_scope(std::string_view tool, std::string_view undoes, std::string_view relpath) {
    const ToolScope* scope = find_tool_scope(scope_tool(tool, undoes));
    if (scope == nullptr) return false;
    const std::string path = to_upper(relpath);
    for (auto file : scope->files)
        if (path == file) return true;
    for (auto folder : scope->folders)
        if (path.size() > folder.size() + 1 && path.compare(0, folder.size(), folder) == 0 &&
            path[folder.size()] == '/')
            return true;
    return false;
}

std::string describe_tool_scope(std::string_view tool, std::string_view undoes) {
    const ToolScope* scope = find_tool_scope(scope_tool(tool, undoes));
    if (scope == nullptr) return "nothing";
    std::string text;
    for (auto folder : scope->folders) text += (text.empty() ? "" : ", ") + std::string(folder);
    for (auto file : scope->files) text += (text.empty() ? "" : ", ") + std::string(file);
    return text;
}

}  // namespace mspo
