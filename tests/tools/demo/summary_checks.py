"""What the headless day tests ask of tools/run-demo's summary (its last
line, JSON): each test adds its own expectations to those every day must
meet, and failures are listed together, each with what was found."""
import json
import sys

# Every day, calm or not: the books, the channels and the totes right.
MUST_BE_ZERO = ("stock_mismatches", "oversells", "channels_out_of_sync", "fulfilments_missing",
                "store_orders_refused", "pack_failures", "totes_bound_twice")


class Summary:
    def __init__(self, text):
        try:
            self.s = json.loads(text)
        except ValueError:
            print("FAILED: no summary from run-demo")
            sys.exit(1)
        self.failures = []

    def get(self, name, default=None):
        return self.s.get(name, default)

    def expect(self, name, ok, what):
        if not ok:
            self.failures.append(f"{name}: {what} (got {self.s.get(name)!r})")

    def reconciled(self, also_zero=()):
        """Every order settled and every figure of MUST_BE_ZERO (and also_zero) 0."""
        self.expect("orders_unfinished", self.s.get("orders_unfinished") == 0, "every order finishes")
        for name in MUST_BE_ZERO + tuple(also_zero):
            self.expect(name, self.s.get(name) == 0, "must be 0")

    def verdict(self, passed):
        """Exits 1 listing the failures, or prints `passed` (formatted with the summary's fields)."""
        if self.failures:
            print("FAILED:\n  " + "\n  ".join(self.failures))
            sys.exit(1)
        print(passed.format(**self.s))
