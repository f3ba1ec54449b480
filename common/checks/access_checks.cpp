#include "mspo/checks/access_checks.hpp"

#include <array>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "file_kind.hpp"
#include "mspo/format/access.hpp"
#include "mspo/base/bytes.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

std::string hex_byte(std::uint8_t b) {
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "0x%02X", static_cast<unsigned>(b));
    return buf.data();
}

std::string quoted(const std::string& utf8) { return "\"" + utf8 + "\""; }

std::string who(const Account& a) {
    std::string s = "record " + std::to_string(a.index) + " (" + quoted(a.mailbox_utf8);
    if (a.deleted) s += ", deleted";
    return s + ")";
}

// A problem with one text field, or nullopt. `field_offset` is the field's
// offset in the file.
std::optional<Finding> check_text(const std::string& relpath, const Account& a, TextField kind,
                                  const char* what, const std::string& raw, std::uint64_t field_offset,
                                  bool empty_is_bad) {
    const std::size_t max = max_length(kind);
    const std::string shown = quoted(cp850_to_utf8(raw));
    if (raw.size() > max)
        return make_finding(CheckId::access_bad_chars, relpath, a.index, field_offset + max,
                            std::string(what) + " " + shown + " has no terminating NUL within " +
                                std::to_string(max + 1) + " bytes");
    if (auto bad = first_invalid_char(kind, raw))
        return make_finding(CheckId::access_bad_chars, relpath, a.index, field_offset + *bad,
                            std::string(what) + " " + shown + " has byte " +
                                hex_byte(static_cast<std::uint8_t>(raw[*bad])) + " at character " +
                                std::to_string(*bad + 1) + ", not allowed in a " + what);
    if (empty_is_bad && raw.empty())
        return make_finding(CheckId::access_bad_chars, relpath, a.index, field_offset,
                            std::string(what) + " is empty");
    return std::nullopt;
}

}  // namespace

Findings check_access_sizes(const Accounts& accounts) {
    Findings out;
    for (const AccessFileState* f : {&accounts.access, &accounts.access2, &accounts.access3}) {
        if (auto v = size_violation(*f->rule, f->size))
            out.push_back(make_finding(CheckId::size_rule, f->relpath, f->records,
                                       f->records * f->rule->record, std::string(f->rule->kind) + " " + *v));
    }
    return out;
}

Findings check_access_counts(const Accounts& accounts) {
    const std::array<const AccessFileState*, 3> files = {&accounts.access, &accounts.access2,
                                                         &accounts.access3};
    const std::uint64_t n1 = files[0]->records, n2 = files[1]->records, n3 = files[2]->records;
    if (n1 == n2 && n2 == n3) return {};
    const std::uint64_t ref = (n1 == n3) ? n1 : n2;  // the majority, else ACCESS2.GLB (it names the accounts)
    const std::string counts = "record counts differ (ACCESS.GLB " + std::to_string(n1) + ", ACCESS2.GLB " +
                               std::to_string(n2) + ", ACCESS3.GLB " + std::to_string(n3) + ")";
    Findings out;
    for (const AccessFileState* f : files) {
        if (f->records == ref) continue;
        const std::uint64_t first = std::min(f->records, ref);
        const std::string tail = f->records < ref
                                     ? "records " + std::to_string(first) + " onwards are missing here"
                                     : "records " + std::to_string(first) + " onwards are extra here";
        out.push_back(make_finding(CheckId::access_count_mismatch, f->relpath, first, first * f->rule->record,
                                   counts + ": " + std::string(f->rule->kind) + " " + tail));
    }
    return out;
}

Findings check_access_chars(const Accounts& accounts) {
    Findings out;
    for (const Account& a : accounts.accounts) {
        if (auto f = check_text(accounts.access2.relpath, a, TextField::mailbox, "mailbox name", a.mailbox,
                                a.access2_offset + Access2Record::kMailbox, !a.deleted))
            out.push_back(std::move(*f));
        if (a.access_offset) {
            if (auto f = check_text(accounts.access.relpath, a, TextField::full_name, "full name",
                                    a.full_name, *a.access_offset + AccessRecord::kFullName, false))
                out.push_back(std::move(*f));
        }
    }
    return out;
}

Findings check_access_mailbags(const Accounts& accounts) {
    Findings out;
    for (const Account& a : accounts.accounts) {
        if (a.mailbag) continue;
        out.push_back(make_finding(CheckId::access_bad_mailbag, accounts.access2.relpath, a.index,
                                   a.access2_offset + Access2Record::kMailbag,
                                   "mailbag field " + quoted(cp850_to_utf8(a.mailbag_text)) + " of " +
                                       who(a) + " is not 8 hex digits"));
    }
    return out;
}

Findings check_filenum_duplicates(const Accounts& accounts) {
    Findings out;
    std::unordered_map<std::uint32_t, std::size_t> first_user;
    first_user.reserve(accounts.accounts.size());
    for (std::size_t i = 0; i < accounts.accounts.size(); ++i) {
        const Account& a = accounts.accounts[i];
        if (!a.mailbag) continue;
        auto [it, inserted] = first_user.emplace(*a.mailbag, i);
        if (inserted) continue;
        const Account& first = accounts.accounts[it->second];
        out.push_back(make_finding(CheckId::filenum_duplicate, accounts.access2.relpath, a.index,
                                   a.access2_offset + Access2Record::kMailbag,
                                   "mailbag number " + format_hex8(*a.mailbag) + " of " + who(a) +
                                       " is also used by " + who(first)));
    }
    return out;
}

Findings check_account_files(const Postoffice& po, const Accounts& accounts) {
    Findings out;
    const auto& mbgs = po.list("MBG");
    const auto& keys = po.list("KEY");
    const auto& odd_mbgs = po.not_regular("MBG");
    const auto& odd_keys = po.not_regular("KEY");
    // There but not a regular file: layout.not-regular, naming the file (never followed or opened).
    const auto check_type = [&](const char* dir, const std::set<std::string>& odd, const std::string& name,
                                const Account& a) {
        if (odd.count(name) == 0) return;  // listed as a regular file, the common case: no system call
        const auto path = os::join(po.path_for(dir), name);
        const auto type = platform::stat_nofollow(path).type;
        if (type == platform::EntryType::regular || type == platform::EntryType::missing) return;
        const std::string what = std::string(dir) == "MBG" ? "mailbag file" : "key file";
        out.push_back(checks_detail::not_regular_finding(po, path, type, what, who(a)));
    };
    for (const Account& a : accounts.accounts) {
        if (a.deleted || !a.mailbag) continue;
        const std::string hex = format_hex8(*a.mailbag);
        const std::uint64_t offset = a.access2_offset + Access2Record::kMailbag;
        const auto mbg = mbgs.find(hex + ".MBG");
        if (mbg == mbgs.end())
            out.push_back(make_finding(CheckId::access_missing_mbg, accounts.access2.relpath, a.index, offset,
                                       "mailbag file MBG/" + hex + ".MBG of " + who(a) + " is missing"));
        else
            check_type("MBG", odd_mbgs, mbg->second, a);
        const auto key = keys.find(hex + ".KEY");
        if (key == keys.end())
            out.push_back(make_finding(CheckId::access_missing_key, accounts.access2.relpath, a.index, offset,
                                       "key file KEY/" + hex + ".KEY of " + who(a) + " is missing"));
        else
            check_type("KEY", odd_keys, key->second, a);
    }
    return out;
}

Findings check_accounts(const Postoffice& po, const Accounts& accounts) {
    Findings out = check_access_sizes(accounts);
    auto append = [&out](Findings part) {
        out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    };
    append(check_access_counts(accounts));
    append(check_access_chars(accounts));
    append(check_access_mailbags(accounts));
    append(check_filenum_duplicates(accounts));
    append(check_account_files(po, accounts));
    return out;
}

}  // namespace mspo
