# Formats responses with the AWS CLI's own formatters, for AwsCliParityTest.
# stdin: a JSON list of {"format": "json|text|table", "op": "DescribeKey", "query": null|"...", "response": {...}}
# stdout: a JSON list of what the AWS CLI prints for each.
import argparse
import io
import json
import sys

import jmespath
from awscli.formatter import get_formatter

results = []
for case in json.load(sys.stdin):
    query = jmespath.compile(case["query"]) if case.get("query") else None
    args = argparse.Namespace(query=query, color="off")
    out = io.StringIO()
    get_formatter(case["format"], args)(case["op"], case["response"], out)
    results.append(out.getvalue())
json.dump(results, sys.stdout)
