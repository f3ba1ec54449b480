// Tables for people and for spreadsheets: aligned text columns (the finding
// table of every report, listuser's account list) and CSV rows.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace mspo {

enum class Align { left, right };

struct Column {
    std::string title;
    Align align = Align::left;
};

/// An aligned text table written row by row, so memory does not grow with the
/// number of rows: measure() every row first, then write_titles() and
/// write_row() for each. Cells are given raw and shown terminal_safe();
/// widths count code points. Columns are two spaces apart, the last column is
/// not padded and trailing spaces are dropped. Every row has as many cells as
/// there are columns (missing cells are empty, extra ones ignored).
class TextTable {
public:
    /// `titles`: the title row is shown and counts for the widths.
    TextTable(std::vector<Column> columns, bool titles);

    void measure(const std::vector<std::string>& cells);
    /// The title row, or nothing if the table has no titles.
    void write_titles(std::ostream& out) const;
    void write_row(std::ostream& out, const std::vector<std::string>& cells) const;

private:
    std::string line(const std::vector<std::string>& safe_cells) const;

    std::vector<Column> columns_;
    std::vector<std::size_t> widths_;
    bool titles_;
};

/// Terminal columns taken by valid UTF-8 text: one per code point.
std::size_t text_width(std::string_view utf8) noexcept;

/// One CSV cell (RFC 4180) that is safe to open in a spreadsheet: a cell
/// that would start with '=', '+', '-', '@', tab or CR gets a leading '\''
/// (so it is never run as a formula); then it is made terminal_safe(), and
/// quoted if it holds ',', '"', CR or LF or starts or ends with a space.
std::string csv_cell(std::string_view raw);

/// The cells as one CSV record, comma-separated, ending in CRLF.
void write_csv_row(std::ostream& out, const std::vector<std::string>& cells);

}  // namespace mspo
