// How bad a finding is. Only errors count as damage (they set exit bits);
// warnings are risks or things kept on purpose; info is a note.
#pragma once

namespace mspo {

enum class Severity { info, warning, error };

/// "info", "warning" or "error".
const char* severity_name(Severity s) noexcept;

}  // namespace mspo
