#!/usr/bin/env python3
"""Prints the command-line reference as a DocC article: each command's `--help`, as the built tool
prints it, so that the reference is always the tool's own. Used by Scripts/docs.sh.

    Scripts/command-reference.py .build/release/word2vec > CommandReference.md
"""
import json
import subprocess
import sys

binary = sys.argv[1]


def run(arguments):
    # A wide terminal keeps the tool's own line breaks rather than wrapping at 80 columns.
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    return subprocess.run([binary] + arguments, capture_output=True, text=True, env=env, check=True).stdout


def commands(command, path):
    """Yields the path of every displayed command below `command`, depth first."""
    for sub in command.get("subcommands", []):
        if not sub.get("shouldDisplay", True) or sub["commandName"] == "help":
            continue
        here = path + [sub["commandName"]]
        yield here
        yield from commands(sub, here)


root = json.loads(run(["--experimental-dump-help"]))["command"]
print("# Command reference\n")
print("Every command of the `word2vec` tool with its options and defaults, as `word2vec COMMAND --help`")
print("prints them. <doc:CommandLine> describes what holds for all of them: other tools' spellings,")
print("standard input and output, exit statuses.\n")
print("## word2vec\n")
print("```\n" + run(["--help"]).rstrip() + "\n```\n")
for path in commands(root, []):
    print("## word2vec " + " ".join(path) + "\n")
    print("```\n" + run(path + ["--help"]).rstrip() + "\n```\n")
