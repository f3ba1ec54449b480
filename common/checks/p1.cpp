#include "mspo/checks/p1.hpp"

#include <algorithm>

#include "mspo/base/error.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/base/platform.hpp"

#include "mspo/base/time.hpp"

namespace mspo {

namespace {

std::string age_text(std::int64_t age_ns) {
    if (age_ns < 0) return "dated in the future";
    const std::int64_t s = age_ns / kNsPerSecond;
    if (s >= 86400) return std::to_string(s / 86400) + "d " + std::to_string((s % 86400) / 3600) + "h old";
    if (s >= 3600) return std::to_string(s / 3600) + "h " + std::to_string((s % 3600) / 60) + "m old";
    if (s >= 60) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s old";
    return std::to_string(s) + "s old";
}

Finding p1_finding(CheckId code, std::string file, std::string message, std::string action) {
    Finding f = make_finding(code, std::move(file), std::move(message));
    f.action = std::move(action);
    return f;
}

}  // namespace

std::optional<std::uint32_t> envelope_number(const std::string& name) {
    // 8 hex digits, a dot, then "P" and one or two more characters (.P1, .P00, .PBC).
    if (name.size() < 11 || name.size() > 12 || name[8] != '.') return std::nullopt;
    if (name[9] != 'P' && name[9] != 'p') return std::nullopt;
    std::uint32_t n = 0;
    if (!parse_hex8(std::string_view(name).substr(0, 8), n)) return std::nullopt;
    return n;
}

P1Scan scan_p1(const Postoffice& po) {
    P1Scan scan;
    const auto& top = po.list("");
    auto it = top.find("P1");
    if (it == top.end()) {
        scan.p1_missing = true;
        scan.populate_missing = true;
        return scan;
    }
    scan.p1_relpath = it->second;
    const fs::path dir = po.root() / it->second;
    const auto info = platform::stat_nofollow(dir);
    if (info.type == platform::EntryType::symlink)
        throw Error(Errc::unsafe_path, "P1 is a symbolic link; not followed", dir);
    if (info.type != platform::EntryType::directory)
        throw Error(Errc::unsafe_path, "P1 is not a folder", dir);

    bool have_populate = false;
    for (const auto& [upper, name] : po.list(it->second)) {
        P1Entry e;
        e.name = name;
        e.relpath = it->second + "/" + name;
        const auto st = platform::stat_nofollow(dir / name);
        if (st.type == platform::EntryType::missing) continue;  // vanished meanwhile
        e.size = st.size;
        e.mtime_ns = st.mtime_ns;
        if (st.type != platform::EntryType::regular)
            e.kind = P1Kind::not_regular;
        else if (upper == kPopulateName)
            e.kind = P1Kind::populate;
        else if (is_external_lock_name(name))
            e.kind = P1Kind::lock;
        else
            e.kind = P1Kind::file;
        if (e.kind == P1Kind::populate) have_populate = true;
        scan.entries.push_back(std::move(e));
    }
    scan.populate_missing = !have_populate;
    return scan;
}

std::map<std::uint32_t, std::uint64_t> queued_envelopes(const Postoffice& po) {
    std::map<std::uint32_t, std::uint64_t> queued;
    const auto mbg = po.find("MBG/INQUEUE3.MBG");
    if (!mbg) return queued;
    std::optional<KeyFile> key;
    if (const auto key_path = po.find("KEY/INQUEUE3.KEY")) {
        try {
            key = read_key(*key_path);
        } catch (const Error&) {
            key.reset();  // damaged or unreadable KEY: treat every slot as live
        }
    }
    MbgReader reader(*mbg);
    while (auto item = reader.next()) {
        if (key && item->index < kMailbagLimit && key->slot_deleted(static_cast<std::size_t>(item->index)))
            continue;
        if (auto n = item->record.mai()) queued.emplace(*n, item->index);
    }
    return queued;
}

P1Cleanup plan_p1_cleanup(const P1Scan& scan, const std::map<std::uint32_t, std::uint64_t>& queued,
                          const P1Policy& policy, const std::map<std::string, std::string>& held) {
    P1Cleanup out;
    if (scan.p1_missing) {
        out.create_p1 = true;
        out.create_populate = true;
        out.create_repairs = out.findings.size();
        out.findings.push_back(p1_finding(CheckId::p1_missing, "P1",
                                          "the P1 folder is missing; External needs it (KB Q135902)",
                                          "create P1 and P1/POPULATE.MSM"));
        return out;
    }
    const std::string populate_rel = scan.p1_relpath + "/" + kPopulateName;
    if (scan.populate_missing) {
        out.create_populate = true;
        out.create_repairs = out.findings.size();
        out.findings.push_back(p1_finding(CheckId::p1_populate_missing, populate_rel,
                                          "POPULATE.MSM is missing from P1; it must stay there (KB Q135902)",
                                          "create an empty POPULATE.MSM"));
    }
    const std::int64_t max_age_ns = policy.max_age.count() * kNsPerSecond;
    const std::int64_t lock_age_ns = policy.lock_age.count() * kNsPerSecond;
    for (const auto& e : scan.entries) {
        const std::int64_t age = policy.now_ns - e.mtime_ns;
        switch (e.kind) {
            case P1Kind::populate:
                break;
            case P1Kind::not_regular:
                out.findings.push_back(p1_finding(CheckId::p1_not_regular, e.relpath,
                                                  "not a regular file; P1 cleanup never touches it", ""));
                break;
            case P1Kind::lock: {
                auto h = held.find(e.relpath);
                if (h != held.end() || age <= lock_age_ns) {
                    out.fresh_locks.push_back(e.relpath);
                    ++out.kept_files;
                    std::string why = h != held.end() ? "held by " + h->second : age_text(age);
                    out.findings.push_back(
                        p1_finding(CheckId::p1_lock_fresh, e.relpath,
                                   "External lock in use (" + why + "): External is running", "keep"));
                } else {
                    out.remove.push_back(e.relpath);
                    out.remove_repairs.push_back(out.findings.size());  // the finding pushed below
                    out.remove_bytes += e.size;
                    out.findings.push_back(p1_finding(
                        CheckId::p1_lock_stale, e.relpath,
                        "stale External lock (" + age_text(age) + ", no process holds it)", "remove"));
                }
                break;
            }
            case P1Kind::file: {
                if (age <= max_age_ns) {
                    ++out.kept_files;
                    break;
                }
                const auto number = envelope_number(e.name);
                const auto q = number ? queued.find(*number) : queued.end();
                if (q != queued.end() && !policy.include_queued) {
                    ++out.kept_files;
                    out.findings.push_back(p1_finding(
                        CheckId::p1_queued, e.relpath,
                        "stale envelope (" + age_text(age) + ") still queued by MBG/INQUEUE3.MBG record " +
                            std::to_string(q->second) + "; removing it would NDR the message",
                        "keep (--include-queued removes it)"));
                    break;
                }
                out.remove.push_back(e.relpath);
                out.remove_repairs.push_back(out.findings.size());  // the finding pushed below
                out.remove_bytes += e.size;
                std::string msg =
                    "stale P1 file (" + age_text(age) + ", " + std::to_string(e.size) + " bytes)";
                if (q != queued.end())
                    msg += "; queued by MBG/INQUEUE3.MBG record " + std::to_string(q->second);
                out.findings.push_back(p1_finding(CheckId::p1_stale, e.relpath, msg, "remove"));
                break;
            }
        }
    }
    return out;
}

}  // namespace mspo
