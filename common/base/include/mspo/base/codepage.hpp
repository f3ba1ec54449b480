// CP850 (the postoffice's code page) <-> UTF-8, and the character rules of
// each kind of text field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mspo {

/// Unicode code point of one CP850 byte.
char32_t cp850_to_unicode(std::uint8_t byte) noexcept;

/// Decodes raw CP850 bytes to UTF-8. Control bytes (0x01..0x1F, 0x7F) are
/// shown as U+FFFD so a damaged name can never move a terminal's cursor.
std::string cp850_to_utf8(std::string_view cp850);

/// Encodes UTF-8 to CP850. Returns nullopt if the text is not valid UTF-8 or
/// holds a character CP850 lacks.
std::optional<std::string> utf8_to_cp850(std::string_view utf8);

enum class TextField {
    mailbox,    // mailbox name: 10 chars; letters, digits, CP850 128..144 and 149..255 (MAPI "MS" rules, KB
                // Q199676)
    full_name,  // alias / full name: 30 chars of printable text
    network,    // network or postoffice name: 10 chars, mailbox rules
    subject,    // mailbag subject: 40 chars of printable text
};

/// Maximum length in bytes of each field kind (10 or 30 or 40).
std::size_t max_length(TextField field) noexcept;

/// True if `byte` may appear in a field of this kind. NUL never may.
bool is_valid_char(TextField field, std::uint8_t byte) noexcept;

/// Index of the first byte of `cp850` that is not valid for `field`, or
/// nullopt if every byte is valid. Length is not checked here.
std::optional<std::size_t> first_invalid_char(TextField field, std::string_view cp850) noexcept;

}  // namespace mspo
