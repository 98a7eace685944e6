#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`liftoff doctor` as a new user runs it: JSON parsed, exit status, findings and remedies.

usage: doctor_json.py PATH/TO/liftoff PATH/TO/helper
"""
import json
import os
import subprocess
import sys
import tempfile

liftoff, helper = sys.argv[1], sys.argv[2]
failures = []


def doctor(args, env):
    r = subprocess.run([liftoff, "doctor", *args], env=env, capture_output=True, text=True)
    return r.returncode, r.stdout


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


headless = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"}

# A headless session: the missing display is flagged, and is not an error.
code, out = doctor(["--json"], headless)
d = json.loads(out)
ids = {f["id"]: f for f in d["findings"]}
check("no-display" in ids and ids["no-display"]["severity"] == "warning", "headless: no-display flagged as a warning")
check(ids.get("no-display", {}).get("remedy", "") != "", "headless: no-display has a remedy")
check(code == 0, f"headless: exit status 0 without error findings (got {code})")
check(d["session"]["kind"] in ("none", "terminal") and d["session"]["DISPLAY"] is None, "headless: session kind and DISPLAY null")
for key in ("liftoff", "os", "user", "cwd", "session", "sandbox", "locale", "path", "openers", "environment", "findings"):
    check(key in d, f"JSON has '{key}'")

# With a display the warning goes.
code, out = doctor(["--json"], dict(headless, DISPLAY=":0", DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent"))
check("no-display" not in {f["id"] for f in json.loads(out)["findings"]}, "DISPLAY set: no no-display")

with tempfile.TemporaryDirectory() as tmp:
    plain = os.path.join(tmp, "plain.txt")
    with open(plain, "w") as f:
        f.write("not a program\n")
    os.chmod(plain, 0o644)
    code, out = doctor(["--json", "--", plain], headless)
    d = json.loads(out)
    ids = {f["id"]: f for f in d["findings"]}
    check(code == 1, f"non-executable file: exit status 1 (got {code})")
    check(ids.get("not-executable", {}).get("severity") == "error", "non-executable file: not-executable is an error")
    check("chmod +x" in ids.get("not-executable", {}).get("remedy", ""), "non-executable file: remedy says chmod +x")
    check(d["program"]["resolved"] == plain and d["program"]["executable"] is False, "program facts in the JSON")

code, out = doctor(["--json", "--", "liftoff-no-such-program", "arg"], headless)
ids = {f["id"]: f for f in json.loads(out)["findings"]}
check(code == 1, "missing program: exit status 1")
check(ids.get("not-in-path", {}).get("severity") == "error", "missing program: not-in-path is an error")
check("/usr/bin:/bin" in ids.get("not-in-path", {}).get("what", ""), "missing program: the PATH searched is named")
check(ids.get("not-in-path", {}).get("remedy", "") != "", "missing program: a remedy")

code, out = doctor(["--json", "--", helper, "say", "x"], headless)
check(code == 0 and not [f for f in json.loads(out)["findings"] if f["severity"] == "error"], "a runnable program: no errors")

# Secrets stay out of the output; text output has no colour when not on a terminal or with NO_COLOR.
code, out = doctor([], dict(headless, API_TOKEN="s3cr3t-value", NO_COLOR="1"))
check("s3cr3t-value" not in out, "text: secrets redacted")
check("\033[" not in out and "findings" in out, "text: no colour off a terminal")
code, out = doctor(["--json"], dict(headless, API_TOKEN="s3cr3t-value"))
check(json.loads(out)["environment"].get("API_TOKEN") == "<redacted>", "JSON: secrets redacted")

# Bytes that are not UTF-8 still give valid JSON.
code, out = doctor(["--json"], {**headless, "ODD": "caf\xe9"})
check(json.loads(out)["environment"]["ODD"].startswith("caf"), "JSON stays valid with a non-UTF-8 value")

# Issue 15: session faults, with stable ids, in text and JSON.
display = next(str(n) for n in range(7301, 7400) if not os.path.lexists(f"/tmp/.X11-unix/X{n}"))
dead = dict(headless, DISPLAY=":" + display, PATH="/usr/bin;/bin")
code, out = doctor(["--json"], dead)
ids = {f["id"]: f for f in json.loads(out)["findings"]}
check(ids.get("display-not-listening", {}).get("severity") == "warning", "a dead DISPLAY: display-not-listening")
check(f"DISPLAY=':{display}'" in ids.get("display-not-listening", {}).get("what", ""), "a dead DISPLAY: named")
check("path-semicolons" in ids and "path-entry-missing" not in ids, "PATH=/usr/bin;/bin: path-semicolons, not a missing entry")
code, out = doctor([], dead)
check("display-not-listening" in out and "path-semicolons" in out, "text: the same findings")

# Issue 15: a program named in GBK bytes. Text shows \xNN (and is valid UTF-8), JSON carries the bytes.
with tempfile.TemporaryDirectory() as tmp:
    prog = os.path.join(os.fsencode(tmp), b"\xc4\xe3\xba\xc3.sh")  # 你好.sh in GBK
    with open(prog, "wb") as f:
        f.write(b"#!/bin/sh\nexit 0\n")
    os.chmod(prog, 0o644)
    r = subprocess.run([os.fsencode(liftoff), b"doctor", b"--", prog], env=headless, capture_output=True)
    try:
        text = r.stdout.decode("utf-8")
    except UnicodeDecodeError:
        text = r.stdout.decode("utf-8", "replace")
        check(False, "GBK name: text output is UTF-8 (a raw byte got through)")
    check(tmp + "/\\xc4\\xe3\\xba\\xc3.sh" in text, "GBK name: text shows \\xNN escapes")
    check("chmod +x '" + tmp + "/\\xc4\\xe3\\xba\\xc3.sh'" in text, "GBK name: the remedy names it with escapes")
    check("non-utf8-name" in text, "GBK name: a non-utf8-name finding")
    r = subprocess.run([os.fsencode(liftoff), b"doctor", b"--json", b"--", prog], env=headless, capture_output=True)
    d = json.loads(r.stdout.decode("utf-8"))
    check(bytes.fromhex(d["program"].get("resolved_hex", "")) == prog, "GBK name: JSON resolved_hex is its exact bytes")
    check("\ufffd" in d["program"]["resolved"], "GBK name: JSON resolved keeps U+FFFD")
    f = {f["id"]: f for f in d["findings"]}.get("non-utf8-name", {})
    check(f.get("severity") == "info" and f.get("remedy", "") != "", "GBK name: non-utf8-name is info, with a remedy")
    check("\u4f60\u597d" not in f.get("what", "") or "in GBK" in f.get("what", ""), "GBK name: a reading is named with its encoding")

# `liftoff run --json`: the last line of stdout says how it ended and why, with stable ids.
r = subprocess.run([liftoff, "run", "--json", "--", helper, "say", "out\n", "esay", "Error: Can't open display: :99\n",
                    "exit", "1"], env=headless, capture_output=True, text=True)
lines = r.stdout.strip().splitlines()
d = json.loads(lines[-1]) if lines else {}
check(r.returncode == 1, f"run --json: the program's exit status (got {r.returncode})")
check(lines[:1] == ["out"], "run --json: the child's stdout comes first, untouched")
check(d.get("exit_code") == 1 and d.get("signal") is None and d.get("timed_out") is False, "run --json: how it ended")
ids = [f["id"] for f in d.get("findings", [])]
check(ids == ["display-unreachable"], f"run --json: the finding's id (got {ids})")
check("Can't open display" in r.stderr, "run --json: its stderr still reaches ours")
check(d.get("explanation", "").startswith("liftoff: '"), "run --json: the explanation in a launch error's words")
r = subprocess.run([liftoff, "run", "--json", "--", helper, "exit", "0"], env=headless, capture_output=True, text=True)
d = json.loads(r.stdout.strip().splitlines()[-1])
check(d.get("findings") == [] and d.get("explanation") == "", "run --json: a success has nothing to explain")

print(f"doctor_json: {len(failures)} failed")
sys.exit(1 if failures else 0)
