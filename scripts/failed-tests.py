#!/usr/bin/env python3
"""Prints each failed test in the .trx files under a directory, with its message and the start of its stack,
so that the end of a long test log says what failed (the projects run in parallel and their output interleaves)."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
failed = 0
for trx in sorted(pathlib.Path(sys.argv[1]).glob("**/*.trx")):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        failed += 1
        print(f"FAILED {result.get('testName')} ({trx.name}, {result.get('duration')})")
        for part in ("Message", "StackTrace"):
            text = result.findtext(f".//t:ErrorInfo/t:{part}", default="", namespaces=NS).strip()
            for line in text.splitlines()[:12]:
                print(f"    {line}")
print(f"{failed} failed test(s) in {sys.argv[1]}")
