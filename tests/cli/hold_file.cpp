// A Windows program that holds a file the way another program would, for the
// CLI cases that check a fixer refuses while the postoffice is in use
// (Windows build only: under wine a Linux flock() is no Windows lock).
//
//   hold_file MODE FILE READY RELEASE [SECONDS]
//
// MODE: lock        open sharing everything, then an exclusive byte-range
//                   lock on every byte (LockFileEx), as External holds a lock
//       lock-shared the same with a shared lock
//       deny        open denying others any access (share mode 0), as a
//                   program that opened the file for itself
//       deny-write  open for reading, letting others only read (a client
//                   reading a file while denying changes to it)
// Once it holds FILE it creates READY; it lets go when RELEASE exists, or
// after SECONDS (default 30), and exits 0. Exit 2: bad arguments; 3: FILE
// could not be opened or locked (the reason on stderr).
#include <windows.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

std::wstring wide(const char* s) {
    const int n = ::MultiByteToWideChar(CP_UTF8, 0, s, -1, nullptr, 0);
    std::wstring out(static_cast<std::size_t>(n > 0 ? n : 1), L'\0');
    if (n > 0) ::MultiByteToWideChar(CP_UTF8, 0, s, -1, out.data(), n);
    out.resize(out.size() - 1);
    return out;
}

bool exists(const std::wstring& path) {
    return ::GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5 || argc > 6) {
        std::fputs("usage: hold_file lock|lock-shared|deny|deny-write FILE READY RELEASE [SECONDS]\n",
                   stderr);
        return 2;
    }
    const std::string mode = argv[1];
    DWORD access = GENERIC_READ | GENERIC_WRITE;
    DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    DWORD lock_flags = 0;
    bool lock = false;
    if (mode == "lock" || mode == "lock-shared") {
        lock = true;
        lock_flags = LOCKFILE_FAIL_IMMEDIATELY | (mode == "lock" ? LOCKFILE_EXCLUSIVE_LOCK : 0);
    } else if (mode == "deny") {
        share = 0;
    } else if (mode == "deny-write") {
        access = GENERIC_READ;
        share = FILE_SHARE_READ;
    } else {
        std::fprintf(stderr, "hold_file: unknown mode %s\n", argv[1]);
        return 2;
    }
    const std::wstring file = wide(argv[2]);
    HANDLE h =
        ::CreateFileW(file.c_str(), access, share, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        std::fprintf(stderr, "hold_file: cannot open %s (Windows error %lu)\n", argv[2], ::GetLastError());
        return 3;
    }
    OVERLAPPED ov{};
    if (lock && !::LockFileEx(h, lock_flags, 0, MAXDWORD, MAXDWORD, &ov)) {
        std::fprintf(stderr, "hold_file: cannot lock %s (Windows error %lu)\n", argv[2], ::GetLastError());
        return 3;
    }
    const std::wstring ready = wide(argv[3]);
    HANDLE r = ::CreateFileW(ready.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr,
                             CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (r == INVALID_HANDLE_VALUE) {
        std::fprintf(stderr, "hold_file: cannot create %s (Windows error %lu)\n", argv[3], ::GetLastError());
        return 3;
    }
    ::CloseHandle(r);
    const std::wstring release = wide(argv[4]);
    const int seconds = argc == 6 ? std::atoi(argv[5]) : 30;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!exists(release) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (lock) ::UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov);
    ::CloseHandle(h);
    return 0;
}
