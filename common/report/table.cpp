#include "mspo/report/table.hpp"

#include <algorithm>
#include <ostream>

#include "mspo/report/safe_text.hpp"

namespace mspo {

std::size_t text_width(std::string_view utf8) noexcept {
    return static_cast<std::size_t>(std::count_if(
        utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns, bool titles)
    : columns_(std::move(columns)), widths_(columns_.size(), 0), titles_(titles) {
    if (titles_)
        for (std::size_t i = 0; i < columns_.size(); ++i)
            widths_[i] = text_width(terminal_safe(columns_[i].title));
}

void TextTable::measure(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < widths_.size() && i < cells.size(); ++i)
        widths_[i] = std::max(widths_[i], text_width(terminal_safe(cells[i])));
}

std::string TextTable::line(const std::vector<std::string>& safe_cells) const {
    std::string s;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        const std::string& cell = i < safe_cells.size() ? safe_cells[i] : std::string();
        const std::size_t have = text_width(cell);
        const std::size_t pad = widths_[i] > have ? widths_[i] - have : 0;
        const bool last = i + 1 == columns_.size();
        if (columns_[i].align == Align::right) s.append(pad, ' ');
        s += cell;
        if (!last) {
            if (columns_[i].align == Align::left) s.append(pad, ' ');
            s += "  ";
        }
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
}

void TextTable::write_titles(std::ostream& out) const {
    if (!titles_) return;
    std::vector<std::string> t;
    t.reserve(columns_.size());
    for (const auto& c : columns_) t.push_back(terminal_safe(c.title));
    out << line(t);
}

void TextTable::write_row(std::ostream& out, const std::vector<std::string>& cells) const {
    std::vector<std::string> safe;
    safe.reserve(cells.size());
    for (const auto& c : cells) safe.push_back(terminal_safe(c));
    out << line(safe);
}

std::string csv_cell(std::string_view raw) {
    std::string cell;
    if (!raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos) cell = "'";
    cell += terminal_safe(raw);
    const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos ||
                       (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
    if (!quote) return cell;
    std::string q = "\"";
    for (char ch : cell) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_cell(cells[i]);
    out << "\r\n";
}

}  // namespace mspo
