#include "mspo/checks/quarantine_text.hpp"

#include <array>

namespace mspo {

namespace {

constexpr std::string_view kEol = "\r\n";
constexpr std::size_t kAddressColumn = 34;  // 1-based, KB Q99419

bool is_control(unsigned char c) noexcept { return c < 0x20 || c == 0x7F; }

std::string hex_byte(unsigned char c) {
    static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    return {digits[c >> 4], digits[c & 0x0F]};
}

std::string hex(const Bytes& raw) {
    std::string out;
    out.reserve(raw.size() * 2);
    for (auto b : raw) out += hex_byte(b);
    return out;
}

/// "A <alias padded to column 34><address>"
std::string import_line(char code, std::string_view alias, std::string_view address) {
    std::string line(1, code);
    line += ' ';
    line += alias;
    line.resize(kAddressColumn - 1, ' ');
    line += address;
    return line;
}

bool importable_address(std::string_view address) noexcept {
    if (address.empty() || address.size() > 128) return false;
    for (char ch : address) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_control(c) || c == ' ') return false;
    }
    return true;
}

std::string source_comment(const QuarantineEntry& e) {
    std::string line = "# " + comment_safe(e.file);
    if (e.record) line += " record " + std::to_string(*e.record);
    if (e.offset) line += " offset " + std::to_string(*e.offset);
    line += ": " + comment_safe(e.reason);
    if (!e.alias.empty()) line += ": alias \"" + comment_safe(e.alias) + "\"";
    if (!e.raw.empty()) line += ": " + hex(e.raw);
    return line;
}

bool importable(const QuarantineEntry& e) {
    if (e.kind == QuarantineEntry::Kind::external)
        return importable_name(e.alias) && importable_address(e.address);
    if (e.kind == QuarantineEntry::Kind::group) return importable_name(e.alias);
    return false;
}

/// A group's own address, as GIMPORT's sample writes it ("Test Group" ->
/// PCM:NET/PO/TestGroup): the alias's letters and digits, at most 10.
std::string group_address(std::string_view alias) {
    std::string name;
    for (char ch : alias) {
        const auto c = static_cast<unsigned char>(ch);
        if (name.size() < 10 && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            name += ch;
    }
    if (name.empty()) name = "GROUP";
    return std::string(kLocalAddressPrefix) + name;
}

void add(std::string& out, std::string_view line) {
    out += line;
    out += kEol;
}

}  // namespace

bool importable_name(std::string_view cp850) noexcept {
    if (cp850.empty() || cp850.size() > 30) return false;
    if (cp850.front() == ' ' || cp850.back() == ' ') return false;
    for (char ch : cp850) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_control(c)) return false;
    }
    return true;
}

std::string comment_safe(std::string_view cp850) {
    std::string out;
    out.reserve(cp850.size());
    for (char ch : cp850) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_control(c) || c == '\\')
            out += "\\x" + hex_byte(c);
        else
            out += static_cast<char>(c);
    }
    return out;
}

Bytes quarantine_text(const std::vector<QuarantineEntry>& entries, std::string_view postoffice,
                      std::string_view time_utc) {
    std::string out;
    add(out, "# - mspo palfix: address-list entries removed from " + comment_safe(postoffice));
    add(out, "# - Written: " + comment_safe(time_utc));
    add(out, "# - Format: KB Q99419 (code in column 1, alias from column 3, TYPE:address from column 34).");
    add(out, "# - The A lines before the first G line are external entries: IMPORT -a -f<this file>.");
    add(out, "# - Each G line and the A lines after it are a group and its members: GIMPORT -f<file>");
    add(out, "# -   (its members must be in the POL first; replace NETWORK/POSTOFFICE in local");
    add(out, "# -   members' addresses with this postoffice's names). # lines are what could not");
    add(out, "# -   be imported: file, record, reason and the record's bytes as hex.");

    bool any_external = false;
    for (const auto& e : entries) {
        if (e.kind != QuarantineEntry::Kind::external || !importable(e)) continue;
        if (!any_external) add(out, "");
        any_external = true;
        add(out, source_comment(e));
        add(out, import_line('A', e.alias, e.address));
    }
    for (const auto& e : entries) {
        if (e.kind != QuarantineEntry::Kind::group || !importable(e)) continue;
        add(out, "");
        add(out, source_comment(e));
        add(out, import_line('G', e.alias, group_address(e.alias)));
        for (const auto& m : e.members) {
            if (importable_name(m.alias) && importable_address(m.address))
                add(out, import_line('A', m.alias, m.address));
            else
                add(out, "# member not importable: alias \"" + comment_safe(m.alias) + "\" address \"" +
                             comment_safe(m.address) + "\"");
        }
    }
    bool any_comment = false;
    for (const auto& e : entries) {
        if (importable(e)) continue;
        if (!any_comment) add(out, "");
        any_comment = true;
        add(out, source_comment(e));
        for (const auto& m : e.members)
            add(out, "#   member: alias \"" + comment_safe(m.alias) + "\" address \"" +
                         comment_safe(m.address) + "\"");
    }
    return Bytes(out.begin(), out.end());
}

}  // namespace mspo
