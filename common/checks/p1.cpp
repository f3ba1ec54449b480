#include "mspo/checks/p1.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "mspo/base/error.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/base/platform.hpp"

#include "mspo/base/time.hpp"
#include "mspo/base/os.hpp"

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

// now - then, saturated: hostile mtimes (year 1 or 2262) must not overflow.
std::int64_t age_between(std::int64_t now, std::int64_t then) {
    std::int64_t age = 0;
    if (__builtin_sub_overflow(now, then, &age))
        return then < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return age;
}

std::int64_t to_ns(std::chrono::seconds s) {
    constexpr std::int64_t max_s = std::numeric_limits<std::int64_t>::max() / kNsPerSecond;
    return std::clamp<std::int64_t>(s.count(), -max_s, max_s) * kNsPerSecond;
}

bool all_zero(ByteSpan bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// The KEY beside the queue, or nullopt when it is missing, damaged or not 560
// bytes: then every slot counts as live, to keep more rather than less.
std::optional<KeyFile> queue_key(const Postoffice& po) {
    const auto path = po.find("KEY/INQUEUE3.KEY");
    if (!path) return std::nullopt;
    try {
        return read_key(*path);
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        return std::nullopt;
    }
}

bool slot_live(const std::optional<KeyFile>& key, std::uint64_t slot) {
    return !key || slot >= kMailbagLimit || !key->slot_deleted(static_cast<std::size_t>(slot));
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// The finding of a removal (made at once, or later: all_p1_findings).
Finding removal_finding(const std::string& queue_relpath, const P1Removal& r, std::string file) {
    if (r.what == P1Removal::What::lock)
        return p1_finding(CheckId::p1_lock_stale, std::move(file),
                          "stale External lock (" + age_text(r.age_ns) + ", no process holds it)", "remove");
    std::string msg = "stale P1 file (" + age_text(r.age_ns) + ", " + std::to_string(r.size) + " bytes)";
    if (r.what == P1Removal::What::file_queued)
        msg += "; queued by " + queue_relpath + " record " + std::to_string(r.queue_record);
    else if (r.what == P1Removal::What::file_unknown)
        msg += "; " + queue_relpath + " cannot tell whether it is queued";
    return p1_finding(CheckId::p1_stale, std::move(file), std::move(msg), "remove");
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
    const fs::path dir = os::join(po.root(), it->second);
    const auto info = platform::stat_nofollow(dir);
    if (info.type == platform::EntryType::symlink)
        throw Error(Errc::unsafe_path, "P1 is a symbolic link; not followed", dir);
    if (info.type != platform::EntryType::directory)
        throw Error(Errc::unsafe_path, "P1 is not a folder", dir);

    bool have_populate = false;
    const auto& listing = po.list(it->second);
    scan.entries.reserve(listing.size());
    // Each name is looked up in the folder's handle, not along the whole path.
    const platform::Handle handle = platform::open_dir(dir, false);
    for (const auto& [upper, name] : listing) {
        P1Entry e;
        e.name = name;
        e.relpath = it->second + "/" + name;
        const auto st = platform::stat_at(handle, name, os::join(dir, name));
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

QueueState QueueState::trusted_with(std::map<std::uint32_t, std::uint64_t> queued) {
    QueueState q;
    q.queued = std::move(queued);
    q.trusted = true;
    q.names_known = true;
    return q;
}

QueueState read_queue(const Postoffice& po) {
    QueueState q;
    const auto mbg = po.find("MBG/INQUEUE3.MBG");
    if (!mbg) {
        q.problem = "the queue MBG/INQUEUE3.MBG is missing";
        return q;
    }
    q.relpath = po.relative(*mbg);
    bool names_known = true;
    // The first problem found is the one reported.
    auto damage = [&q](std::string problem, std::uint64_t record, std::uint64_t offset) {
        if (!q.problem.empty()) return;
        q.problem = std::move(problem);
        q.record = record;
        q.offset = offset;
    };
    try {
        MbgReader reader(*mbg);
        if (reader.file_size() > kQueueReadLimit * MbgRecord::size) {
            q.problem = "the queue holds " + std::to_string(reader.record_count()) + " records (" +
                        std::to_string(reader.file_size()) + " bytes), far over the limit of " +
                        std::to_string(kMailbagLimit) + "; not read";
            q.record = kMailbagLimit;
            q.offset = kMailbagLimit * MbgRecord::size;
            return q;
        }
        const auto key = queue_key(po);
        while (auto item = reader.next()) {
            if (!slot_live(key, item->index) || all_zero(item->record.raw)) continue;
            if (const auto n = item->record.mai()) {
                q.queued.emplace(*n, item->index);
                continue;
            }
            names_known = false;
            damage("live header " + std::to_string(item->index) +
                       " names no envelope (its number is not 8 hex digits)",
                   item->index, item->offset + MbgRecord::kMai);
        }
        if (const auto partial = reader.read_partial()) {
            const std::uint64_t slot = reader.record_count();
            damage("the queue ends inside record " + std::to_string(slot) + " (" +
                       plural(partial->bytes.size(), "byte", "bytes") + " of 116)",
                   slot, partial->offset);
            if (slot_live(key, slot) && !all_zero(partial->bytes)) {
                MbgRecord r;  // the partial bytes, zero-filled to a whole record
                std::copy(partial->bytes.begin(), partial->bytes.end(), r.raw.begin());
                const auto n = partial->bytes.size() >= MbgRecord::kMai + 8 ? r.mai() : std::nullopt;
                if (n)
                    q.queued.emplace(*n, slot);
                else
                    names_known = false;
            }
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        q.problem = "the queue cannot be read: " + e.detail();
        q.record.reset();
        q.offset = e.offset();
        names_known = false;
    }
    q.trusted = q.problem.empty();
    q.names_known = names_known;
    return q;
}

P1Cleanup plan_p1_cleanup(const P1Scan& scan, const QueueState& queue, const P1Policy& policy,
                          const std::map<std::string, std::string>& held) {
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
        out.create_repairs = out.findings.size();  // before any removal
        out.findings.push_back(p1_finding(CheckId::p1_populate_missing, populate_rel,
                                          "POPULATE.MSM is missing from P1; it must stay there (KB Q135902)",
                                          "create an empty POPULATE.MSM"));
    }
    const std::int64_t max_age_ns = to_ns(policy.max_age);
    const std::int64_t lock_age_ns = to_ns(policy.lock_age);
    const bool queue_blind = !queue.trusted && !queue.names_known;  // any envelope may be queued
    // One finding (and at most one removal) per entry that is not a young
    // file: reserved once, so 100,000 are not copied as the vectors grow.
    const auto reported = std::count_if(scan.entries.begin(), scan.entries.end(), [&](const P1Entry& e) {
        return e.kind != P1Kind::file || age_between(policy.now_ns, e.mtime_ns) > max_age_ns;
    });
    if (policy.compact_removals)
        out.removals.reserve(static_cast<std::size_t>(reported));
    else
        out.findings.reserve(out.findings.size() + static_cast<std::size_t>(reported) + 1);
    out.remove.reserve(static_cast<std::size_t>(reported));
    out.remove_repairs.reserve(static_cast<std::size_t>(reported));
    out.queue_relpath = queue.relpath;
    // A removal's finding goes to the end of all the findings so far: made
    // now, or (compact_removals) kept as `r` to be made later.
    auto add_removal = [&](const P1Entry& e, P1Removal& r) {
        r.at = out.findings.size() + out.removals.size();
        out.remove.push_back(e.relpath);
        out.remove_repairs.push_back(r.at);
        out.remove_bytes += e.size;
        if (policy.compact_removals)
            out.removals.push_back(r);
        else
            out.findings.push_back(removal_finding(queue.relpath, r, e.relpath));
    };
    auto note_kept = [&](const P1Entry& e, const std::string& why) {
        if (policy.verbose)
            out.kept_notes.push_back(p1_finding(CheckId::p1_kept, e.relpath, "kept: " + why, ""));
    };
    for (const auto& e : scan.entries) {
        const std::int64_t age = age_between(policy.now_ns, e.mtime_ns);
        switch (e.kind) {
            case P1Kind::populate:
                note_kept(e, "POPULATE.MSM always stays in P1 (KB Q135902)");
                break;
            case P1Kind::not_regular:
                note_kept(e, "not a regular file");
                out.findings.push_back(p1_finding(CheckId::p1_not_regular, e.relpath,
                                                  "not a regular file; P1 cleanup never touches it", ""));
                break;
            case P1Kind::lock: {
                auto h = held.find(e.relpath);
                if (h != held.end() || age <= lock_age_ns) {
                    out.fresh_locks.push_back(e.relpath);
                    ++out.kept_files;
                    note_kept(e, h != held.end() ? "a lock held by another process" : "a fresh lock");
                    // Held or fresh, whichever it is: both mean External is running.
                    std::string message = h != held.end()
                                              ? "External lock held by another process (" + h->second + ", " +
                                                    age_text(age) + "): External is running"
                                              : "External lock is fresh (" + age_text(age) +
                                                    ", younger than the lock age): External is running";
                    out.findings.push_back(
                        p1_finding(CheckId::p1_lock_fresh, e.relpath, std::move(message), "keep"));
                } else {
                    P1Removal r;
                    r.what = P1Removal::What::lock;
                    r.age_ns = age;
                    add_removal(e, r);
                }
                break;
            }
            case P1Kind::file: {
                if (age <= max_age_ns) {
                    ++out.kept_files;
                    note_kept(e, "too young (" + age_text(age) + ", not older than --days)");
                    break;
                }
                const auto number = envelope_number(e.name);
                const auto q = number ? queue.queued.find(*number) : queue.queued.end();
                const bool maybe = number && q == queue.queued.end() && queue_blind;
                if ((q != queue.queued.end() || maybe) && !policy.include_queued) {
                    ++out.kept_files;
                    ++out.kept_for_queue;
                    note_kept(e, maybe
                                     ? "may still be queued (the queue cannot be trusted)"
                                     : "queued by " + queue.relpath + " record " + std::to_string(q->second));
                    if (maybe)
                        out.findings.push_back(p1_finding(
                            CheckId::p1_maybe_queued, e.relpath,
                            "stale envelope (" + age_text(age) + ") may still be queued: " + queue.relpath +
                                " cannot be read whole and trusted (p1.queue-damaged says why)",
                            "keep (--include-queued removes it)"));
                    else
                        out.findings.push_back(p1_finding(CheckId::p1_queued, e.relpath,
                                                          "stale envelope (" + age_text(age) +
                                                              ") still queued by " + queue.relpath +
                                                              " record " + std::to_string(q->second) +
                                                              "; removing it would NDR the message",
                                                          "keep (--include-queued removes it)"));
                    break;
                }
                P1Removal r;
                r.age_ns = age;
                r.size = e.size;
                if (q != queue.queued.end()) {
                    r.what = P1Removal::What::file_queued;
                    r.queue_record = q->second;
                } else if (maybe) {
                    r.what = P1Removal::What::file_unknown;
                }
                add_removal(e, r);
                break;
            }
        }
    }
    if (!queue.trusted && out.kept_for_queue > 0) {
        Finding f = p1_finding(CheckId::p1_queue_damaged, queue.relpath,
                               queue.problem + "; " +
                                   plural(out.kept_for_queue, "stale envelope", "stale envelopes") +
                                   " kept that it may still name (--include-queued removes them)",
                               "");
        f.record = queue.record;
        f.offset = queue.offset;
        out.findings.push_back(std::move(f));
    }
    return out;
}

Findings all_p1_findings(P1Cleanup& cleanup, std::vector<std::string>& files) {
    if (files.size() != cleanup.removals.size())
        throw std::invalid_argument("all_p1_findings: a file per removal");
    Findings all;
    all.reserve(cleanup.findings.size() + cleanup.removals.size());
    std::size_t k = 0;  // the next of cleanup.findings
    for (std::size_t j = 0; j < cleanup.removals.size(); ++j) {
        const P1Removal& r = cleanup.removals[j];
        while (all.size() < r.at && k < cleanup.findings.size())
            all.push_back(std::move(cleanup.findings[k++]));
        if (all.size() != r.at) throw std::invalid_argument("all_p1_findings: a removal out of place");
        all.push_back(removal_finding(cleanup.queue_relpath, r, std::move(files[j])));
    }
    while (k < cleanup.findings.size()) all.push_back(std::move(cleanup.findings[k++]));
    Findings().swap(cleanup.findings);
    std::vector<P1Removal>().swap(cleanup.removals);
    return all;
}

}  // namespace mspo
