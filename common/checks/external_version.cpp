// The version of External inside its program image (KB Q237695 step 3,
// Q111558). See external_version.hpp.
#include "mspo/checks/external_version.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "file_kind.hpp"
#include "version_resource.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace fs = std::filesystem;

namespace {

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }

/// Reads "N" (1..3 digits) at `i`; advances `i`. nullopt if no digit.
std::optional<unsigned> number_at(ByteSpan b, std::size_t& i) {
    std::size_t start = i;
    unsigned n = 0;
    while (i < b.size() && is_digit(b[i]) && i - start < 4) n = n * 10 + (b[i++] - '0');
    if (i == start || i - start > 3) return std::nullopt;
    return n;
}

struct Parsed {
    std::vector<unsigned> parts;
    std::size_t end = 0;
};

/// "N.N" or "N.N.N" at `i`, not part of a longer run of digits and dots.
std::optional<Parsed> dotted_at(ByteSpan b, std::size_t i) {
    if (i > 0 && (is_digit(b[i - 1]) || b[i - 1] == '.')) return std::nullopt;
    Parsed p;
    for (int k = 0; k < 3; ++k) {
        auto n = number_at(b, i);
        if (!n) return std::nullopt;
        p.parts.push_back(*n);
        if (k < 2 && i + 1 < b.size() && b[i] == '.' && is_digit(b[i + 1])) {
            ++i;
            continue;
        }
        break;
    }
    if (p.parts.size() < 2) return std::nullopt;
    if (i < b.size() && (is_digit(b[i]) || (b[i] == '.' && i + 1 < b.size() && is_digit(b[i + 1]))))
        return std::nullopt;
    p.end = i;
    return p;
}

bool word_at(ByteSpan b, std::size_t i, std::string_view word) {
    if (i + word.size() > b.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (std::tolower(b[i + k]) != word[k]) return false;
    return true;
}

std::string join(const std::vector<unsigned>& parts) {
    std::string s;
    for (std::size_t k = 0; k < parts.size(); ++k) s += (k ? "." : "") + std::to_string(parts[k]);
    return s;
}

std::string printable(ByteSpan b, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t k = from; k < to; ++k)
        s += (b[k] >= 0x20 && b[k] < 0x7F) ? static_cast<char>(b[k]) : '?';
    return s;
}

enum class ImageKind { none, mz, ne, pe };

struct Kind {
    ImageKind kind = ImageKind::none;
    std::uint32_t header = 0;  // e_lfanew: where the NE or PE header starts
    std::string name;
};

Kind image_kind(ByteSpan b) {
    if (b.size() < 2 || !((b[0] == 'M' && b[1] == 'Z') || (b[0] == 'Z' && b[1] == 'M'))) return {};
    if (b.size() >= 0x40) {
        const std::uint32_t lfanew = get_u32(b, 0x3C);
        if (lfanew >= 0x40 && static_cast<std::uint64_t>(lfanew) + 4 <= b.size()) {
            if (b[lfanew] == 'P' && b[lfanew + 1] == 'E' && b[lfanew + 2] == 0 && b[lfanew + 3] == 0)
                return {ImageKind::pe, lfanew, "Windows NT (PE)"};
            if (b[lfanew] == 'N' && b[lfanew + 1] == 'E') return {ImageKind::ne, lfanew, "Windows (NE)"};
        }
    }
    return {ImageKind::mz, 0, "MS-DOS (MZ)"};
}

/// The verdict of a version resource's FileVersion a.b.c.d.
void judge_resource(ExternalVersion& v, const checks_detail::FixedVersion& fixed) {
    const auto& f = fixed.file_version;
    v.source = ExternalVersion::Source::resource;
    v.version = join({f[0], f[1], f[2], f[3]});
    v.text = "FileVersion " + v.version;
    v.offset = fixed.offset;
    v.how = "FileVersion " + v.version + " in the version resource of the " + v.image +
            " image (VS_FIXEDFILEINFO at offset " + std::to_string(fixed.offset) + ")";
    const std::array<unsigned, 3>& m = kExternalMinimum;
    if (f[0] == m[0] && f[1] == m[1] && f[2] == 0 && f[3] != 0) {
        v.how += ": 3.2.0." + std::to_string(f[3]) +
                 " may carry its build number in the fourth place, so it may be older or newer than 3.2.18";
        return;
    }
    const std::array<unsigned, 3> have{f[0], f[1], f[2]};
    v.verdict = have < m ? ExternalVersion::Verdict::old : ExternalVersion::Verdict::ok;
}

/// The version string in the image, for an MS-DOS image and an NE or PE
/// image without a version resource.
void search_string(ExternalVersion& v, ByteSpan image, bool windows) {
    std::optional<Parsed> found;
    std::size_t at = 0;
    // "Version 3.2.18", "VERSION v3.2", "version 3.2.18".
    for (std::size_t i = 0; i + 7 < image.size() && !found; ++i) {
        if (!word_at(image, i, "version")) continue;
        std::size_t j = i + 7;
        while (j < image.size() && (image[j] == ' ' || image[j] == ':')) ++j;
        if (j < image.size() && (image[j] == 'v' || image[j] == 'V')) ++j;
        if (j < image.size() && is_digit(image[j]))
            if (auto p = dotted_at(image, j)) {
                found = p;
                at = i;
            }
    }
    // Else a bare "3.2.18" (three numbers: two could be anything).
    for (std::size_t i = 0; i < image.size() && !found; ++i) {
        if (!is_digit(image[i])) continue;
        if (auto p = dotted_at(image, i); p && p->parts.size() == 3) {
            found = p;
            at = i;
        }
    }
    const std::string no_resource = windows ? " (it has no version resource)" : "";
    if (!found) {
        v.how =
            (windows ? "no version resource and no version string in the " : "no version string in the ") +
            v.image + " image";
        return;
    }
    v.source = ExternalVersion::Source::string;
    v.version = join(found->parts);
    v.text = printable(image, at, found->end);
    v.offset = at;
    const auto& p = found->parts;
    const std::array<unsigned, 3>& m = kExternalMinimum;
    const std::string where = "version string \"" + v.text + "\" at offset " + std::to_string(at) +
                              " in the " + v.image + " image" + no_resource;
    if (p.size() == 2 && p[0] == m[0] && p[1] == m[1]) {
        v.how = where + ": " + v.version + " without a third number may be older or newer than 3.2.18";
        return;
    }
    std::array<unsigned, 3> have{p[0], p[1], p.size() > 2 ? p[2] : 0};
    v.verdict = have < m ? ExternalVersion::Verdict::old : ExternalVersion::Verdict::ok;
    v.how = where;
}

/// Reads at most kExternalReadLimit bytes of an open regular file.
ExternalVersion read_open(const platform::Handle& file, const fs::path& shown) {
    const auto info = platform::stat_handle(file, shown);
    const std::uint64_t n = std::min<std::uint64_t>(info.size, kExternalReadLimit);
    Bytes bytes(static_cast<std::size_t>(n));
    std::size_t got = 0;
    while (got < bytes.size()) {
        const std::size_t k = platform::read_some(file, bytes.data() + got, bytes.size() - got, shown);
        if (k == 0) break;  // it shrank since the stat: read what is there
        got += k;
    }
    bytes.resize(got);
    ExternalVersion v = find_external_version(bytes);
    if (v.verdict == ExternalVersion::Verdict::unknown && info.size > got)
        v.how += " (only the first " + std::to_string(got) + " of its " + std::to_string(info.size) +
                 " bytes are read)";
    return v;
}

bool is_external_name(const std::string& name) {
    constexpr std::string_view want = "EXTERNAL.EXE";
    if (name.size() != want.size()) return false;
    for (std::size_t k = 0; k < want.size(); ++k)
        if (std::toupper(static_cast<unsigned char>(name[k])) != want[k]) return false;
    return true;
}

struct Looker {
    ExternalBeside& out;

    std::optional<std::vector<std::string>> names(const platform::Handle& dir, const fs::path& shown) {
        try {
            auto n = platform::list_dir(dir, shown);
            std::sort(n.begin(), n.end());
            return n;
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted) throw;
            out.passed_over.push_back(os::path_text(shown) + ": cannot be listed: " + e.detail());
            return std::nullopt;
        }
    }

    /// Looks in the open folder `dir`; true if a program was found there.
    bool look(const platform::Handle& dir, const fs::path& shown, const char* where) {
        const auto all = names(dir, shown);
        if (!all) return false;
        for (const auto& name : *all) {
            if (!is_external_name(name)) continue;
            const fs::path path = os::join(shown, name);
            platform::FileInfo info;
            try {
                info = platform::stat_at(dir, name, path);
            } catch (const Error& e) {
                if (e.code() == Errc::interrupted) throw;
                out.passed_over.push_back(os::path_text(path) + ": cannot be looked at: " + e.detail());
                continue;
            }
            if (info.type == platform::EntryType::missing) continue;
            if (info.type != platform::EntryType::regular) {
                out.passed_over.push_back(
                    os::path_text(path) + " is " + std::string(checks_detail::entry_kind_text(info.type)) +
                    ", not a program: passed over" +
                    (info.type == platform::EntryType::symlink ? " (links are not followed)" : ""));
                continue;
            }
            out.program = path;
            out.where = where;
            try {
                out.version = read_open(platform::open_read_at(dir, name, path), path);
            } catch (const Error& e) {
                if (e.code() == Errc::interrupted) throw;
                out.version = ExternalVersion{};
                out.version.how = "cannot be read: " + e.detail();
            }
            return true;
        }
        return false;
    }
};

std::optional<platform::Handle> open_folder(ExternalBeside& out, const fs::path& path) {
    try {
        return platform::open_dir(path, true);
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        out.passed_over.push_back(os::path_text(path) + ": cannot be opened: " + e.detail());
        return std::nullopt;
    }
}

}  // namespace

ExternalVersion find_external_version(ByteSpan image) {
    ExternalVersion v;
    const Kind kind = image_kind(image);
    v.image = kind.name;
    if (kind.kind == ImageKind::none) {
        v.how = "not a program image (no MZ header)";
        return v;
    }
    const bool windows = kind.kind == ImageKind::ne || kind.kind == ImageKind::pe;
    if (windows) {
        try {
            const auto fixed = kind.kind == ImageKind::ne
                                   ? checks_detail::ne_version_resource(image, kind.header)
                                   : checks_detail::pe_version_resource(image, kind.header);
            if (fixed) {
                judge_resource(v, *fixed);
                return v;
            }
        } catch (const checks_detail::BadImage& bad) {
            v.offset = bad.offset;
            v.how = "the version resource of the " + v.image + " image cannot be read at offset " +
                    std::to_string(bad.offset) + ": " + bad.what;
            return v;
        }
    }
    search_string(v, image, windows);
    return v;
}

ExternalVersion read_external_version(const std::filesystem::path& program) {
    return read_open(platform::open_read(program), program);
}

ExternalBeside find_external_beside(const std::filesystem::path& root) {
    ExternalBeside out;
    std::error_code ec;
    fs::path abs = fs::absolute(root, ec);
    if (ec) abs = root;
    abs = abs.lexically_normal();
    if (abs.filename().empty() && abs.has_relative_path()) abs = abs.parent_path();  // "MAILDATA/"
    out.root = abs;
    Looker looker{out};
    if (auto dir = open_folder(out, abs); dir && looker.look(*dir, abs, "in the postoffice folder"))
        return out;
    if (!abs.has_relative_path()) return out;  // the root of the file system has no parent
    out.parent = abs.parent_path();
    const auto parent = open_folder(out, out.parent);
    if (!parent) return out;
    if (looker.look(*parent, out.parent, "in the postoffice's parent folder")) return out;
    const auto names = looker.names(*parent, out.parent);
    if (!names) return out;
    std::size_t skipped = 0;
    for (const auto& name : *names) {
        if (name == abs.filename().string()) continue;
        const fs::path path = os::join(out.parent, name);
        platform::FileInfo info;
        try {
            info = platform::stat_at(*parent, name, path);
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted) throw;
            continue;
        }
        if (info.type != platform::EntryType::directory) continue;  // links to folders too
        if (out.subfolders == kExternalSubfolderLimit) {
            ++skipped;
            continue;
        }
        ++out.subfolders;
        std::optional<platform::Handle> sub;
        try {
            sub = platform::open_dir_at(*parent, name, path);
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted) throw;
            out.passed_over.push_back(os::path_text(path) + ": cannot be opened: " + e.detail());
            continue;
        }
        if (looker.look(*sub, path, "in a folder beside the postoffice")) return out;
    }
    if (skipped)
        out.passed_over.push_back(std::to_string(skipped) + " more subfolders of " +
                                  os::path_text(out.parent) + " not looked in (only the first " +
                                  std::to_string(kExternalSubfolderLimit) + " by name)");
    return out;
}

}  // namespace mspo
