"""Assertion bookkeeping and the figures the suite prints."""
import sys


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems):
        """problems: a list of strings (empty = pass) or a bool (True = pass)."""
        if isinstance(problems, bool):
            problems = [] if problems else ["assertion failed"]
        if problems:
            self.failed += 1
            print("FAIL %s" % name)
            for p in problems[:10]:
                print("     %s" % p)
            if len(problems) > 10:
                print("     ... %d more" % (len(problems) - 10))
        else:
            self.passed += 1
            print("ok   %s" % name)
        sys.stdout.flush()


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil
    return sorted_values[int(rank) - 1]


def latency_line(label, seconds):
    v = sorted(seconds)
    if not v:
        return "%-14s n=0" % label
    ms = lambda x: "%.2f" % (x * 1000.0)
    return "%-14s n=%-7d p50=%s ms  p95=%s ms  p99=%s ms  max=%s ms" % (
        label, len(v), ms(percentile(v, 50)), ms(percentile(v, 95)), ms(percentile(v, 99)), ms(v[-1]))


def figure(text):
    print("  | " + text)
    sys.stdout.flush()
