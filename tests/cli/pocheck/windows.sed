# What pocheck prints on Windows where it prints otherwise on Linux. golden.sh
# applies these sed -E commands to every golden stdout and stderr of pocheck
# when it runs the Windows build (under wine); the Linux goldens stay as they are.
#
# Windows keeps no system-wide list of locks (Linux: /proc/locks): step 1 says
# it opened each file to probe it (file_access.cpp, FileAccessScan::locks_known).
/^    - [0-9,]+ files? looked at: [0-9]+ unreadable, /a\    - this system lists no locks: files were opened one by one to probe them
# No Windows user reads every file as root does on Linux
# (platform::may_set_any_owner() is false on Windows): step 1 has no root line.
/^    - running as root, which may read every file: /d
# The same two lines in --json output (the step's "saw" list; the line after
# "looked at" always follows it, so the comma stays right).
/^        "[0-9,]+ files? looked at: [0-9]+ unreadable, .*",$/a\        "this system lists no locks: files were opened one by one to probe them",
/^        "running as root, which may read every file: .*",$/d
# html_check, run 2 (digest): the md5 of the text report with the two changes
# above (the same 59 lines).
s/^md5: 52ece6774a2f51e583b615a8e3b8311a$/md5: ab3d961068c6deea7a1be18e3ebfea05/
