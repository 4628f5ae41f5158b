"""Runs one command that must refuse its input, and checks the whole contract
of a refusal, not only the message:

  refuse.py [--exit N] [--timeout S] [--memory MIB] [--intact FILE]...
            [--absent PATH]... [--unchanged DIR]... -- COMMAND ARGS...

- the command exits with N (default 2): not 0, not another code, not a
  signal (a crash), and within S seconds (default 60; a hang fails);
- it runs under an address-space limit of MIB MiB (default 4096), so a huge
  declared shape that is allocated fails instead of passing slowly;
- stderr holds one message: at most one line with 'error:', and nothing of
  a crash or an internal failure (a stack dump, an assertion, LLVM ERROR, a
  sanitizer report);
- every --intact FILE has the same bytes afterwards (inputs are never
  overwritten), every --absent PATH does not exist (no output, not even a
  partial one) and every --unchanged DIR lists the same entries (no
  temporary file left behind).

stderr is copied to stdout, where FileCheck checks the message itself. Under
a sanitizer build (CNNC_SANITIZE set) the memory limit is off: the shadow
memory of AddressSanitizer reserves terabytes of address space.
"""
import argparse
import hashlib
import os
import resource
import subprocess
import sys

CRASH_MARKERS = ("Stack dump", "PLEASE submit a bug report", "LLVM ERROR",
                 "Assertion", "Sanitizer", "runtime error:",
                 "terminate called", "Segmentation fault", "Aborted")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory", type=int, default=4096)
    parser.add_argument("--intact", action="append", default=[])
    parser.add_argument("--absent", action="append", default=[])
    parser.add_argument("--unchanged", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    before = {path: digest(path) for path in args.intact}
    listings = {d: sorted(os.listdir(d)) for d in args.unchanged}

    def limit():
        if not os.environ.get("CNNC_SANITIZE"):
            size = args.memory << 20
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    problems = []
    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=args.timeout,
                             preexec_fn=limit)
        stderr = run.stderr.decode("utf-8", "replace")
        if run.returncode < 0:
            problems.append(f"killed by signal {-run.returncode} (a crash)")
        elif run.returncode != args.exit:
            problems.append(f"exit code {run.returncode}, expected {args.exit}")
    except subprocess.TimeoutExpired as timeout:
        stderr = (timeout.stderr or b"").decode("utf-8", "replace")
        problems.append(f"no exit within {args.timeout:g} s (a hang)")

    sys.stdout.write(stderr)
    if not stderr.strip():
        problems.append("no message on stderr")
    errors = [line for line in stderr.splitlines() if "error:" in line]
    if len(errors) > 1:
        problems.append(f"{len(errors)} error lines, expected one message")
    for marker in CRASH_MARKERS:
        if marker in stderr:
            problems.append(f"stderr shows an internal failure ('{marker}')")
    for path, hash_before in before.items():
        if not os.path.exists(path):
            problems.append(f"input '{path}' was removed")
        elif digest(path) != hash_before:
            problems.append(f"input '{path}' was overwritten")
    for path in args.absent:
        if os.path.lexists(path):
            problems.append(f"'{path}' was written")
    for d, listing in listings.items():
        after = sorted(os.listdir(d))
        if after != listing:
            added = sorted(set(after) - set(listing))
            problems.append(f"'{d}' changed: {added or after}")
    for problem in problems:
        print(f"refuse.py: {problem}: {' '.join(command)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
